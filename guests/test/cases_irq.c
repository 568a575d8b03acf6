/*
 * Test-guest cases of the virtual GIC (issue 5): timers, the emulated
 * distributor, priorities, passthrough interrupts, storms and console input.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

#define VTIMER_INTID 27U
#define PTIMER_INTID 30U
#define UART_INTID 33U
#define RTC_BASE 0x09010000U /* PL031, passed through on QEMU virt */
#define RTC_INTID 34U

static uint64_t ms_to_count(uint32_t ms)
{
	return gtimer_ns_to_count((uint64_t)ms * 1000000);
}

static void spin_ms(uint32_t ms)
{
	uint64_t end = gtimer_virt_count() + ms_to_count(ms);

	while (gtimer_virt_count() < end)
		;
}

/* ---- Timers --------------------------------------------------------------------- */

static volatile uint32_t vticks, pticks, late_ticks;
static volatile uint64_t max_latency;
static uint64_t tick_period;

static void vtimer_tick(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	uint64_t now = gtimer_virt_count(), cval = gtimer_virt_get_cval();

	if (now < cval)
		late_ticks++; /* early, in fact: it must never fire before its deadline */
	else if (now - cval > max_latency)
		max_latency = now - cval;
	vticks++;
	gtimer_virt_set_cval(gtimer_virt_get_cval() + tick_period);
}

static void ptimer_tick(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	if (gtimer_phys_count() < gtimer_phys_get_cval())
		late_ticks++;
	pticks++;
	gtimer_phys_set_cval(gtimer_phys_get_cval() + tick_period);
}

