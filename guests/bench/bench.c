/*
 * The bench guest: path lengths of the hypervisor's hot paths, seen from a guest.
 *
 * One image runs unchanged on bare QEMU virt (entered in Hyp mode, the library leaves a Hyp
 * stub whose HVC returns at once: the native floor), in a Tessera partition and as a Xen 4.17
 * domU (zImage header in bench_asm.S); the GIC and UART addresses come from the device tree
 * (guest_c_start), the environment from how it was entered, the device tree's /hypervisor node
 * and, for Xen, xen_version.  Every figure is the difference of two CNTVCT reads; under QEMU
 * with -icount shift=0 and CNTFRQ = 1 GHz that is a count of executed instructions, in every
 * mode and on every CPU (docs/bench.md).
 *
 * Output, one line each (tools/bench.py parses it):
 *   BENCH <name> min=<n> median=<n> max=<n> iterations=<n>
 *   BENCH <name> n/a reason=<text>
 *   BENCH-INFO <key>=<value>
 *   BENCH-DONE <figures> figures
 *
 * Roles (bootargs "role=..."): "main" (default) measures; "peer" (a second Tessera partition
 * joined to the first by a channel) answers doorbells; "victim" and "noisy" are the
 * noisy-neighbour benchmark's (noisy.c).  A second CPU of the main partition
 * (bare QEMU -smp 2, or a two-vCPU partition) answers SGIs.  "figure=doorbell" with the main
 * role measures the doorbell alone (bench-smp-peer.dts: a peer of two vCPUs), "figure=sgi"
 * the SGI alone (a short run to trace with QEMU's -d exec).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "guest.h"
#include "noisy.h"
#include "pl031.h"

#define WARMUP 16U /* iterations run before the recorded ones */
#define ITER_SYNC 1001U /* synchronous paths: hypercall, traps */
#define ITER_ASYNC 201U /* interrupt paths */
#define TIMER_LEAD 20000U /* counter ticks from arming the timer to its deadline */
#define WAIT_LIMIT 200000000ULL /* ticks to wait for another CPU before giving up */
#define BENCH_SGI 1U /* main CPU -> second CPU */
#define BENCH_SGI_REPLY 2U /* and back */
#define PEER_READY 0x52454459U /* "REDY" */
#define NO_SAMPLE 0xffffffffU /* a run that gave no figure (see take_stamp) */
#define FAILED 0xfffffffeU /* an interrupt did not come */

/* xen_version's answer for Xen 4.17: major << 16 | minor. */
#define XEN_VERSION_4_17 0x00040011

enum env { ENV_NATIVE, ENV_TESSERA, ENV_XEN, ENV_UNKNOWN };

static const char *const env_names[] = { "native", "tessera", "xen", "unknown" };

/* The channel page shared with the peer partition (doorbell figure). */
struct shared {
	volatile uint32_t peer_ready;
	volatile uint32_t seq; /* written by main before each ring */
	volatile uint32_t ack; /* written by the peer's handler: the seq it answered */
	uint32_t pad;
	volatile uint64_t t_handler; /* the peer's IRQ-vector stamp */
};

static enum env env;
static uint32_t samples[ITER_SYNC];
static uint32_t figures;
static volatile uint32_t timer_fired;
static volatile uint32_t secondary_ready;
static struct shared *peer_page;

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Promises: one BENCH line for samples[0..n), which it sorts. */
static void report(const char *name, uint32_t n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_u32);
	printf("BENCH %s min=%lu median=%lu max=%lu iterations=%lu\n", name,
	       (unsigned long)samples[0], (unsigned long)samples[n / 2],
	       (unsigned long)samples[n - 1], (unsigned long)n);
	figures++;
}

static void not_available(const char *name, const char *reason)
{
	printf("BENCH %s n/a reason=%s\n", name, reason);
	figures++;
}

/* Promises: v in decimal, in a static buffer (newlib's printf may lack %llu). */
static const char *u64_dec(uint64_t v)
{
	static char buf[21];
	char *p = &buf[sizeof(buf) - 1];

	*p = '\0';
	do {
		*--p = (char)('0' + v % 10U);
		v /= 10U;
	} while (v);
	return p;
}

typedef uint32_t (*probe_t)(uintptr_t arg);

static uint32_t probe_null(uintptr_t arg)
{
	UNUSED(arg);
	return bench_null();
}

