/*
 * The port: what the kernel needs from the machine.  One implementation per target
 * (port/arm for ARMv7-A guests, port/host for the host unit tests); port_ctx.h of the same
 * directory defines struct port_ctx and PORT_IDLE_STACK_SIZE.
 *
 * Contract: port_irq_save()/port_irq_restore() nest; the kernel calls port_switch() only from
 * task context with interrupts masked, and the switched-out task later resumes inside that
 * call with interrupts still masked.  At the end of every interrupt the port calls
 * rtos_isr_exit() with interrupts masked and resumes the task it returns.  The tick interrupt
 * calls rtos_tick_announce() once per elapsed tick.
 */
#ifndef RTOS_PORT_H
#define RTOS_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "port_ctx.h"

struct rtos_task;

/* Called by rtos_init(), before any task exists. */
void port_init(void);
/* Mask interrupts; returns the previous state for port_irq_restore(). */
uint32_t port_irq_save(void);
void port_irq_restore(uint32_t state);
bool port_in_isr(void);
/* Prepare task->ctx so that switching to it calls task->entry(task->arg) with interrupts
 * enabled, and rtos_task_exit() when the entry returns. */
void port_task_init(struct rtos_task *task);
void port_switch(struct rtos_task *from, struct rtos_task *to);
/* Run the first task; interrupts masked on entry.  Does not return on a target. */
void port_start(struct rtos_task *first);
void port_tick_start(uint32_t hz);
/* Wait for an interrupt (the idle task's body). */
void port_idle(void);
/* Diagnostic output that takes no lock and works with interrupts masked. */
void port_puts(const char *s);
__attribute__((noreturn)) void port_halt(void);

#endif /* RTOS_PORT_H */
