/*
 * The hypervisor's counters (stats.c): per CPU, per lock (spinlock_t.wait_max) and per
 * partition, reported as log lines when the machine powers off or the console monitor asks
 * (Ctrl-T s) and, for its own CPU, to a partition through TESSERA_FID_CPU_STATS.
 *
 * Entries by cause are plain per-CPU words (struct cpu_stats, hyp/core/cpu.h), one increment
 * on each path, written by their CPU only: the PMU is the partitions' to have (issue 15).
 * Time in Hyp mode is the one thing a memory counter cannot measure without a timestamp on
 * every entry and exit, so it comes from the PMU's last event counter, reserved for Hyp mode
 * (HDCR.HPMN = PMCR.N - 1, enabled by HDCR.HPME whatever a guest writes to PMCR.E; ARM ARM
 * B4.1.64, C12.7) and counting CPU cycles in Hyp mode only: no instruction on any path.
 */
#ifndef TESSERA_HYP_STATS_H
#define TESSERA_HYP_STATS_H

#include "hyp/core/cpu.h"
#include "tessera/types.h"

/* A view of one CPU's counters, in the order of stats_report()'s line. */
struct stats_view {
	union {
		struct {
			u32 entries; /* the sum of every cause but kicks */
			u32 hvc, dabt, cp, other, irq, async_abort, kicks; /* as cpu_stats.count */
			u32 injected, hyp_cycles;
		};
		u32 value[10]; /* the same, by index */
	};
};

/* Reserve and start this CPU's Hyp cycle counter. */
void stats_cpu_init(void);

/* Save this CPU's Hyp cycle count where stats_read() on another CPU finds it (idle loop). */
void stats_cpu_snapshot(void);

/* WFI in the idle loop, the time it spends halted kept apart from the hypervisor's work. */
void stats_idle_wfi(struct cpu *c);

/* CPU c's counters: live for this CPU, as of its last snapshot for another. */
void stats_read(const struct cpu *c, struct stats_view *out);

/* One "stats ..." log line per CPU, per partition and for the machine (parseable). */
void stats_report(void);

#endif /* TESSERA_HYP_STATS_H */
