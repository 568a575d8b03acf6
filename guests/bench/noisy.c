/*
 * The noisy-neighbour benchmark (make bench, configs/qemu-virt/bench-noisy.dts): a victim
 * partition measures its virtual timer beside a neighbour that runs one hostile load after
 * another, and what the hypervisor did on the victim's own CPU meanwhile.
 *
 * The victim drives: it writes the phase into the channel page they share, rings the
 * neighbour's doorbell, waits for the neighbour to say it runs that load, then times PERIODS
 * timer periods: for each, the virtual timer's deadline to its IRQ vector (CNTVCT, which under
 * QEMU -icount also advances with the other CPUs' instructions), and the calling CPU's
 * hypervisor counters (TESSERA_FID_CPU_STATS: entries, cycles in Hyp mode, kicks, injected
 * interrupts), which count only what happened on the victim's own CPU.  Output:
 *
 *   NOISE <load> periods=<n> lat=<median>/<max> entries=<median>/<max> hyp=<median>/<max>
 *   NOISE-SUM <load> entries=<n> hyp=<n> kicks=<n> injected=<n> load=<n>
 *   NOISE-DONE <loads> loads
 *
 * lat is in counter ticks, entries and hyp (cycles in Hyp mode) per period; NOISE-SUM has the
 * totals over the PERIODS periods and the neighbour's iterations of its load.
 *
 * The neighbour (two vCPUs) runs each load until the phase changes: its doorbell wakes it from
 * the idle phase, the busy loads look at the phase on every iteration, and after a restart it
 * reads the phase again (the channel page survives its restarts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "guest.h"
#include "noisy.h"
#include "pl031.h"

#define PERIODS 200U /* timer periods per load */
#define PERIOD 50000U /* ticks from arming the timer to its deadline */
#define ACK_LIMIT 200000000ULL /* ticks to wait for the neighbour to take up a load */
#define NOISY_SGI 3U
#define UNMAPPED_IPA 0x30000000U /* below RAM, mapped in no partition: every load faults */
#define FLOOD_LINE 128U

enum phase {
	PHASE_NONE,
	PHASE_IDLE,
	PHASE_FAULT,
	PHASE_CPU_ON_OFF,
	PHASE_CONSOLE,
	PHASE_DOORBELL,
	PHASE_SGI,
	PHASE_PASSTHROUGH,
	PHASE_RESTART, /* last: a bounded restart policy may leave the neighbour halted */
	PHASE_DONE,
};

static const char *const phase_names[] = {
	[PHASE_IDLE] = "idle",
	[PHASE_FAULT] = "fault_storm",
	[PHASE_CPU_ON_OFF] = "cpu_on_off",
	[PHASE_CONSOLE] = "console_flood",
	[PHASE_DOORBELL] = "doorbell_ring",
	[PHASE_SGI] = "sgi_storm",
	[PHASE_PASSTHROUGH] = "passthrough_flood",
	[PHASE_RESTART] = "restart_loop",
};

/* The channel page. */
struct noisy_page {
	volatile uint32_t phase; /* written by the victim */
	volatile uint32_t running; /* the phase the neighbour has taken up */
	volatile uint32_t count; /* the neighbour's iterations of its load (restarts: boots) */
	volatile uint32_t boots;
};

static struct noisy_page *page;
static volatile uint32_t fired;
static volatile uint64_t stamp;
static uint32_t lat[PERIODS], entries[PERIODS], hyp[PERIODS];