static uint32_t probe_hvc(uintptr_t fid)
{
	return bench_hvc((uint32_t)fid);
}

static uint32_t probe_xen_version(uintptr_t arg)
{
	UNUSED(arg);
	return bench_xen_version();
}

static uint32_t probe_read32(uintptr_t addr)
{
	return bench_read32(addr);
}

/* The distributor writes: arg = (offset << 8) | value, to keep one probe signature. */
static uint32_t probe_gicd_write32(uintptr_t arg)
{
	return bench_write32(gic_dist_base() + (arg >> 8), 1U << (arg & 0xff));
}

static uint32_t probe_gicd_write8(uintptr_t arg)
{
	return bench_write8(gic_dist_base() + (arg >> 8), arg & 0xff);
}

static uint32_t probe_actlr(uintptr_t arg)
{
	UNUSED(arg);
	return bench_actlr();
}

static void measure(const char *name, probe_t probe, uintptr_t arg)
{
	uint32_t i;

	for (i = 0; i < WARMUP; i++)
		(void)probe(arg);
	for (i = 0; i < ITER_SYNC; i++)
		samples[i] = probe(arg);
	report(name, ITER_SYNC);
}

/* GICD_ISPENDR0 for 'intid' (kept disabled, so never delivered), cleared again untimed. */
static void measure_ispendr(const char *name, uint32_t intid)
{
	uintptr_t set = gic_dist_base() + GICD_ISPENDR, clear = gic_dist_base() + GICD_ICPENDR;
	uint32_t i;

	gic_irq_disable(intid);
	for (i = 0; i < WARMUP + ITER_SYNC; i++) {
		uint32_t v = bench_write32(set, BIT(intid));

		mmio_write32(clear, BIT(intid));
		if (i >= WARMUP)
			samples[i - WARMUP] = v;
	}
	report(name, ITER_SYNC);
}

/* ---- environment ---- */

static int32_t xen_version(void)
{
	register uint32_t r0 __asm__("r0") = 0;
	register uint32_t r1 __asm__("r1") = 0;
	register uint32_t r12 __asm__("r12") = 17;

	__asm__ volatile(".arch_extension virt\n\thvc #0xea1"
			 : "+r"(r0), "+r"(r1), "+r"(r12)
			 :
			 : "r2", "r3", "r4", "memory");
	return (int32_t)r0;
}

static enum env detect(void)
{
	const struct fdt *fdt = guest_fdt();
	int node;

	if (guest_entered_hyp())
		return ENV_NATIVE;
	if (tessera_present())
		return ENV_TESSERA;
	if (!fdt)
		return ENV_UNKNOWN;
	node = fdt_path_offset(fdt, "/hypervisor");
	if (node >= 0 && fdt_node_is_compatible(fdt, node, "xen,xen"))
		return ENV_XEN;
	/*
	 * A dom0less domU has no /hypervisor node (without "xen,enhanced") and Xen 4.17 does not
	 * answer the SMCCC Call UID query of 32-bit guests: a guest entered in SVC mode whose
	 * hypervisor is not Tessera asks xen_version (HVC #0xEA1).
	 */
	if ((uint32_t)xen_version() >> 16 == 4U)
		return ENV_XEN;
	return ENV_UNKNOWN;
}

static uint32_t cpu_count(void)
{
	const struct fdt *fdt = guest_fdt();
	int cpus, node;
	uint32_t n = 0;

	if (!fdt)
		return 0;
	cpus = fdt_path_offset(fdt, "/cpus");
	for (node = fdt_first_subnode(fdt, cpus); node >= 0; node = fdt_next_subnode(fdt, node)) {
		const char *name = fdt_node_name(fdt, node);

		n += name && strncmp(name, "cpu@", 4) == 0;
	}
	return n;
}

/* ---- interrupts ---- */

/*
 * The CNTVCT read by the IRQ vector this handler runs under, taken once: 0 when the interrupt
 * was acknowledged by a later round of the same vector entry (the dispatcher handles what is
 * pending before it returns), which gives it no vector of its own to time.
 */
static uint64_t take_stamp(void)
{
	volatile uint64_t *slot = &bench_irq_stamps[cpu_index() & 3U];
	uint64_t stamp = *slot;

	*slot = 0;
	return stamp;
}

static volatile uint64_t timer_stamp;

static void timer_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	write_cntv_ctl(0); /* the line drops before the EOI */
	isb();
	timer_stamp = take_stamp();
	timer_fired = 1;
}

