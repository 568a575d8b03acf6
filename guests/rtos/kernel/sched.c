/*
 * Scheduler: tasks, ready queues, blocking and waking, time, round-robin, stack checks.
 *
 * Ready queues are one FIFO per priority plus a bitmap; the running task stays at the head of
 * its queue, so the task to run is always the head of the highest non-empty queue.  A woken or
 * new task goes to the tail (equal priorities do not preempt each other); the running task
 * goes to the tail when its time slice ends or it yields.
 *
 * Switches happen at three places only: sched_block() and sched_reschedule() in task context,
 * and rtos_isr_exit() at the end of an interrupt.  Everything else (waking, priority changes)
 * only rearranges queues, so it is safe from interrupt handlers and inside other operations.
 */
#include <string.h>

#include "kernel.h"

struct rtos_kernel rtos_kernel;

#define K rtos_kernel

static uint64_t idle_stack[PORT_IDLE_STACK_SIZE / sizeof(uint64_t)];

static void idle_entry(void *arg)
{
	(void)arg;
	for (;;)
		port_idle();
}

void sched_ready_add(struct rtos_task *task)
{
	struct rtos_list *q = &K.ready[task->prio];

	if (task->state != RTOS_TASK_READY)
		task->slice_left = K.time_slice; /* newly ready: a whole slice */
	if (task == K.current)
		list_add_head(q, &task->link);
	else
		list_add_tail(q, &task->link);
	K.ready_bitmap |= 1U << task->prio;
	task->state = RTOS_TASK_READY;
}

void sched_ready_remove(struct rtos_task *task)
{
	list_remove(&task->link);
	if (list_empty(&K.ready[task->prio]))
		K.ready_bitmap &= ~(1U << task->prio);
}

struct rtos_task *sched_pick(void)
{
	unsigned prio = 31U - (unsigned)__builtin_clz(K.ready_bitmap);

	return CONTAINER_OF(K.ready[prio].next, struct rtos_task, link);
}

void waitq_insert(struct rtos_list *waitq, struct rtos_task *task)
{
	struct rtos_list *pos;

	/* By priority, FIFO among equals: before the first less urgent waiter. */
	for (pos = waitq->next; pos != waitq; pos = pos->next) {
		if (CONTAINER_OF(pos, struct rtos_task, link)->prio < task->prio)
			break;
	}
	list_insert_before(pos, &task->link);
}

struct rtos_task *waitq_first(const struct rtos_list *waitq)
{
	return list_empty(waitq) ? NULL : CONTAINER_OF(waitq->next, struct rtos_task, link);
}

static void report_overflow(const struct rtos_task *task)
{
	port_puts("rtos: stack overflow in task '");
	port_puts(task->name);
	port_puts(K.overflow_policy == RTOS_OVERFLOW_HALT_SYSTEM ? "': system halted\n" :
								   "': task stopped\n");
}

/* Promises: the task leaves the wait queue and timer list it is on (masked). */
static void wait_cancel(struct rtos_task *task)
{
	struct rtos_mutex *mutex = NULL;

	if (task->waitq) {
		list_remove(&task->link);
		task->waitq = NULL;
	}
	if (task->timer.armed)
		timer_remove(&task->timer);
	if (task->wait_kind == RTOS_WAIT_MUTEX)
		mutex = task->wait_obj;
	task->wait_kind = RTOS_WAIT_NONE;
	task->wait_obj = NULL;
	/* One waiter fewer: the owner may inherit less now. */
	if (mutex && mutex->owner)
		mutex_prio_update(mutex->owner);
}

/* Promises: the task will never run again; its mutexes passed on (masked). */
static void task_stop(struct rtos_task *task, enum rtos_task_state state)
{
	if (task->state == RTOS_TASK_READY)
		sched_ready_remove(task);
	else if (task->state == RTOS_TASK_BLOCKED)
		wait_cancel(task);
	task->state = state;
	mutex_release_all(task);
}

/* Promises: false if the task's stack canary is broken; it is then stopped (masked). */
static bool stack_check(struct rtos_task *task)
{
	if (!task || task->state == RTOS_TASK_DEAD || task->state == RTOS_TASK_FAULTED ||
	    rtos_task_stack_ok(task))
		return true;
	K.overflow_count++;
	report_overflow(task);
	/* The idle task is never stopped: with every other task blocked there must be one to run. */
	if (K.overflow_policy == RTOS_OVERFLOW_HALT_SYSTEM || task == &K.idle)
		port_halt();
	task_stop(task, RTOS_TASK_FAULTED);
	return false;
}