static void wait_irq(void)
{
	cpu_wfi();
	cpu_irq_enable();
	cpu_irq_disable();
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint32_t median(uint32_t *v)
{
	qsort(v, PERIODS, sizeof(v[0]), cmp_u32);
	return v[PERIODS / 2];
}

static struct smccc_res cpu_stats(void)
{
	return smccc_call(TESSERA_FID_CPU_STATS, 0, 0, 0);
}

static void timer_isr(uint32_t intid, void *arg)
{
	volatile uint64_t *slot = &bench_irq_stamps[cpu_index() & 3U];

	UNUSED(intid);
	UNUSED(arg);
	write_cntv_ctl(0);
	isb();
	stamp = *slot;
	*slot = 0;
	fired = 1;
}

static bool channel_page(struct fdt_channel *ch)
{
	const struct fdt *fdt = guest_fdt();

	if (!fdt || !fdt_channel(fdt, 0, ch) || ch->intid < GIC_SPI_BASE)
		return false;
	page = (struct noisy_page *)(uintptr_t)ch->ipa;
	return true;
}

/* ---- the victim ---- */

/* Promises: true once the neighbour runs phase p, false after ACK_LIMIT ticks. */
static bool start_phase(uint32_t p)
{
	uint64_t deadline = gtimer_virt_count() + ACK_LIMIT;

	page->phase = p;
	dsb_ish();
	(void)tessera_doorbell_ring(0);
	while (page->running != p && gtimer_virt_count() < deadline) {
		fired = 0;
		gtimer_virt_arm_in(PERIOD);
		while (!fired)
			wait_irq();
	}
	return page->running == p;
}

static void measure(uint32_t p)
{
	struct smccc_res first, before, after;
	uint32_t i, count0 = page->count, max_lat = 0, max_entries = 0, max_hyp = 0;

	first = before = cpu_stats();
	for (i = 0; i < PERIODS; i++) {
		uint64_t cval = gtimer_virt_count() + PERIOD;

		fired = 0;
		stamp = 0;
		gtimer_virt_arm_at(cval);
		while (!fired)
			wait_irq();
		after = cpu_stats();
		lat[i] = stamp > cval ? (uint32_t)(stamp - cval) : 0;
		entries[i] = after.a0 - before.a0;
		hyp[i] = after.a1 - before.a1;
		max_lat = MAX(max_lat, lat[i]);
		max_entries = MAX(max_entries, entries[i]);
		max_hyp = MAX(max_hyp, hyp[i]);
		before = after;
	}
	/* Two lines: a partition's console line holds at most 128 bytes. */
	printf("NOISE %s periods=%lu lat=%lu/%lu entries=%lu/%lu hyp=%lu/%lu\n", phase_names[p],
	       (unsigned long)PERIODS, (unsigned long)median(lat), (unsigned long)max_lat,
	       (unsigned long)median(entries), (unsigned long)max_entries,
	       (unsigned long)median(hyp), (unsigned long)max_hyp);
	printf("NOISE-SUM %s entries=%lu hyp=%lu kicks=%lu injected=%lu load=%lu\n", phase_names[p],
	       (unsigned long)(after.a0 - first.a0), (unsigned long)(after.a1 - first.a1),
	       (unsigned long)(after.a2 - first.a2), (unsigned long)(after.a3 - first.a3),
	       (unsigned long)(page->count - count0));
}

int victim_main(void)
{
	struct fdt_channel ch;
	uint32_t p, loads = 0;

	if (!tessera_present() || !channel_page(&ch)) {
		printf("NOISE-INFO error=no-channel\n");
		return 1;
	}
	/* The neighbour's doorbell stays disabled here: the victim never asked for it. */
	gic_register(GTIMER_VIRT_INTID, timer_isr, NULL);
	gic_irq_enable(GTIMER_VIRT_INTID);
	cpu_irq_disable();
	for (p = PHASE_IDLE; p < PHASE_DONE; p++) {
		if (!start_phase(p)) {
			printf("NOISE %s n/a reason=neighbour-did-not-start-it\n", phase_names[p]);
			continue;
		}
		measure(p);
		loads++;
	}
	page->phase = PHASE_DONE;
	dsb_ish();
	(void)tessera_doorbell_ring(0);
	printf("NOISE-DONE %lu loads\n", (unsigned long)loads);
	return 0;
}

/* ---- the neighbour ---- */

static void doorbell_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
}

static void sgi_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	page->count = page->count + 1U;
}

static uintptr_t rtc_base;

static void rtc_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	mmio_write32(rtc_base + RTC_ICR, 1); /* lower the line before the EOI */
	page->count = page->count + 1U;
}