/* Wait for an interrupt with IRQs masked (race-free: a pending interrupt wakes WFI even when
 * masked, ARM ARM B1.8.13), then let it in. */
static void wait_irq_masked(void)
{
	cpu_wfi();
	cpu_irq_enable();
	cpu_irq_disable();
}

static uint32_t timer_once(bool wfi)
{
	uint64_t cval;

	timer_fired = 0;
	cpu_irq_disable();
	cval = gtimer_virt_count() + TIMER_LEAD;
	gtimer_virt_arm_at(cval);
	if (wfi) {
		while (!timer_fired)
			wait_irq_masked();
	} else {
		cpu_irq_enable();
		while (!timer_fired)
			;
		cpu_irq_disable();
	}
	return timer_stamp ? (uint32_t)(timer_stamp - cval) : NO_SAMPLE;
}

static bool measure_async(const char *name, uint32_t (*once)(bool), bool arg);

/* The physical timer (CNTP, PPI 30), spinning; its deadline in the virtual count. */
static uint64_t counter_offset;

static void ptimer_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	gtimer_phys_set_ctl(0); /* the line drops before the EOI */
	isb();
	timer_stamp = take_stamp();
	timer_fired = 1;
}

static uint32_t ptimer_once(bool unused)
{
	uint64_t cval;

	UNUSED(unused);
	timer_fired = 0;
	cpu_irq_disable();
	cval = gtimer_phys_count() + TIMER_LEAD;
	gtimer_phys_arm_at(cval);
	cpu_irq_enable();
	while (!timer_fired)
		;
	cpu_irq_disable();
	return timer_stamp ? (uint32_t)(timer_stamp + counter_offset - cval) : NO_SAMPLE;
}

/*
 * A passthrough SPI: the PL031 RTC's alarm, raised at once by QEMU when the match register is
 * written with the current count (its alarm has a resolution of one second otherwise).  The
 * sender's stamp is taken just before that store, then the CPU halts in WFI with IRQs masked
 * and takes the interrupt on wake-up (as the SGI figure does).
 */

static uintptr_t rtc_base;
static volatile uint64_t rtc_stamp;
static volatile uint32_t rtc_alarms;

static void rtc_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	rtc_stamp = take_stamp();
	mmio_write32(rtc_base + RTC_ICR, 1); /* lower the line before the EOI */
	rtc_alarms = rtc_alarms + 1U;
}

static uint32_t rtc_once(bool unused)
{
	uint32_t before = rtc_alarms, now = mmio_read32(rtc_base + RTC_DR);
	uint64_t t0;

	UNUSED(unused);
	rtc_stamp = 0;
	t0 = bench_write32_wfi(rtc_base + RTC_MR, now);
	cpu_irq_enable();
	cpu_irq_disable();
	if (rtc_alarms == before)
		return FAILED;
	return rtc_stamp ? (uint32_t)(rtc_stamp - t0) : NO_SAMPLE;
}

static void measure_rtc(void)
{
	const struct fdt *fdt = guest_fdt();
	int node = fdt ? fdt_next_compatible(fdt, -1, "arm,pl031") : -1;
	uint64_t base = 0, size;

	if (env == ENV_XEN) {
		not_available("spi_passthrough", "no-PL031-passed-through-to-the-Xen-domU");
		return;
	}
	if (env == ENV_NATIVE && node < 0)
		base = 0x09010000U; /* bare QEMU virt, entered without a device tree */
	else if (node < 0 || !fdt_reg(fdt, node, 0, &base, &size)) {
		not_available("spi_passthrough", "no-PL031-in-the-device-tree");
		return;
	}
	rtc_base = (uintptr_t)base;
	pl031_alarm_on(rtc_base, rtc_isr);
	if (!measure_async("spi_passthrough", rtc_once, false))
		not_available("spi_passthrough", "alarm-lost");
	mmio_write32(rtc_base + RTC_IMSC, 0);
	gic_irq_disable(RTC_INTID);
}

/* Promises: ITER_ASYNC samples of once() after WARMUP unrecorded runs, leaving out runs that
 * gave no sample (their count is reported); false if once() failed. */
