/*
 * The hypervisor's counters: what each CPU's hypervisor did, how long CPUs waited for the
 * locks partitions share, and what the console dropped, for make bench's noisy-neighbour
 * table (docs/bench.md) and for tests, which read the log lines stats_report() prints when
 * the machine powers off:
 *
 *   stats cpu<n>: entries=<n> hvc=<n> dabt=<n> cp=<n> other=<n> irq=<n> async=<n>
 *                 kicks=<n> injected=<n> hyp_cycles=<n>
 *   stats partition <id> (<name>): starts=<n> lock_wait_max=<ticks> vgic_lock_wait_max=<ticks>
 *   stats machine: vmid_lock_wait_max=<ticks> console_dropped=<bytes>
 *
 * Each CPU writes only its own counters; the PMU's are readable on their CPU only, so another
 * CPU reports them as that CPU's idle loop last saved them.  hyp_cycles leaves out the idle
 * loop's WFI; under QEMU -icount the cycle counter follows the shared virtual clock, so it also
 * takes in the other CPUs' instructions when QEMU switches CPUs while this one is in Hyp mode
 * (docs/bench.md).  Lock waits are in physical
 * counter ticks (spinlock_t.wait_max).  Every count wraps modulo 2^32.
 */
#include "config_gen.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/dev/console.h"

#define PMU_CYCLES STATS_PMC_COUNT /* the cycle counter's slot in cpu_stats.pmu */

void stats_cpu_init(void)
{
	u32 i;

	/* Counting in Hyp mode only (C12.8.2): the guests' own work is not counted. */
	for (i = 0; i < STATS_PMC_COUNT; i++) {
		write_pmselr(i);
		write_pmxevtyper(PMFILTER_P | PMFILTER_U | PMFILTER_NSH | PMEVENT_SW_INCR);
		write_pmxevcntr(0);
	}
	write_pmccfiltr(PMFILTER_P | PMFILTER_U | PMFILTER_NSH);
	write_pmccntr(0);
	write_pmcntenset(PMCNTEN_C | (u32)GENMASK(STATS_PMC_COUNT - 1, 0));
	write_pmcr(read_pmcr() | PMCR_E);
}

static void pmu_read(u32 out[STATS_PMC_COUNT + 1])
{
	u32 i;

	for (i = 0; i < STATS_PMC_COUNT; i++) {
		write_pmselr(i);
		out[i] = read_pmxevcntr();
	}
	out[PMU_CYCLES] = read_pmccntr();
}

void stats_cpu_snapshot(void)
{
	pmu_read(this_cpu()->stats.pmu);
}

void stats_idle_wfi(struct cpu *c)
{
	u32 start = read_pmccntr();

	wfi();
	c->stats.idle_cycles += read_pmccntr() - start;
}

void stats_read(const struct cpu *c, struct stats_view *out)
{
	const struct cpu_stats *s = &c->stats;
	u32 live[STATS_PMC_COUNT + 1];
	const u32 *pmu = s->pmu;

	if (c == this_cpu()) {
		pmu_read(live);
		pmu = live;
	}
	out->hvc = pmu[STATS_PMC_HVC];
	out->dabt = pmu[STATS_PMC_DABT];
	out->cp = pmu[STATS_PMC_CP15] + s->trap_cp_other;
	out->other = s->trap_other;
	out->irq = s->irq;
	out->async_abort = s->async_abort;
	out->kicks = s->kicks;
	out->injected = c->vcpu ? __atomic_load_n(&c->vcpu->vgic.injected, __ATOMIC_RELAXED) : 0;
	out->hyp_cycles = pmu[PMU_CYCLES] - s->idle_cycles;
	out->entries = out->hvc + out->dabt + out->cp + out->other + out->irq + out->async_abort;
}

void stats_report(void)
{
	struct stats_view v;
	u32 i;

	for (i = 0; i < PLAT_CPU_COUNT; i++) {
		if (!cpus[i].online)
			continue;
		stats_read(&cpus[i], &v);
		log_info("stats cpu%u: entries=%u hvc=%u dabt=%u cp=%u other=%u irq=%u async=%u "
			 "kicks=%u injected=%u hyp_cycles=%u",
			 i, v.entries, v.hvc, v.dabt, v.cp, v.other, v.irq, v.async_abort, v.kicks,
			 v.injected, v.hyp_cycles);
	}
	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct partition *p = &partitions[i];

		log_info("stats partition %u (%s): starts=%u lock_wait_max=%u "
			 "vgic_lock_wait_max=%u",
			 i, p->cfg->name, p->starts, p->lock.wait_max, p->vgic.lock.wait_max);
	}
	log_info("stats machine: vmid_lock_wait_max=%u console_dropped=%u",
		 vmid_allocator.lock.wait_max, console_dropped());
}
