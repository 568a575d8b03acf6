/*
 * Physical CPUs (cpu.c): per-CPU state, cross-CPU requests, the idle loop,
 * the physical interrupt dispatcher, and the entry points boot/ calls.
 *
 * Concurrency: each physical CPU runs at most one vCPU, for life, and only
 * that CPU touches its vCPU's live state.  Other CPUs ask for work through
 * cpu_request() (an atomic request word plus an IPI); the owning CPU acts on
 * requests before it returns to its guest.
 */
#ifndef TESSERA_HYP_CPU_H
#define TESSERA_HYP_CPU_H

#include <stdnoreturn.h>

#include "hyp/arch/layout.h"
#include "hyp/arch/regs.h"
#include "mm/vmid.h"
#include "platform.h"
#include "tessera/bits.h"
#include "tessera/types.h"

struct vcpu;

/* Requests other CPUs post for this one (cpu_request). */
#define CPU_REQ_TLB_FLUSH BIT(0) /* VMID generation change: flush guest TLBs here */
#define CPU_REQ_VCPU_START BIT(1) /* start this CPU's vCPU */
#define CPU_REQ_VCPU_STOP BIT(2) /* stop this CPU's vCPU */
#define CPU_REQ_VGIC BIT(3) /* virtual interrupts wait for this vCPU */
#define CPU_REQ_WATCHDOG BIT(4) /* its partition's watchdog was armed: watch the deadline */
#define CPU_REQ_PART_BOOT BIT(5) /* check and start this CPU's partition, first time (boot) */
#define CPU_REQ_PART_START BIT(6) /* start this CPU's partition (stopped, no vCPU on) */

/* What this CPU's hypervisor did, by cause (hyp/core/stats.h); only this CPU writes them. */
enum stats_counter {
	STATS_HVC, /* HVC and trapped SMC */
	STATS_DABT, /* stage-2 data aborts, emulated device accesses included */
	STATS_CP, /* trapped CP14/CP15 and coprocessor accesses */
	STATS_OTHER, /* prefetch aborts, classes answered UNDEFINED */
	STATS_IRQ, /* physical interrupts taken while its guest ran, but: */
	STATS_ASYNC, /* a guest's asynchronous external aborts */
	STATS_KICKS, /* SGI kicks (cross-CPU requests) received, in a guest or idle, but: */
	STATS_IRQ_KICK, /* a guest's interrupts that were a kick (one increment for both counts) */
	STATS_COUNTERS
};

struct cpu_stats {
	u32 count[STATS_COUNTERS]; /* plain words: one increment on each path, no lock */
	u32 console_bytes; /* bytes this CPU moved to the console UART (console lock held) */
	u32 hyp_cycles; /* the Hyp cycle counter as the idle loop last read it (stats_report) */
	u32 idle_cycles; /* Hyp-mode cycles spent halted in the idle loop's WFI */
	u64 idle_ticks; /* counter ticks spent there, up to its last wake-up */
	u64 idle_since; /* when its current WFI began, 0 when not in it (the count goes on) */
};

struct cpu {
	/*
	 * First (offset 0, the exit path's STREX has no offset): the word hyp/arch/vectors.S's
	 * dummy store-exclusive targets to clear the exclusive monitor before each ERET.
	 */
	u32 monitor_scratch;
	u32 index;
	u32 mpidr;
	bool online;
	u32 requests; /* CPU_REQ_*, atomic */
	struct vcpu *vcpu; /* the vCPU this CPU runs, for life; NULL if none */
	struct cpu_stats stats;
	u64 vttbr_loaded; /* VTTBR as last written on this CPU */
	u64 hyp_timer_deadline; /* CNTHP_CVAL, or ~0 when the Hyp timer is off */
};

extern struct cpu cpus[PLAT_CPU_COUNT];
extern struct vmid_alloc vmid_allocator;

#ifdef TESSERA_HOST_FAKE
struct cpu *this_cpu(void); /* host builds: tests/fake/fake_arch.c */
#else
static inline struct cpu *this_cpu(void)
{
	return (struct cpu *)(uintptr_t)read_htpidr();
}
#endif

/* Post 'req' to 'cpu' and interrupt it (no IPI needed for this CPU itself). */
void cpu_request(u32 cpu, u32 req);

/* Park this CPU with nothing to run: waits for requests and interrupts. */
noreturn void cpu_idle(void);

/* The per-CPU Hyp stacks (boot/entry.S sets SP from them) and the trap frame at each top. */
extern u8 hyp_stacks[PLAT_CPU_COUNT][HYP_STACK_SIZE];
struct regs *cpu_frame(u32 cpu);

/* What boot/ calls: once on the boot CPU, on every CPU as it comes up, then on the boot CPU. */
void hyp_init_early(void);
void hyp_cpu_online(u32 cpu);
noreturn void hyp_main(void);

#endif /* TESSERA_HYP_CPU_H */