static bool measure_async(const char *name, uint32_t (*once)(bool), bool arg)
{
	uint32_t tries, n = 0, skipped = 0;

	for (tries = 0; n < ITER_ASYNC && tries < 4U * (WARMUP + ITER_ASYNC); tries++) {
		uint32_t v = once(arg);

		if (v == FAILED)
			return false;
		if (tries < WARMUP)
			continue;
		if (v == NO_SAMPLE)
			skipped++;
		else
			samples[n++] = v;
	}
	if (skipped)
		printf("BENCH-INFO %s skipped=%lu (handled without a vector entry of its own)\n",
		       name, (unsigned long)skipped);
	if (n)
		report(name, n);
	return true;
}

static void measure_timer(const char *name, bool wfi)
{
	(void)measure_async(name, timer_once, wfi);
}

/*
 * Cross-CPU figures: the sender stamps, sends and halts in WFI at once; the receiver's IRQ
 * vector stamps, its handler answers with an interrupt back.  QEMU runs the CPUs one at a time
 * under -icount (an interrupt raised for a CPU waits until the running one halts, and a
 * sender that spins starves it), so the figure is every instruction executed on both CPUs
 * from the send to the receiver's vector: the sender's rest of the path, then the receiver's.
 */
static volatile uint32_t replies;

static void reply_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	replies = replies + 1U;
}

/* Promises: waits (IRQs masked) for a reply after `before`, at most WAIT_LIMIT ticks. */
static bool wait_reply(uint32_t before)
{
	timer_fired = 0;
	gtimer_virt_arm_in(WAIT_LIMIT); /* a watchdog: a lost interrupt must not hang the run */
	while (replies == before && !timer_fired)
		wait_irq_masked();
	gtimer_virt_stop();
	return replies != before;
}

/* ---- SGI to a second CPU ---- */

static volatile uint64_t sgi_stamp;

static void sgi_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	sgi_stamp = take_stamp();
	gic_send_sgi(BENCH_SGI_REPLY, GIC_SGI_TO_LIST, BIT(0));
}

static uint32_t sgi_once(bool unused)
{
	uint32_t value = (uint32_t)GIC_SGI_TO_LIST << GICD_SGIR_FILTER_SHIFT |
			 BIT(1) << GICD_SGIR_TARGETS_SHIFT | BENCH_SGI;
	uint32_t before = replies;
	uint64_t t0;

	UNUSED(unused);
	sgi_stamp = 0;
	t0 = bench_write32_wfi(gic_dist_base() + GICD_SGIR, value);
	if (!wait_reply(before))
		return FAILED;
	return sgi_stamp ? (uint32_t)(sgi_stamp - t0) : NO_SAMPLE;
}

void guest_secondary_main(uint32_t context)
{
	if (context == NOISY_CPU_OFF || context == NOISY_SGI_SINK)
		noisy_secondary(context);
	write_vbar((uint32_t)(uintptr_t)bench_vectors);
	isb();
	gic_cpu_init();
	cpu_irq_disable();
	dsb_ish();
	secondary_ready = 1;
	for (;;)
		wait_irq_masked();
}

static void measure_sgi(void)
{
	int32_t ret;

	if (env == ENV_XEN) {
		not_available("sgi", "Xen-runs-one-CPU-under-icount");
		return;
	}
	if (env == ENV_TESSERA && cpu_count() < 2) {
		not_available("sgi", "partition-has-one-vCPU");
		return;
	}
	ret = psci_cpu_on(1, (uintptr_t)guest_secondary_entry, 0);
	timer_fired = 0;
	gtimer_virt_arm_in(WAIT_LIMIT);
	while (ret == PSCI_SUCCESS && !secondary_ready && !timer_fired)
		wait_irq_masked();
	gtimer_virt_stop();
	if (!secondary_ready) {
		not_available("sgi", "no-second-CPU");
		return;
	}
	if (!measure_async("sgi", sgi_once, false))
		not_available("sgi", "SGI-lost");
}

/* ---- doorbell to the peer partition ---- */

static bool channel(struct fdt_channel *ch)
{
	const struct fdt *fdt = guest_fdt();

	return fdt && fdt_channel(fdt, 0, ch) && ch->intid >= GIC_SPI_BASE;
}

static void enable_doorbell(const struct fdt_channel *ch, gic_handler_t handler)
{
	gic_register(ch->intid, handler, NULL);
	gic_irq_set_edge(ch->intid, true);
	gic_irq_enable(ch->intid);
}

