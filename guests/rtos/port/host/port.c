/*
 * Host port of the RTOS kernel (see host_port.h): ucontext task switching and a simulated
 * interrupt controller and tick.  Single-threaded and deterministic.
 */
#include "host_port.h"

#include <stdio.h>
#include <stdlib.h>

#include "port.h"

#define PENDING_MAX 32U
#define EVENT_MAX 64U

struct irq_request {
	host_isr_t isr;
	void *arg;
};

struct timed_event {
	rtos_tick_t tick;
	host_isr_t isr;
	void *arg;
	bool fired;
};

static ucontext_t main_uc;
static bool irq_masked = true;
static bool in_isr;
static bool halted;
static struct irq_request pending[PENDING_MAX];
static unsigned pending_count;
static struct timed_event events[EVENT_MAX];
static unsigned event_count;
static rtos_tick_t stop_tick;
static bool stop_armed;
static bool tick_on_check;

void port_init(void)
{
	irq_masked = true;
	in_isr = false;
	halted = false;
	pending_count = 0;
	event_count = 0;
	stop_armed = false;
	tick_on_check = false;
}

uint32_t port_irq_save(void)
{
	uint32_t old = irq_masked;

	irq_masked = true;
	return old;
}

static void deliver_pending(void)
{
	while (pending_count > 0 && !irq_masked && !in_isr) {
		struct irq_request req = pending[0];
		unsigned i;

		for (i = 1; i < pending_count; i++)
			pending[i - 1] = pending[i];
		pending_count--;
		host_port_interrupt(req.isr, req.arg);
	}
}

void port_irq_restore(uint32_t state)
{
	irq_masked = state != 0;
	if (!irq_masked)
		deliver_pending();
}

bool port_in_isr(void)
{
	if (tick_on_check && !in_isr && !irq_masked) {
		tick_on_check = false;
		host_port_tick();
	}
	return in_isr;
}

void host_port_tick_on_next_check(void)
{
	tick_on_check = true;
}

static void trampoline(void)
{
	struct rtos_task *task = rtos_task_self();

	/* A new task starts with interrupts enabled. */
	irq_masked = false;
	deliver_pending();
	task->entry(task->arg);
	rtos_task_exit();
}

void port_task_init(struct rtos_task *task)
{
	if (getcontext(&task->ctx.uc) != 0) {
		perror("getcontext");
		abort();
	}
	task->ctx.uc.uc_stack.ss_sp = task->stack_base;
	task->ctx.uc.uc_stack.ss_size = task->stack_size;
	task->ctx.uc.uc_link = NULL;
	makecontext(&task->ctx.uc, trampoline, 0);
}

static void switch_context(struct rtos_task *from, struct rtos_task *to)
{
	from->ctx.irq_masked = irq_masked;
	if (swapcontext(&from->ctx.uc, &to->ctx.uc) != 0) {
		perror("swapcontext");
		abort();
	}
	/* Resumed: back to our own mask (another task ran meanwhile). */
	irq_masked = from->ctx.irq_masked;
}

void port_switch(struct rtos_task *from, struct rtos_task *to)
{
	switch_context(from, to);
}

void port_start(struct rtos_task *first)
{
	if (swapcontext(&main_uc, &first->ctx.uc) != 0) {
		perror("swapcontext");
		abort();
	}
	/* Back from host_port_stop(). */
	in_isr = false;
	irq_masked = true;
	pending_count = 0;
}

void port_tick_start(uint32_t hz)
{
	(void)hz;
}

void port_idle(void)
{
	/* WFI: the next interrupt is the tick. */
	host_port_tick();
}

void port_puts(const char *s)
{
	fputs(s, stdout);
}

void port_halt(void)
{
	halted = true;
	host_port_stop();
}

void host_port_interrupt(host_isr_t isr, void *arg)
{
	struct rtos_task *prev, *next;

	if (irq_masked || in_isr) {
		if (pending_count == PENDING_MAX) {
			fprintf(stderr, "host port: too many pending interrupts\n");
			abort();
		}
		pending[pending_count].isr = isr;
		pending[pending_count].arg = arg;
		pending_count++;
		return;
	}
	irq_masked = true;
	in_isr = true;
	isr(arg);
	in_isr = false;
	prev = rtos_task_self();
	next = rtos_isr_exit();
	if (next != prev) {
		/* The interrupted task resumes here later, with interrupts enabled. */
		irq_masked = false;
		switch_context(prev, next);
	}
	irq_masked = false;
	deliver_pending();
}

static void tick_isr(void *arg)
{
	rtos_tick_t now;
	unsigned i;

	(void)arg;
	rtos_tick_announce();
	now = rtos_tick_count();
	for (i = 0; i < event_count; i++) {
		if (!events[i].fired && events[i].tick == now) {
			events[i].fired = true;
			events[i].isr(events[i].arg);
		}
	}
}

void host_port_tick(void)
{
	if (stop_armed && (int32_t)(rtos_tick_count() - stop_tick) >= 0)
		host_port_stop();
	host_port_interrupt(tick_isr, NULL);
}

void host_port_spin(rtos_tick_t ticks)
{
	rtos_tick_t i;

	for (i = 0; i < ticks; i++)
		host_port_tick();
}

bool host_port_at_tick(rtos_tick_t tick, host_isr_t isr, void *arg)
{
	if (event_count == EVENT_MAX)
		return false;
	events[event_count].tick = tick;
	events[event_count].isr = isr;
	events[event_count].arg = arg;
	events[event_count].fired = false;
	event_count++;
	return true;
}

void host_port_stop_at(rtos_tick_t tick)
{
	stop_tick = tick;
	stop_armed = true;
}

void host_port_stop(void)
{
	setcontext(&main_uc);
	abort();
}

bool host_port_halted(void)
{
	return halted;
}

bool host_port_irq_masked(void)
{
	return irq_masked;
}
