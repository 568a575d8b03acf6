/*
 * The hypervisor's counters (stats.c): per CPU, per lock (spinlock_t.wait_max) and per
 * partition, reported as log lines when the machine powers off and, for its own CPU, to a
 * partition through TESSERA_FID_CPU_STATS.
 *
 * The hot entries are counted by the PMU, which is the hypervisor's alone (HDCR.TPM and TPMCR
 * trap every guest access): the cycle counter counts in Hyp mode only, and event counters 0-3
 * count software increments (PMSWINC), one instruction when the handler already holds the
 * counter's bit in a register, two otherwise:
 *
 *   counters 0 and 1: MCR/MRC to CP15 (both get bit 0 and 1 of HSR.EC = 0x03, as written)
 *   counter 2: stage-2 data aborts (bit 2 is FSC_TRANSLATION, which the handler has tested)
 *   counter 3: HVC and trapped SMC
 */
#ifndef TESSERA_HYP_STATS_H
#define TESSERA_HYP_STATS_H

#include "arch/armv7.h"
#include "arch/sysreg.h"
#include "hyp/core/cpu.h"
#include "tessera/types.h"

#define STATS_PMC_CP15 0
#define STATS_PMC_DABT 2
#define STATS_PMC_HVC 3
#define STATS_PMC_COUNT 4

_Static_assert(HSR_EC_CP15_32 == (BIT(STATS_PMC_CP15) | BIT(1)),
	       "MCR/MRC traps count by writing HSR.EC to PMSWINC");
_Static_assert(FSC_TRANSLATION == BIT(STATS_PMC_DABT),
	       "translation faults count by writing the tested fault status to PMSWINC");

/* Add one to the PMU event counters whose bits are set in mask (PMSWINC). */
static inline void stats_pmu_count(u32 mask)
{
	write_pmswinc(mask);
}

/* A view of one CPU's counters. */
struct stats_view {
	u32 hvc, dabt, cp, other, irq, async_abort, kicks, injected, hyp_cycles;
	u32 entries; /* the sum of every cause */
};

/* Start this CPU's counters (cycle counter in Hyp mode, event counters 0-3). */
void stats_cpu_init(void);

/* Save this CPU's PMU counts where stats_read() on another CPU finds them (idle loop). */
void stats_cpu_snapshot(void);

/* WFI in the idle loop, the cycles it spends halted kept apart from the hypervisor's work. */
void stats_idle_wfi(struct cpu *c);

/* CPU c's counters: live for this CPU, as of its last snapshot for another. */
void stats_read(const struct cpu *c, struct stats_view *out);

/* One "stats ..." log line per CPU, per partition and for the machine (parseable). */
void stats_report(void);

#endif /* TESSERA_HYP_STATS_H */