/*
 * Promises: next is the current task (masked).  Its time slice goes on where it was: a task
 * gets a fresh one when it becomes ready, yields, or goes behind its peers, not when it resumes
 * after a preemption, or a more urgent task waking every tick would keep its peers waiting.
 */
static void make_current(struct rtos_task *next)
{
	K.current = next;
	next->switch_count++;
	K.switch_count++;
}

/* Task context, masked: the most urgent ready task runs; returns when the caller runs again. */
static void schedule(void)
{
	struct rtos_task *prev = K.current;
	struct rtos_task *next = sched_pick();

	if (next == prev)
		return;
	if (!stack_check(prev))
		next = sched_pick();
	make_current(next);
	port_switch(prev, next);
}

void sched_reschedule(void)
{
	if (!K.started || port_in_isr())
		return;
	schedule();
}

void sched_wait(struct rtos_task *task, struct rtos_list *waitq, enum rtos_wait_kind kind,
		void *obj, rtos_tick_t timeout)
{
	sched_ready_remove(task);
	task->state = RTOS_TASK_BLOCKED;
	task->wait_kind = kind;
	task->wait_obj = obj;
	task->wait_result = RTOS_ERR_TIMEOUT;
	if (waitq) {
		waitq_insert(waitq, task);
		task->waitq = waitq;
	}
	if (timeout != RTOS_WAIT_FOREVER)
		timer_insert(&K.timers, &task->timer,
			     K.ticks + (timeout > RTOS_TIMEOUT_MAX ? RTOS_TIMEOUT_MAX : timeout));
}

enum rtos_err sched_block(void)
{
	schedule();
	return K.current->wait_result;
}

void sched_wake(struct rtos_task *task, enum rtos_err result)
{
	if (task->state != RTOS_TASK_BLOCKED)
		return;
	wait_cancel(task);
	task->wait_result = result;
	sched_ready_add(task);
}

void sched_set_prio(struct rtos_task *task, unsigned prio)
{
	if (task->prio == prio)
		return;
	if (task->state == RTOS_TASK_READY) {
		sched_ready_remove(task);
		task->prio = (uint8_t)prio;
		sched_ready_add(task);
	} else if (task->state == RTOS_TASK_BLOCKED && task->waitq) {
		list_remove(&task->link);
		task->prio = (uint8_t)prio;
		waitq_insert(task->waitq, task);
	} else {
		task->prio = (uint8_t)prio;
	}
}

static bool task_is_listed(const struct rtos_task *task)
{
	const struct rtos_list *pos;

	for (pos = K.all_tasks.next; pos != &K.all_tasks; pos = pos->next) {
		if (pos == &task->all_link)
			return true;
	}
	return false;
}

static enum rtos_err task_setup(struct rtos_task *task, const char *name, void (*entry)(void *),
				void *arg, unsigned prio, void *stack, size_t stack_size)
{
	uintptr_t lo = ((uintptr_t)stack + 7U) & ~(uintptr_t)7U;
	uintptr_t hi = ((uintptr_t)stack + stack_size) & ~(uintptr_t)7U;
	uint32_t state, *w;
	size_t i, words;

	if (!task || !entry || !stack || hi <= lo || hi - lo < RTOS_STACK_MIN)
		return RTOS_ERR_PARAM;
	if (port_in_isr())
		return RTOS_ERR_ISR;
	state = port_irq_save();
	if (task_is_listed(task)) {
		/* A task object may be reused once its task has ended. */
		if (task->state != RTOS_TASK_DEAD && task->state != RTOS_TASK_FAULTED) {
			port_irq_restore(state);
			return RTOS_ERR_STATE;
		}
		list_remove(&task->all_link);
	}
	port_irq_restore(state);

	memset(task, 0, sizeof(*task));
	task->name = name ? name : "?";
	task->entry = entry;
	task->arg = arg;
	task->base_prio = (uint8_t)prio;
	task->prio = (uint8_t)prio;
	task->stack_base = (uint32_t *)lo;
	task->stack_size = hi - lo;
	list_init(&task->link);
	list_init(&task->timer.link);
	list_init(&task->held);
	list_init(&task->all_link);
	words = task->stack_size / sizeof(uint32_t);
	w = task->stack_base;
	for (i = 0; i < words; i++)
		w[i] = i < RTOS_STACK_CANARY_WORDS ? RTOS_STACK_CANARY : RTOS_STACK_FILL;
	port_task_init(task);

	state = port_irq_save();
	list_add_tail(&K.all_tasks, &task->all_link);
	sched_ready_add(task);
	sched_reschedule();
	port_irq_restore(state);
	return RTOS_OK;
}