static uint32_t doorbell_once(bool unused)
{
	uint32_t before = replies, seq = peer_page->seq + 1U;
	uint64_t t0;

	UNUSED(unused);
	peer_page->seq = seq;
	t0 = bench_hvc_wfi(TESSERA_FID_DOORBELL_RING, 0);
	if (!wait_reply(before) || peer_page->ack != seq)
		return FAILED;
	dmb_ish();
	return peer_page->t_handler ? (uint32_t)(peer_page->t_handler - t0) : NO_SAMPLE;
}

/*
 * Waits for the peer partition, when the system has one, before the first figure: its start
 * (the hypervisor loading it on another CPU, then its own start) would otherwise run during
 * a figure, and QEMU, which runs the CPUs one at a time, charges it to the sample it
 * preempts (traced with tools/insn_per_cpu.c's gaps=: one IPRIORITYR read of 16,644).
 */
static void wait_for_peer(void)
{
	struct fdt_channel ch;

	if (env != ENV_TESSERA || !channel(&ch))
		return;
	peer_page = (struct shared *)(uintptr_t)ch.ipa;
	enable_doorbell(&ch, reply_isr);
	timer_fired = 0;
	gtimer_virt_arm_in(WAIT_LIMIT);
	while (peer_page->peer_ready != PEER_READY && !timer_fired)
		wait_irq_masked(); /* the peer rings once when it is ready */
	gtimer_virt_stop();
	cpu_irq_enable(); /* take the "ready" ring if it is still pending */
	cpu_irq_disable();
}

static void measure_doorbell(void)
{
	if (env != ENV_TESSERA)
		not_available("doorbell", "Tessera-channels-only");
	else if (!peer_page)
		not_available("doorbell", "no-channel-in-this-system");
	else if (peer_page->peer_ready != PEER_READY)
		not_available("doorbell", "peer-not-ready");
	else if (!measure_async("doorbell", doorbell_once, false))
		not_available("doorbell", "doorbell-lost");
}

static void doorbell_isr(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	peer_page->t_handler = take_stamp();
	peer_page->ack = peer_page->seq;
	dsb_ish();
	(void)tessera_doorbell_ring(0);
}

static int peer_main(void)
{
	struct fdt_channel ch;

	if (env != ENV_TESSERA || !channel(&ch)) {
		printf("BENCH-INFO peer=no-channel\n");
		return 1;
	}
	peer_page = (struct shared *)(uintptr_t)ch.ipa;
	enable_doorbell(&ch, doorbell_isr);
	cpu_irq_disable();
	peer_page->peer_ready = PEER_READY;
	dsb_ish();
	(void)tessera_doorbell_ring(0);
	printf("BENCH-INFO peer=ready\n");
	for (;;)
		wait_irq_masked();
}

/* ---- main ---- */

static void checks(void)
{
	uint32_t offset = (uint32_t)((uintptr_t)bench_zimage_magic - (uintptr_t)guest_vectors);

	if (offset != BENCH_ZIMAGE_MAGIC_OFFSET || bench_zimage_magic[0] != BENCH_ZIMAGE_MAGIC)
		guest_panic("bench: the zImage header is not at offset 0x24");
	printf("BENCH-INFO env=%s cpus=%lu gicd=0x%08lx uart=0x%08lx cntfrq=%lu\n", env_names[env],
	       (unsigned long)cpu_count(), (unsigned long)gic_dist_base(),
	       (unsigned long)pl011_base(), (unsigned long)gtimer_freq());
	if (env == ENV_TESSERA)
		printf("BENCH-INFO tessera_version=0x%08lx smccc_version=0x%08lx\n",
		       (unsigned long)tessera_version(), (unsigned long)tessera_smccc_version());
	if (env == ENV_XEN && xen_version() != XEN_VERSION_4_17)
		printf("BENCH-INFO xen_version=0x%08lx (not 4.17)\n", (unsigned long)xen_version());
	else if (env == ENV_XEN)
		printf("BENCH-INFO xen_version=0x%08lx\n", (unsigned long)xen_version());
	printf("BENCH-INFO gicd_typer=0x%08lx uart_fr=0x%08lx actlr=0x%08lx\n",
	       (unsigned long)mmio_read32(gic_dist_base() + GICD_TYPER),
	       (unsigned long)mmio_read32(pl011_base() + PL011_FR), (unsigned long)read_actlr());
}

