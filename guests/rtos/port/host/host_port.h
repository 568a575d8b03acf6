/*
 * Host port: a deterministic simulation of one CPU for the kernel's unit tests.
 *
 * Tasks are ucontexts; interrupts are function calls made by the simulated hardware at points
 * where the interrupted task allows them (interrupts unmasked), otherwise they stay pending
 * until it unmasks.  Time only moves when a task spins (host_port_spin: busy for n ticks,
 * interruptible) or when the idle task waits for the next interrupt (one tick).  After each
 * interrupt the port asks the kernel which task to resume, exactly like the target port.
 *
 * A test calls rtos_init(), creates tasks, optionally sets the stop tick and timed interrupt
 * events, and calls rtos_start(), which returns when a task calls host_port_stop() or the stop
 * tick is reached.
 */
#ifndef RTOS_HOST_PORT_H
#define RTOS_HOST_PORT_H

#include <stdbool.h>

#include "rtos.h"

typedef void (*host_isr_t)(void *arg);

/* Raise an interrupt now (delivered at once unless masked or already in an interrupt). */
void host_port_interrupt(host_isr_t isr, void *arg);
/* One tick interrupt. */
void host_port_tick(void);
/* The current task computes for `ticks` ticks (tick interrupts may preempt it). */
void host_port_spin(rtos_tick_t ticks);
/* Run isr(arg) in interrupt context right after the tick that makes the count `tick`. */
bool host_port_at_tick(rtos_tick_t tick, host_isr_t isr, void *arg);
/*
 * A tick interrupt at the next port_in_isr() a task makes with interrupts unmasked: where the
 * kernel's calls look before they mask, so a race between two of their steps shows.
 */
void host_port_tick_on_next_check(void);
/* Stop the simulation when the tick count reaches `tick` (default: never). */
void host_port_stop_at(rtos_tick_t tick);
/* Leave the simulation now: rtos_start() returns. */
__attribute__((noreturn)) void host_port_stop(void);
/* True if the kernel called port_halt() in the last run. */
bool host_port_halted(void);
/* Simulated interrupt mask and context, for assertions. */
bool host_port_irq_masked(void);

#endif /* RTOS_HOST_PORT_H */
