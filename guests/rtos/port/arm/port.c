/*
 * ARMv7-A port of the RTOS kernel, on guests/lib: tasks run in SVC mode on their own stacks,
 * the tick is the generic virtual timer (INTID 27) through the GIC, and a task switch at the
 * end of an interrupt is made by returning another task's frame from exc_irq_exit().
 *
 * The tick is drift-free: each compare value is the previous one plus the period (with the
 * remainder of CNTFRQ / hz spread Bresenham-style), never "now + period", and a late tick
 * interrupt announces every period that has passed.
 *
 * Also here, as glue between the kernel and the library: the console mutex behind newlib's
 * _write, so that lines printed by different tasks do not interleave.
 */
#include <string.h>

#include "guest.h"
#include "port.h"
#include "rtos.h"

#define TICK_PRIORITY 0x80U

void port_context_switch(uint32_t **save_sp, uint32_t *load_sp);
__attribute__((noreturn)) void port_context_load(uint32_t *load_sp);

static struct {
	uint64_t next_cval;
	uint32_t period;
	uint32_t remainder;
	uint32_t accumulator;
	uint32_t hz;
} tick;

static struct rtos_mutex console_mutex;

void port_init(void)
{
	gic_init();
	rtos_mutex_init(&console_mutex, "console");
}

uint32_t port_irq_save(void)
{
	return cpu_irq_save();
}

void port_irq_restore(uint32_t state)
{
	cpu_irq_restore(state);
}

bool port_in_isr(void)
{
	/* Interrupt handlers run in IRQ mode (start.S); tasks in SVC mode. */
	return cpu_mode() == PSR_MODE_IRQ;
}

void port_task_init(struct rtos_task *task)
{
	uintptr_t top = ((uintptr_t)task->stack_base + task->stack_size) & ~(uintptr_t)7U;
	struct exc_frame *frame = (struct exc_frame *)(top - sizeof(struct exc_frame));
	uintptr_t entry = (uintptr_t)task->entry;

	memset(frame, 0, sizeof(*frame));
	frame->r[0] = (uint32_t)(uintptr_t)task->arg;
	frame->lr = (uint32_t)(uintptr_t)rtos_task_exit; /* when entry returns */
	frame->pc = (uint32_t)entry & ~1U;
	/* SVC mode, IRQs enabled, FIQs and asynchronous aborts masked; Thumb per entry bit 0. */
	frame->cpsr = PSR_MODE_SVC | PSR_F | PSR_A | ((entry & 1U) ? PSR_T : 0U);
	task->ctx.sp = (uint32_t *)frame;
}

void port_switch(struct rtos_task *from, struct rtos_task *to)
{
	port_context_switch(&from->ctx.sp, to->ctx.sp);
}

void port_start(struct rtos_task *first)
{
	port_context_load(first->ctx.sp);
}

struct exc_frame *exc_irq_exit(struct exc_frame *frame)
{
	struct rtos_task *prev, *next;

	if (!rtos_started())
		return frame;
	prev = rtos_task_self();
	next = rtos_isr_exit();
	if (next == prev)
		return frame;
	/* The interrupted task's frame is on its own stack: that is its saved context. */
	prev->ctx.sp = (uint32_t *)frame;
	return (struct exc_frame *)next->ctx.sp;
}

static void tick_advance(void)
{
	tick.next_cval += tick.period;
	tick.accumulator += tick.remainder;
	if (tick.accumulator >= tick.hz) {
		tick.accumulator -= tick.hz;
		tick.next_cval++;
	}
}

static void tick_isr(uint32_t intid, void *arg)
{
	uint64_t now = gtimer_virt_count();

	(void)intid;
	(void)arg;
	while ((int64_t)(now - tick.next_cval) >= 0) {
		tick_advance();
		rtos_tick_announce();
	}
	/* The condition CVAL <= count is now false: the level interrupt drops (ARM ARM B8.5.1). */
	gtimer_virt_set_cval(tick.next_cval);
}

void port_tick_start(uint32_t hz)
{
	uint32_t freq = gtimer_freq();

	tick.hz = hz;
	tick.period = freq / hz;
	tick.remainder = freq % hz;
	tick.accumulator = 0;
	tick.next_cval = gtimer_virt_count();
	tick_advance();
	gic_register(GTIMER_VIRT_INTID, tick_isr, NULL);
	gic_irq_set_priority(GTIMER_VIRT_INTID, TICK_PRIORITY);
	gic_irq_enable(GTIMER_VIRT_INTID);
	gtimer_virt_arm_at(tick.next_cval);
}

void port_idle(void)
{
	/* Idle means every task got its turn: the partition's health watchdog, if it has one. */
	tessera_watchdog_kick();
	cpu_wfi();
}

void port_puts(const char *s)
{
	pl011_puts(s);
}

void port_halt(void)
{
	guest_halt();
}

/* Only tasks take the console mutex; interrupt handlers, code in critical sections and code
 * before rtos_start() print without it (nothing can preempt them anyway). */
static bool console_needs_lock(void)
{
	return rtos_started() && !port_in_isr() && !cpu_irqs_masked();
}

void guest_console_lock(void)
{
	if (console_needs_lock())
		(void)rtos_mutex_lock(&console_mutex, RTOS_WAIT_FOREVER);
}

void guest_console_unlock(void)
{
	if (rtos_started() && rtos_mutex_owner(&console_mutex) == rtos_task_self())
		(void)rtos_mutex_unlock(&console_mutex);
}