int main(void)
{
	char role[16] = "main", figure[16] = "";

	env = detect();
	write_vbar((uint32_t)(uintptr_t)bench_vectors);
	isb();
	(void)bootargs_get(guest_bootargs(), "role", role, sizeof(role));
	(void)bootargs_get(guest_bootargs(), "figure", figure, sizeof(figure));
	gic_init();
	printf("BENCH-INFO role=%s entry=%s\n", role, u64_dec(guest_boot_count()));
	if (strcmp(role, "peer") == 0)
		return peer_main();
	if (strcmp(role, "victim") == 0)
		return victim_main();
	if (strcmp(role, "noisy") == 0)
		return noisy_main();

	checks();
	if (env == ENV_UNKNOWN) {
		printf("BENCH-INFO error=unknown-environment\n");
		return 1;
	}
	gic_register(GTIMER_VIRT_INTID, timer_isr, NULL);
	gic_irq_enable(GTIMER_VIRT_INTID);
	gic_register(BENCH_SGI, sgi_isr, NULL);
	gic_register(BENCH_SGI_REPLY, reply_isr, NULL);
	wait_for_peer();
	if (strcmp(figure, "doorbell") == 0 || strcmp(figure, "sgi") == 0) {
		if (figure[0] == 'd')
			measure_doorbell();
		else
			measure_sgi();
		printf("BENCH-DONE %lu figures\n", (unsigned long)figures);
		return 0;
	}

	measure("overhead", probe_null, 0);
	if (env == ENV_XEN)
		measure("hypercall", probe_xen_version, 0);
	else
		measure("hypercall", probe_hvc, TESSERA_FID_VERSION);
	measure("smccc_version", probe_hvc, SMCCC_VERSION);
	measure("gicd_typer", probe_read32, gic_dist_base() + GICD_TYPER);
	measure("gicd_isenabler0", probe_read32, gic_dist_base() + GICD_ISENABLER);
	measure("gicd_ipriorityr", probe_read32, gic_dist_base() + GICD_IPRIORITYR + 24);
	measure("gicd_itargetsr", probe_read32, gic_dist_base() + GICD_ITARGETSR + 32);
	measure("gicd_icfgr", probe_read32, gic_dist_base() + GICD_ICFGR + 8);
	measure("uart_fr", probe_read32, pl011_base() + PL011_FR);
	measure("cp15_actlr", probe_actlr, 0);
	/*
	 * Distributor writes, on the physical timer's PPI 30 (its timer stopped) and on the
	 * UART's SPI (Xen's vpl011 has SPI 0, INTID 32; QEMU virt's PL011 INTID 33).
	 */
	measure("gicd_isenabler_w", probe_gicd_write32, GICD_ISENABLER << 8 | GTIMER_PHYS_INTID);
	measure("gicd_icenabler_w", probe_gicd_write32, GICD_ICENABLER << 8 | GTIMER_PHYS_INTID);
	measure("gicd_ipriorityr_b", probe_gicd_write8,
		(GICD_IPRIORITYR + GTIMER_PHYS_INTID) << 8 | 0xa0);
	measure("gicd_itargetsr_b", probe_gicd_write8,
		(GICD_ITARGETSR + (env == ENV_XEN ? 32U : 33U)) << 8 | 0x01);
	measure_ispendr("gicd_ispendr_w", GTIMER_PHYS_INTID);
	/* The UART's SPI enabled and disabled again: how a driver masks a device's line. */
	measure("gicd_isenabler_spi_w", probe_gicd_write32,
		(GICD_ISENABLER + 4) << 8 | (env == ENV_XEN ? 0U : 1U));
	measure("gicd_icenabler_spi_w", probe_gicd_write32,
		(GICD_ICENABLER + 4) << 8 | (env == ENV_XEN ? 0U : 1U));
	measure("gicd_ispendr1", probe_read32, gic_dist_base() + GICD_ISPENDR + 4);
	measure_timer("vtimer_spin", false);
	measure_timer("vtimer_wfi", true);
	counter_offset = bench_counter_offset();
	gic_register(GTIMER_PHYS_INTID, ptimer_isr, NULL);
	gic_irq_enable(GTIMER_PHYS_INTID);
	(void)measure_async("ptimer_spin", ptimer_once, false);
	gtimer_phys_stop();
	gic_irq_disable(GTIMER_PHYS_INTID);
	measure_rtc();
	measure_sgi();
	measure_doorbell();
	printf("BENCH-DONE %lu figures\n", (unsigned long)figures);
	return 0;
}