/* Its PL031 from its device tree, its alarm's interrupt on; false without one. */
static bool rtc_init(void)
{
	const struct fdt *fdt = guest_fdt();
	int node = fdt ? fdt_next_compatible(fdt, -1, "arm,pl031") : -1;
	uint64_t base = 0, size;

	if (node < 0 || !fdt_reg(fdt, node, 0, &base, &size))
		return false;
	rtc_base = (uintptr_t)base;
	pl031_alarm_on(rtc_base, rtc_isr); /* the passthrough SPI it raises at will */
	return true;
}

static enum exc_action skip_fault(struct exc_frame *frame, const struct exc_info *info)
{
	UNUSED(frame);
	UNUSED(info);
	return EXC_RESUME_NEXT;
}

void noisy_secondary(uint32_t context)
{
	if (context == NOISY_CPU_OFF)
		(void)psci_cpu_off();
	/* NOISY_SGI_SINK: take the SGIs vCPU 0 sends, forever. */
	write_vbar((uint32_t)(uintptr_t)bench_vectors);
	isb();
	gic_cpu_init();
	gic_irq_enable(NOISY_SGI);
	cpu_irq_disable();
	for (;;)
		wait_irq();
}

static void cpu_on_off(void)
{
	if (psci_cpu_on(1, (uintptr_t)guest_secondary_entry, NOISY_CPU_OFF) != PSCI_SUCCESS)
		return;
	while (psci_affinity_info(1, 0) != PSCI_AFFINITY_OFF && page->phase == PHASE_CPU_ON_OFF)
		cpu_yield(); /* its vCPU 1 is next in QEMU's turns (guests/lib/arch.h) */
}

int noisy_main(void)
{
	static char line[FLOOD_LINE];
	struct fdt_channel ch;
	bool sink = false, rtc = false;

	if (!tessera_present() || !channel_page(&ch)) {
		printf("NOISE-INFO error=no-channel\n");
		return 1;
	}
	gic_register(ch.intid, doorbell_isr, NULL);
	gic_irq_set_edge(ch.intid, true);
	gic_irq_enable(ch.intid);
	gic_register(NOISY_SGI, sgi_isr, NULL);
	(void)exc_set_hook(EXC_DABT, skip_fault);
	memset(line, 'x', sizeof(line) - 1);
	page->boots = page->boots + 1U;
	cpu_irq_disable();
	for (;;) {
		uint32_t p = page->phase;

		if (page->running != p)
			page->running = p;
		switch (p) {
		case PHASE_FAULT:
			(void)*(volatile uint32_t *)UNMAPPED_IPA;
			break;
		case PHASE_CPU_ON_OFF:
			cpu_on_off();
			break;
		case PHASE_CONSOLE:
			(void)tessera_console_write(line, sizeof(line) - 1);
			break;
		case PHASE_DOORBELL:
			(void)tessera_doorbell_ring(0);
			break;
		case PHASE_SGI:
			if (!sink)
				sink = psci_cpu_on(1, (uintptr_t)guest_secondary_entry,
						   NOISY_SGI_SINK) == PSCI_SUCCESS;
			gic_send_sgi(NOISY_SGI, GIC_SGI_TO_LIST, BIT(1));
			break;
		case PHASE_PASSTHROUGH:
			/* Its device's interrupt, raised again as soon as it was taken. */
			rtc = rtc || rtc_init();
			if (!rtc) {
				wait_irq();
				continue;
			}
			mmio_write32(rtc_base + RTC_MR, mmio_read32(rtc_base + RTC_DR));
			wait_irq(); /* the ISR counts it */
			continue;
		case PHASE_RESTART:
			page->count = page->count + 1U;
			(void)psci_system_reset();
			break;
		case PHASE_DONE:
			return 0;
		default: /* none yet, or idle: wait for the doorbell */
			wait_irq();
			continue;
		}
		if (p != PHASE_SGI && p != PHASE_RESTART)
			page->count = page->count + 1U;
		/*
		 * A NOP on the cores (ARM ARM A8.8.427), and the end of this vCPU's turn on QEMU 7.2,
		 * whose round-robin otherwise gives the CPU after a spinning one turns of no
		 * instructions, the victim's among them (fixed in QEMU 8.1; tools/bench.py's notes).
		 */
		cpu_yield();
	}
}
