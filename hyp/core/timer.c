/*
 * Time: the physical counter for timeouts and rate limits, and the
 * hypervisor's own Hyp timer (ARM ARM B8, the Generic Timer).
 */
#include "arch/sysreg.h"
#include "hyp/core/cpu.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/vuart.h"
#include "platform/uart.h"
#include "vgic/vgic.h"

u64 timer_now(void)
{
	isb();
	return read64_cntpct();
}

void timer_wfe_bounded(bool on)
{
	u32 v = read_cnthctl() & ~(CNTHCTL_EVNTEN | CNTHCTL_EVNTI_MASK);

	/*
	 * The event stream (B8.1.5, CNTHCTL B4.1.26): an event each time bit 14 of the count
	 * goes 0 to 1, every 2^15 ticks (0.5 ms at 62.5 MHz, 1.4 ms at 24 MHz).  A WFE waiting
	 * for another CPU's SEV wakes then too, to look at its deadline: a CPU that never comes
	 * up sends none.  guest_arch_reset rewrites CNTHCTL, so no guest ever runs with it.
	 */
	write_cnthctl(on ? v | CNTHCTL_EVNTEN | (14U << CNTHCTL_EVNTI_SHIFT) : v);
	isb();
}

/* Out of line (noinline): LTO had copied it into a dozen callers, each copy larger than a call. */
__attribute__((noinline)) u64 timer_ms_to_ticks(u32 ms)
{
	/*
	 * CNTFRQ is a whole number of kHz on every board (24 MHz, 62.5 MHz, 1 GHz): a 32-bit
	 * division by a constant (a multiply) rather than libgcc's 64-bit one, which would be
	 * most of the Hyp timer's interrupt path.
	 */
	return (u64)ms * (read_cntfrq() / 1000U);
}

u32 timer_ticks_to_ms(u64 ticks)
{
	u32 per_ms = (u32)timer_ms_to_ticks(1), rest = 0, ms = 0, i;

	/*
	 * A display figure: long division a byte at a time, not libgcc's 64-bit division in the
	 * image.  The rest stays below per_ms (< 2^23: CNTFRQ is 32 bits), so rest << 8 | byte
	 * fits 32 bits and each step is one 32-bit UDIV (ARMv7VE).  Modulo 2^32, like a u32.
	 */
	for (i = 0; i < 8; i++, ticks <<= 8) {
		rest = rest << 8 | (u32)(ticks >> 56);
		ms = ms << 8 | rest / per_ms;
		rest %= per_ms;
	}
	return ms;
}

/* ---- The Hyp timer ---------------------------------------------------------- */

/*
 * The hypervisor's own timer (CNTHP, PPI 26), never a guest's.  It serves
 * four things on a CPU that runs a guest: flushing a partial console line the
 * guest has left without a newline for too long (a prompt, an echo), saying
 * how many fault messages a closed rate-limit window suppressed, in a
 * UART_BAUD build draining the console (see console_poll; that one also on a
 * CPU with no guest), and the
 * QEMU GIC workaround described at PLAT_GIC_REPOKE_MS (a periodic interrupt
 * makes the GIC model look at pending interrupts again), which runs only on
 * QEMU's GIC (gic_is_emulated) unless GIC_REPOKE_MS= on the make command line
 * forces it on or off.
 */
#define PARTIAL_LINE_MS 50
/* A UART_BAUD build's console drain: under the 16-byte FIFO's time at 115200 baud (1.4 ms). */
#define CONSOLE_POLL_MS 1

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x) /* a number from platform.h or the make command line */
#define TICK_ON STRINGIFY(PLAT_GIC_REPOKE_MS) " ms re-evaluation tick on"
#define TICK_OFF "re-evaluation tick off"
#ifndef PLAT_GIC_REPOKE_FORCED
#define REPOKE_FORCED false
#define TICK_IF_QEMU TICK_ON
#define TICK_IF_NOT TICK_OFF
#else /* make GIC_REPOKE_MS=<n>: on every GIC, never if 0 */
#define REPOKE_FORCED true
#define FORCED_BY " (GIC_REPOKE_MS=" STRINGIFY(PLAT_GIC_REPOKE_MS) ")"
#if PLAT_GIC_REPOKE_MS > 0
#define TICK_IF_QEMU TICK_ON FORCED_BY
#define TICK_IF_NOT TICK_ON FORCED_BY
#else
#define TICK_IF_QEMU TICK_OFF FORCED_BY
#define TICK_IF_NOT TICK_OFF FORCED_BY
#endif
#endif

