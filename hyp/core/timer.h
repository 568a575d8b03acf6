/*
 * Time (timer.c): the physical counter for timeouts and rate limits, and
 * the hypervisor's own Hyp timer (CNTHP, PPI 26), armed while a CPU runs a
 * guest.  ARM ARM B8 (the Generic Timer).
 */
#ifndef TESSERA_HYP_TIMER_H
#define TESSERA_HYP_TIMER_H

#include "tessera/types.h"

/* The physical count since reset (CNTPCT, after an ISB so it is not read early). */
u64 timer_now(void);

/*
 * With 'on', this CPU's WFE returns at least every 2^15 counter ticks, so a wait for another
 * CPU with a deadline (at boot) sees its deadline pass even if that CPU never signals.
 */
void timer_wfe_bounded(bool on);

/* Milliseconds as counter ticks. */
u64 timer_ms_to_ticks(u32 ms);

/* Counter ticks as milliseconds (modulo 2^32: 49 days). */
u32 timer_ticks_to_ms(u64 ticks);

/* Boot CPU, after gic_init: decide whether the QEMU GIC workaround tick runs, and say so. */
void hyp_timer_init(void);

/* The Hyp timer of this CPU, armed while the CPU runs a guest. */
void hyp_timer_start(void);
void hyp_timer_stop(void);

/* Have this CPU's Hyp timer fire by 'when' (counter ticks), if it would not already. */
void hyp_timer_wake_at(u64 when);

/* Come back soon to flush this CPU's partition's partial console line. */
void hyp_timer_flush_line_later(void);

/* Come back soon to drain the console (UART_BAUD builds: a UART without transmit interrupt). */
void hyp_timer_console_later(void);

/* The Hyp timer's interrupt on this CPU (from the IRQ dispatcher). */
struct vcpu;
void hyp_timer_expired(struct vcpu *v);

#endif /* TESSERA_HYP_TIMER_H */
