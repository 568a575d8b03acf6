/*
 * The hypervisor's counters: what each CPU's hypervisor did, how long CPUs waited for the
 * locks partitions share, what the console dropped and how each partition fared, for make
 * bench's noisy-neighbour table (docs/bench.md), the console monitor and tests, which read
 * the log lines stats_report() prints when the machine powers off:
 *
 *   stats cpu<n>: entries=<n> hvc=<n> dabt=<n> cp=<n> other=<n> irq=<n> async=<n>
 *                 kicks=<n> injected=<n> hyp_cycles=<n> idle_ms=<n> console_bytes=<n>
 *   stats partition <id> (<name>): starts=<n> faults=<n> lock_wait_max=<ticks>
 *                 vgic_lock_wait_max=<ticks> console_dropped=<bytes> console_escaped=<bytes>
 *   stats machine: vmid_lock_wait_max=<ticks> console_dropped=<bytes> hyp_lines_lost=<lines>
 *                 console_lock_wait_max=<ticks>
 *
 * Each CPU writes only its own counters; the Hyp cycle counter is readable on its CPU only,
 * so another CPU reports it as that CPU's idle loop last saved it (on its way out of WFI):
 * not from the Hyp timer's tick, whose PMU accesses made QEMU -icount's round-robin give
 * busy CPUs 70 ms slices (qemu.console.noisy_neighbours).  hyp_cycles leaves out
 * the idle loop's WFI; under QEMU -icount the counter follows the shared virtual clock, so
 * it also takes in the other CPUs' instructions when QEMU switches CPUs while this one is in
 * Hyp mode (docs/bench.md).  Lock waits are in physical counter ticks (spinlock_t.wait_max).
 * Every count wraps modulo 2^32.
 */
#include "arch/sysreg.h"
#include "config_gen.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"

/* The event counter kept for Hyp mode: the last one (HDCR.HPMN leaves it out of the guest's). */
static u32 hyp_counter(void)
{
	return ((read_pmcr() >> PMCR_N_SHIFT) & PMCR_N_MASK) - 1;
}

/* Its count; PMSELR is the guest's register (once the PMU is passed through): put back. */
static u32 hyp_cycles_now(void)
{
	u32 sel = read_pmselr(), n;

	write_pmselr(hyp_counter());
	n = read_pmxevcntr();
	write_pmselr(sel);
	return n;
}

void stats_cpu_init(void)
{
	u32 n = hyp_counter();

	/* Counting CPU cycles in Hyp mode only (C12.8.2): the guests' own work is not counted. */
	write_hdcr(HDCR_HPME | n);
	write_pmselr(n);
	write_pmxevtyper(PMFILTER_P | PMFILTER_U | PMFILTER_NSH | PMEVENT_CPU_CYCLES);
	write_pmxevcntr(0);
	write_pmcntenset(BIT(n));
}

void stats_cpu_snapshot(void)
{
	this_cpu()->stats.hyp_cycles = hyp_cycles_now();
}

void stats_idle_wfi(struct cpu *c)
{
	u32 start = hyp_cycles_now(), end;
	u64 ticks = timer_now();

	/*
	 * Read by stats_report() on other CPUs.  Plain doubleword stores: STRD to an aligned
	 * doubleword is one access on the Cortex-A7 and A15 (the ARM ARM promises it only to table
	 * walks, A3.5.3), and a torn one would cost one stats line a wrong idle_ms, nothing more.
	 */
	*(volatile u64 *)&c->stats.idle_since = ticks | 1; /* never 0, a tick off at most */
	wfi();
	end = hyp_cycles_now();
	c->stats.idle_cycles += end - start;
	/* Since cleared first: a reader may miss this WFI for a moment, never count it twice. */
	*(volatile u64 *)&c->stats.idle_since = 0;
	__atomic_thread_fence(__ATOMIC_RELEASE);
	*(volatile u64 *)&c->stats.idle_ticks += timer_now() - ticks;
	c->stats.hyp_cycles = end;
}

void stats_read(const struct cpu *c, struct stats_view *out)
{
	const struct cpu_stats *s = &c->stats;
	const u32 *n = s->count;

	/*
	 * Field by field, not a loop: TESSERA_FID_CPU_STATS runs this inside the periods a
	 * partition measures (the noisy-neighbour bench), where a loop cost 27 instructions more.
	 */
	out->hvc = n[STATS_HVC];
	out->dabt = n[STATS_DABT];
	out->cp = n[STATS_CP];
	out->other = n[STATS_OTHER];
	out->irq = n[STATS_IRQ] + n[STATS_IRQ_KICK];
	out->async_abort = n[STATS_ASYNC];
	out->kicks = n[STATS_KICKS] + n[STATS_IRQ_KICK];
	out->entries = out->hvc + out->dabt + out->cp + out->other + out->irq + out->async_abort;
	out->injected = c->vcpu ? __atomic_load_n(&c->vcpu->vgic.injected, __ATOMIC_RELAXED) : 0;
	out->hyp_cycles = (c == this_cpu() ? hyp_cycles_now() : s->hyp_cycles) - s->idle_cycles;
}

/* A CPU's time idle until now, its current WFI included. */
static u64 idle_ticks(const struct cpu *c)
{
	/* The total first: seen with this WFI's ticks added, it is seen with 'since' cleared. */
	u64 total = *(const volatile u64 *)&c->stats.idle_ticks, since;

	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	since = *(const volatile u64 *)&c->stats.idle_since;
	return total + (since ? timer_now() - since : 0);
}

void stats_report(void)
{
	static const char *const names[] = { "entries", "hvc",	 "dabt",  "cp",	      "other",
					     "irq",	"async", "kicks", "injected", "hyp_cycles" };
	struct stats_view v;
	char line[224]; /* ten " name=4294967295" at most */
	size_t n;
	u32 i, j;

	_Static_assert(ARRAY_SIZE(names) == ARRAY_SIZE(v.value), "a name for every counter");
	for (i = 0; i < PLAT_CPU_COUNT; i++) {
		if (!cpus[i].online)
			continue;
		stats_read(&cpus[i], &v);
		for (j = 0, n = 0; j < ARRAY_SIZE(names); j++)
			n += fmt_snprintf(line + n, sizeof(line) - n, " %s=%u", names[j],
					  v.value[j]);
		log_always("stats cpu%u:%s idle_ms=%u console_bytes=%u", i, line,
			   timer_ticks_to_ms(idle_ticks(&cpus[i])),
			   __atomic_load_n(&cpus[i].stats.console_bytes, __ATOMIC_RELAXED));
	}
	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct partition *p = &partitions[i];

		log_always("stats partition %u (%s): starts=%u faults=%u lock_wait_max=%u "
			   "vgic_lock_wait_max=%u console_dropped=%u console_escaped=%u",
			   i, p->cfg->name, p->starts, p->faults, p->lock.wait_max,
			   p->vgic.lock.wait_max, console_dropped_of(i), console_escaped_of(i));
	}
	log_always("stats machine: vmid_lock_wait_max=%u console_dropped=%u hyp_lines_lost=%u "
		   "console_lock_wait_max=%u",
		   vmid_allocator.lock.wait_max, console_dropped(), console_hyp_lost(),
		   console_lock_wait_max());
}