static bool repoke_on; /* set once by hyp_timer_init */

void hyp_timer_init(void)
{
	bool qemu = gic_is_emulated();

	repoke_on = REPOKE_FORCED ? PLAT_GIC_REPOKE_MS > 0 : qemu;
	/*
	 * The tick follows the model unless forced: one whole line for each model (as a %s:
	 * the formatter copies a string faster than it parses the same characters of a format).
	 */
	log_info("GIC: %s",
		 qemu ? "QEMU's model detected, " TICK_IF_QEMU : "not QEMU's model, " TICK_IF_NOT);
}

/* Out of line (noinline): one copy for hyp_timer_start and hyp_timer_expired. */
static __attribute__((noinline)) u64 repoke_deadline(u64 now)
{
#if PLAT_GIC_REPOKE_MS > 0
	if (repoke_on)
		return now + timer_ms_to_ticks(PLAT_GIC_REPOKE_MS);
#endif
	UNUSED(now);
	return ~0ULL;
}

static void hyp_timer_program(u64 deadline)
{
	struct cpu *c = this_cpu();

	c->hyp_timer_deadline = deadline;
	if (deadline == ~0ULL) {
		write_cnthp_ctl(0);
		return;
	}
	write64_cnthp_cval(deadline);
	write_cnthp_ctl(CNT_CTL_ENABLE);
	isb();
}

void hyp_timer_start(void)
{
	hyp_timer_program(repoke_deadline(timer_now()));
	gic_irq_enable(GIC_PPI_HYP_TIMER, true);
}

void hyp_timer_stop(void)
{
	hyp_timer_program(~0ULL);
	if (UART_HAS_TX_IRQ)
		gic_irq_enable(GIC_PPI_HYP_TIMER, false);
	else
		hyp_timer_console_later(); /* a UART_BAUD build: what is in the rings still drains */
	/*
	 * (So a parked CPU of a UART_BAUD build, a test build, keeps a 1 ms tick: polling only
	 * while the rings hold bytes let qemu.console.noisy_neighbours's CPU_ON/CPU_OFF loop
	 * stall for whole periods on QEMU, not understood; boards' builds have no such tick.)
	 */
}

void hyp_timer_wake_at(u64 when)
{
	if (when < this_cpu()->hyp_timer_deadline)
		hyp_timer_program(when);
}

void hyp_timer_flush_line_later(void)
{
	hyp_timer_wake_at(timer_now() + timer_ms_to_ticks(PARTIAL_LINE_MS));
}

/* Also on a CPU with no guest, whose Hyp timer interrupt is off (vcpu_park, or never on). */
void hyp_timer_console_later(void)
{
	gic_irq_enable(GIC_PPI_HYP_TIMER, true);
	hyp_timer_wake_at(timer_now() + timer_ms_to_ticks(CONSOLE_POLL_MS));
}

void hyp_timer_expired(struct vcpu *v)
{
	u64 now = timer_now(), next = repoke_deadline(now);

	if (!UART_HAS_TX_IRQ && console_poll()) /* a constant: only UART_BAUD builds poll */
		next = MIN(next, now + timer_ms_to_ticks(CONSOLE_POLL_MS));
	if (v) {
		/* (Each asked once: MIN() would call its arguments twice.) */
		u64 at = timer_ms_to_ticks(PARTIAL_LINE_MS);
		/* Loaded once: for all GCC knows, the calls below change v->part. */
		struct partition *p = v->part;

		if (vuart_flush_stale(p, at))
			next = MIN(next, now + at);
		/* A fault-message window with suppressed messages: its count when it closes. */
		if (__atomic_load_n(&p->fault_rl.suppressed, __ATOMIC_RELAXED) != 0) {
			at = fault_log_window_closed(p, now);
			next = MIN(next, at);
		}
		at = partition_watchdog_check(p, now);
		next = MIN(next, at);
	}
	hyp_timer_program(next);
}