void rtos_init(void)
{
	unsigned i;

	memset(&K, 0, sizeof(K));
	for (i = 0; i < RTOS_PRIO_COUNT; i++)
		list_init(&K.ready[i]);
	list_init(&K.timers);
	list_init(&K.all_tasks);
	K.time_slice = RTOS_TIME_SLICE_DEFAULT;
	K.overflow_policy = RTOS_OVERFLOW_STOP_TASK;
	port_init();
	task_setup(&K.idle, "idle", idle_entry, NULL, RTOS_PRIO_IDLE, idle_stack,
		   sizeof(idle_stack));
}

void rtos_start(void)
{
	uint32_t state = port_irq_save();

	port_tick_start(RTOS_TICK_HZ);
	K.started = true;
	make_current(sched_pick());
	port_start(K.current);
	/* Only a host port returns here, when its simulation stops. */
	port_irq_restore(state);
}

bool rtos_started(void)
{
	return K.started;
}

enum rtos_err rtos_task_create(struct rtos_task *task, const char *name, void (*entry)(void *),
			       void *arg, unsigned prio, void *stack, size_t stack_size)
{
	if (prio == RTOS_PRIO_IDLE || prio > RTOS_PRIO_MAX)
		return RTOS_ERR_PARAM;
	return task_setup(task, name, entry, arg, prio, stack, stack_size);
}

void rtos_task_exit(void)
{
	(void)port_irq_save();
	task_stop(K.current, RTOS_TASK_DEAD);
	schedule();
	/* A dead task is never switched back to. */
	port_halt();
}

struct rtos_task *rtos_task_self(void)
{
	return K.current;
}

const char *rtos_task_name(const struct rtos_task *task)
{
	return task ? task->name : "rtos";
}

enum rtos_task_state rtos_task_state(const struct rtos_task *task)
{
	return task->state;
}

unsigned rtos_task_priority(const struct rtos_task *task)
{
	return task->prio;
}

unsigned rtos_task_base_priority(const struct rtos_task *task)
{
	return task->base_prio;
}

enum rtos_err rtos_task_set_priority(struct rtos_task *task, unsigned prio)
{
	uint32_t state;

	if (!task || task == &K.idle || prio == RTOS_PRIO_IDLE || prio > RTOS_PRIO_MAX)
		return RTOS_ERR_PARAM;
	state = port_irq_save();
	if (task->state != RTOS_TASK_READY && task->state != RTOS_TASK_BLOCKED) {
		port_irq_restore(state);
		return RTOS_ERR_STATE;
	}
	task->base_prio = (uint8_t)prio;
	mutex_prio_update(task);
	sched_reschedule();
	port_irq_restore(state);
	return RTOS_OK;
}

bool rtos_task_stack_ok(const struct rtos_task *task)
{
	unsigned i;

	for (i = 0; i < RTOS_STACK_CANARY_WORDS; i++) {
		if (task->stack_base[i] != RTOS_STACK_CANARY)
			return false;
	}
	return true;
}

size_t rtos_task_stack_unused(const struct rtos_task *task)
{
	size_t words = task->stack_size / sizeof(uint32_t);
	size_t i = RTOS_STACK_CANARY_WORDS;

	while (i < words && task->stack_base[i] == RTOS_STACK_FILL)
		i++;
	return (i - RTOS_STACK_CANARY_WORDS) * sizeof(uint32_t);
}

void rtos_task_foreach(void (*fn)(struct rtos_task *task, void *arg), void *arg)
{
	struct rtos_list *pos;

	for (pos = K.all_tasks.next; pos != &K.all_tasks; pos = pos->next)
		fn(CONTAINER_OF(pos, struct rtos_task, all_link), arg);
}

void rtos_yield(void)
{
	struct rtos_task *cur;
	uint32_t state;

	if (!K.started || port_in_isr())
		return;
	state = port_irq_save();
	cur = K.current;
	cur->slice_left = K.time_slice;
	list_remove(&cur->link);
	list_add_tail(&K.ready[cur->prio], &cur->link);
	schedule();
	port_irq_restore(state);
}