void tg_timer(void)
{
	uint32_t ms = tg_arg_u32("ms", 200), phys = tg_arg_u32("phys", 1), v, p, wfis;
	uint64_t deadline;

	gic_init();
	gic_cpu_init();
	tick_period = ms_to_count(1); /* 1 kHz */
	gic_register(VTIMER_INTID, vtimer_tick, NULL);
	gic_register(PTIMER_INTID, ptimer_tick, NULL);
	gic_irq_enable(VTIMER_INTID);
	gic_irq_enable(PTIMER_INTID);
	gtimer_virt_arm_at(gtimer_virt_count() + tick_period);
	if (phys)
		gtimer_phys_arm_at(gtimer_phys_count() + tick_period);
	cpu_irq_enable();
	spin_ms(ms);
	cpu_irq_disable();
	gtimer_virt_stop();
	gtimer_phys_stop();
	v = vticks;
	p = pticks;
	printf("TG timer: %u ms: %u virtual and %u physical timer ticks, worst latency %u us\n",
	       (unsigned)ms, (unsigned)v, (unsigned)p,
	       (unsigned)(gtimer_count_to_ns(max_latency) / 1000));
	tg_check(v >= ms * 9 / 10 && v <= ms * 102 / 100 + 3, "timer.virtual", "%u ticks in %u ms",
		 (unsigned)v, (unsigned)ms);
	tg_check(!phys || (p >= ms * 9 / 10 && p <= ms * 102 / 100 + 3), "timer.physical",
		 "%u ticks in %u ms", (unsigned)p, (unsigned)ms);
	tg_check(late_ticks == 0, "timer.deadline", "%u ticks before their deadline",
		 (unsigned)late_ticks);
	/*
	 * WFI: a vCPU asleep wakes on its timer, and not before: a few WFIs (a wake-up without
	 * an interrupt is allowed: on QEMU, the hypervisor's 1 ms GIC re-evaluation tick), not
	 * a loop that never slept, which would make its 1000 in microseconds.
	 */
	vticks = 0;
	deadline = gtimer_virt_count() + ms_to_count(5);
	gtimer_virt_arm_at(deadline);
	cpu_irq_enable();
	for (wfis = 0; vticks == 0 && wfis < 1000; wfis++)
		cpu_wfi();
	cpu_irq_disable();
	gtimer_virt_stop();
	tg_check(vticks > 0 && wfis <= 10 && gtimer_virt_count() >= deadline, "timer.wfi",
		 "%u wake-ups after %u WFIs", (unsigned)vticks, (unsigned)wfis);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/* ---- The emulated distributor ------------------------------------------------------- */

static uint32_t gicd_read(uint32_t off)
{
	return mmio_read32(GICD_BASE + off);
}

static void gicd_write(uint32_t off, uint32_t v)
{
	mmio_write32(GICD_BASE + off, v);
}

/* Take one interrupt by polling (IRQs masked): its INTID, or 1023. */
static uint32_t take(uint32_t *iar_out)
{
	uint32_t iar = gic_ack();

	*iar_out = iar;
	return iar & GICC_IAR_INTID;
}

void tg_gicd(void)
{
	uint32_t typer, iar, intid, i, order[16], n;
	bool in_order = true;

	gic_init();
	gic_cpu_init();
	cpu_irq_disable();
	typer = gicd_read(GICD_TYPER);
	printf("TG gicd: TYPER 0x%08x IIDR 0x%08x\n", (unsigned)typer,
	       (unsigned)gicd_read(GICD_IIDR));
	tg_check((typer & 0x1f) >= 1 && ((typer >> 5) & 7) == 0, "gicd.typer", "TYPER 0x%08x",
		 (unsigned)typer);
	tg_check(gicd_read(GICD_IIDR) == 0x5400043b, "gicd.iidr", "0x%08x",
		 (unsigned)gicd_read(GICD_IIDR));
	tg_check((gicd_read(0xfe8) & 0xf0) == 0x20, "gicd.archrev", "ICPIDR2 0x%x",
		 (unsigned)gicd_read(0xfe8));
	tg_check((gicd_read(GICD_CTLR) & 3) == 3, "gicd.ctlr", "CTLR 0x%x",
		 (unsigned)gicd_read(GICD_CTLR));

	/* Disabled and pending: not delivered; enabled: delivered, then active. */
	gic_irq_disable(UART_INTID);
	gic_irq_set_priority(UART_INTID, 0x80);
	gic_irq_set_pending(UART_INTID);
	tg_check(gic_irq_is_pending(UART_INTID), "gicd.pending", "ISPENDR does not show it");
	intid = take(&iar);
	tg_check(intid == GIC_INTID_SPURIOUS, "gicd.disabled", "a disabled interrupt arrived (%u)",
		 (unsigned)intid);
	gic_irq_enable(UART_INTID);
	intid = take(&iar);
	tg_check(intid == UART_INTID, "gicd.enabled", "got %u", (unsigned)intid);
	tg_check(gic_irq_is_active(UART_INTID) && !gic_irq_is_pending(UART_INTID), "gicd.active",
		 "not active after acknowledge");
	gic_eoi(iar);
	tg_check(!gic_irq_is_active(UART_INTID), "gicd.eoi", "still active after EOI");
	gic_irq_set_pending(UART_INTID);
	gic_irq_clear_pending(UART_INTID);
	tg_check(take(&iar) == GIC_INTID_SPURIOUS, "gicd.clear_pending", "delivered after ICPENDR");

	/* Someone else's interrupts: invisible and unchangeable. */
	gicd_write(GICD_ISENABLER + 4, BIT(8)); /* INTID 40 */
	tg_check((gicd_read(GICD_ISENABLER + 4) & BIT(8)) == 0, "gicd.foreign.enable",
		 "enable of INTID 40 stuck");
	gic_irq_set_priority(41, 0x10);
	tg_check(gic_irq_get_priority(41) == 0, "gicd.foreign.priority", "priority of 41 stuck");
	tg_check(gic_irq_get_priority(UART_INTID) == 0x80, "gicd.priority", "0x%x",
		 (unsigned)gic_irq_get_priority(UART_INTID));

	/* Priority mask: only interrupts above the mask come through, highest first. */
	gic_irq_set_priority(5, 0x80);
	gic_irq_set_priority(6, 0x40);
	gic_set_priority_mask(0x60);
	gic_send_sgi(5, GIC_SGI_TO_SELF, 0);
	gic_send_sgi(6, GIC_SGI_TO_SELF, 0);
	intid = take(&iar);
	tg_check(intid == 6, "gicd.mask.higher", "got %u", (unsigned)intid);
	gic_eoi(iar);
	intid = take(&iar);
	tg_check(intid == GIC_INTID_SPURIOUS, "gicd.mask.masked", "masked SGI 5 arrived (%u)",
		 (unsigned)intid);
	gic_set_priority_mask(GIC_PRIO_MASK_ALL);
	intid = take(&iar);
	tg_check(intid == 5, "gicd.mask.unmasked", "got %u", (unsigned)intid);
	gic_eoi(iar);

	/* More pending than list registers: all arrive, in priority order. */
	for (i = 0; i < 16; i++)
		gic_irq_set_priority(i, (uint8_t)(0xe0 - i * 8)); /* SGI 15 highest */
	for (i = 0; i < 16; i++)
		gic_send_sgi(i, GIC_SGI_TO_SELF, 0);
	for (n = 0; n < 16; n++) {
		intid = take(&iar);
		if (intid >= 16)
			break;
		order[n] = intid;
		gic_eoi(iar);
	}
	for (i = 0; i < n; i++)
		if (order[i] != 15 - i)
			in_order = false;
	tg_check(n == 16 && in_order, "gicd.overflow", "%u of 16 SGIs arrived%s", (unsigned)n,
		 in_order ? "" : ", out of priority order");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/* ---- A passthrough device: the PL031 RTC's alarm ------------------------------------- */

#define RTC_DR 0x00
#define RTC_MR 0x04
#define RTC_CR 0x0c
#define RTC_IMSC 0x10
#define RTC_MIS 0x18
#define RTC_ICR 0x1c

static volatile uint32_t rtc_alarms;

static void rtc_alarm(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	rtc_alarms++;
	mmio_write32(RTC_BASE + RTC_ICR, 1); /* lower the line before EOI */
}

void tg_passthrough(void)
{
	uint32_t want = tg_arg_u32("alarms", 2), i;
	uint64_t end;

	gic_init();
	gic_cpu_init();
	gic_register(RTC_INTID, rtc_alarm, NULL);
	gic_irq_set_edge(RTC_INTID, false);
	gic_irq_enable(RTC_INTID);
	mmio_write32(RTC_BASE + RTC_CR, 1);
	mmio_write32(RTC_BASE + RTC_IMSC, 1);
	cpu_irq_enable();
	for (i = 0; i < want; i++) {
		uint32_t before = rtc_alarms;

		mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
		end = gtimer_virt_count() + ms_to_count(4000);
		while (rtc_alarms == before && gtimer_virt_count() < end)
			cpu_wfi();
		printf("TG passthrough: RTC alarm %u %s\n", (unsigned)(i + 1),
		       rtc_alarms > before ? "taken" : "MISSING");
	}
	cpu_irq_disable();
	tg_check(rtc_alarms == want, "passthrough.rtc", "%u of %u alarms", (unsigned)rtc_alarms,
		 (unsigned)want);
	tg_check(!gic_irq_is_active(RTC_INTID), "passthrough.completed", "still active");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/*
 * The RTC alarm passed through to a two-vCPU partition (tg_smp) and moved
 * between its vCPUs (issue 14 defect 9): interrupts taken by polling the CPU
 * interface, IRQs masked, on whichever vCPU the alarm is targeted at.
 */
static volatile uint32_t rtc_alarm_cpu;

void tg_rtc_setup(void)
{
	gic_irq_set_edge(RTC_INTID, false);
	gic_irq_enable(RTC_INTID);
	mmio_write32(RTC_BASE + RTC_CR, 1);
	mmio_write32(RTC_BASE + RTC_IMSC, 1);
}

/* Take one pending interrupt if any: the RTC alarm is counted, anything else completed. */
void tg_rtc_poll(void)
{
	uint32_t iar = gic_ack(), intid = iar & GICC_IAR_INTID;

	if (intid == RTC_INTID) {
		rtc_alarm_cpu = cpu_index();
		mmio_write32(RTC_BASE + RTC_ICR, 1); /* lower the line before EOI */
		__atomic_fetch_add(&rtc_alarms, 1, __ATOMIC_SEQ_CST);
	}
	if (intid < GIC_INTID_MAX)
		gic_eoi(iar);
}

/* One alarm with the RTC's interrupt targeted at 'cpu_mask': the vCPU that took it, or 0xff. */
uint32_t tg_rtc_alarm_at(uint8_t cpu_mask)
{
	uint32_t before = rtc_alarms;
	uint64_t end = gtimer_virt_count() + ms_to_count(4000);

	rtc_alarm_cpu = 0xff;
	gic_irq_set_target(RTC_INTID, cpu_mask);
	mmio_write32(RTC_BASE + RTC_MR, mmio_read32(RTC_BASE + RTC_DR) + 1);
	while (rtc_alarms == before && gtimer_virt_count() < end)
		if (cpu_mask & (1U << cpu_index()))
			tg_rtc_poll();
	return rtc_alarms == before ? 0xff : rtc_alarm_cpu;
}

/* ---- An interrupt storm: every handler raises the next interrupt -------------------- */

static volatile uint32_t storm_count, storm_target;

static void storm_sgi(uint32_t intid, void *arg)
{
	UNUSED(arg);
	if (++storm_count < storm_target)
		gic_send_sgi(intid, GIC_SGI_TO_SELF, 0);
}

/*
 * The partition floods itself: while it lasts its own code barely runs (an
 * interrupt is taken again right after every return), which must cost the
 * other partitions nothing.
 */
void tg_storm(void)
{
	uint32_t rounds = tg_arg_u32("rounds", 3), r;

	gic_init();
	gic_cpu_init();
	gic_register(1, storm_sgi, NULL);
	cpu_irq_enable();
	for (r = 1; r <= rounds; r++) {
		storm_count = 0;
		storm_target = tg_arg_u32("count", 20000);
		gic_send_sgi(1, GIC_SGI_TO_SELF, 0);
		while (storm_count < storm_target)
			cpu_wfi();
		printf("TG storm: round %u, %u interrupts\n", (unsigned)r, (unsigned)storm_count);
	}
	cpu_irq_disable();
	/* Its last SGI was taken and completed: nothing of the storm is left pending or active. */
	tg_check(!(mmio_read32(GICD_BASE + 0x200) & BIT(1)) &&
			 !(mmio_read32(GICD_BASE + 0x300) & BIT(1)),
		 "storm.ends_clean", "SGI 1 still pending or active after the storm");
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}

/* ---- Console input through the emulated PL011's receive interrupt -------------------- */

static char line[80];
static volatile uint32_t line_len, line_done;

static void uart_rx(uint32_t intid, void *arg)
{
	UNUSED(intid);
	UNUSED(arg);
	while (!(mmio_read32(PL011_BASE + 0x18) & BIT(4))) { /* FR.RXFE */
		char c = (char)(mmio_read32(PL011_BASE) & 0xff);

		if (c == '\r' || c == '\n') {
			line[line_len] = 0;
			line_done = 1;
		} else if (line_len < sizeof(line) - 1) {
			line[line_len++] = c;
		}
	}
	mmio_write32(PL011_BASE + 0x44, BIT(4) | BIT(6)); /* ICR: RX, RT */
}

void tg_console(void)
{
	uint32_t lines = tg_arg_u32("lines", 1), n;

	gic_init();
	gic_cpu_init();
	gic_register(UART_INTID, uart_rx, NULL);
	gic_irq_enable(UART_INTID);
	mmio_write32(PL011_BASE + 0x38, BIT(4) | BIT(6)); /* IMSC: RX, RT */
	cpu_irq_enable();
	printf("TG console: ready for input\n");
	for (n = 0; n < lines; n++) {
		printf("TG prompt> "); /* no newline: the hypervisor shows it anyway */
		while (!line_done)
			cpu_wfi();
		printf("TG console: got \"%s\"\n", line);
		line_len = 0;
		line_done = 0;
	}
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 200), tg_arg_u32("beats", 0));
}