void rtos_set_time_slice(rtos_tick_t ticks)
{
	K.time_slice = ticks;
}

void rtos_set_overflow_policy(enum rtos_overflow_policy policy)
{
	K.overflow_policy = policy;
}

uint32_t rtos_overflow_count(void)
{
	return K.overflow_count;
}

uint32_t rtos_switch_count(void)
{
	return K.switch_count;
}

rtos_tick_t rtos_tick_count(void)
{
	return K.ticks;
}

uint32_t rtos_tick_hz(void)
{
	return RTOS_TICK_HZ;
}

rtos_tick_t rtos_ms_to_ticks(uint32_t ms)
{
	uint64_t t = ((uint64_t)ms * RTOS_TICK_HZ + 999U) / 1000U;

	return t > RTOS_TIMEOUT_MAX ? RTOS_TIMEOUT_MAX : (rtos_tick_t)t;
}

void rtos_sleep(rtos_tick_t ticks)
{
	uint32_t state;

	if (ticks == 0) {
		rtos_yield();
		return;
	}
	if (!K.started || port_in_isr())
		return;
	state = port_irq_save();
	sched_wait(K.current, NULL, RTOS_WAIT_SLEEP, NULL, ticks);
	(void)sched_block();
	port_irq_restore(state);
}

void rtos_sleep_ms(uint32_t ms)
{
	/* One more tick: the first tick period is partial. */
	rtos_sleep(rtos_ms_to_ticks(ms) + 1U);
}

void rtos_sleep_until(rtos_tick_t *last_wake, rtos_tick_t period)
{
	rtos_tick_t next = *last_wake + period;
	uint32_t state;

	*last_wake = next;
	if (!K.started || port_in_isr())
		return;
	/* The count and the sleep under one mask: a tick or a preemption between them would
	 * move the wake-up past the deadline (or add a period when the deadline has passed). */
	state = port_irq_save();
	if (tick_before(K.ticks, next)) {
		sched_wait(K.current, NULL, RTOS_WAIT_SLEEP, NULL, next - K.ticks);
		(void)sched_block();
	}
	port_irq_restore(state);
}

uint32_t rtos_critical_enter(void)
{
	return port_irq_save();
}

void rtos_critical_exit(uint32_t state)
{
	port_irq_restore(state);
}

bool rtos_in_isr(void)
{
	return port_in_isr();
}

void rtos_tick_announce(void)
{
	struct rtos_timer *timer;
	struct rtos_task *cur = K.current;
	uint32_t state = port_irq_save();

	K.ticks++;
	while ((timer = timer_pop_expired(&K.timers, K.ticks)) != NULL)
		sched_wake(CONTAINER_OF(timer, struct rtos_task, timer), RTOS_ERR_TIMEOUT);
	/* Round-robin: at the end of its slice the running task goes behind its peers. */
	if (K.started && cur && cur->state == RTOS_TASK_READY && K.time_slice) {
		struct rtos_list *q = &K.ready[cur->prio];

		if (cur->slice_left > 0)
			cur->slice_left--;
		if (cur->slice_left == 0) {
			cur->slice_left = K.time_slice;
			if (q->next != q->prev) {
				list_remove(&cur->link);
				list_add_tail(q, &cur->link);
			}
		}
	}
	port_irq_restore(state);
}

struct rtos_task *rtos_isr_exit(void)
{
	struct rtos_task *prev = K.current;
	struct rtos_task *next;

	if (!K.started)
		return prev;
	(void)stack_check(prev);
	next = sched_pick();
	if (next != prev)
		make_current(next);
	return next;
}

const char *rtos_err_name(enum rtos_err err)
{
	switch (err) {
	case RTOS_OK:
		return "OK";
	case RTOS_ERR_TIMEOUT:
		return "TIMEOUT";
	case RTOS_ERR_PARAM:
		return "PARAM";
	case RTOS_ERR_ISR:
		return "ISR";
	case RTOS_ERR_DEADLOCK:
		return "DEADLOCK";
	case RTOS_ERR_NOT_OWNER:
		return "NOT_OWNER";
	case RTOS_ERR_OVERFLOW:
		return "OVERFLOW";
	case RTOS_ERR_STATE:
		return "STATE";
	}
	return "?";
}
