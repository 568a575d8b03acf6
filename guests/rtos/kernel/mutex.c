/*
 * Mutexes with priority inheritance.
 *
 * A task's effective priority is the highest of its base priority and the priorities of the
 * first (most urgent) waiters of every mutex it holds.  Whenever a wait queue changes (a task
 * blocks, times out, is handed a mutex, changes priority) the owner's priority is recomputed,
 * and if the owner itself waits for a mutex the change propagates to that mutex's owner, and so
 * on (transitive inheritance), bounded by RTOS_CHAIN_MAX.  Priorities are restored the same
 * way: unlocking recomputes the unlocker's priority from what it still holds, so unlocking out
 * of order is fine.
 *
 * Not recursive: a task locking a mutex it owns gets RTOS_ERR_DEADLOCK, as does a lock that
 * would make the chain of owners come back to the caller.  Task context only.
 */
#include "kernel.h"

void rtos_mutex_init(struct rtos_mutex *mutex, const char *name)
{
	list_init(&mutex->waiters);
	list_init(&mutex->held_link);
	mutex->owner = NULL;
	mutex->name = name;
}

/* Promises: the priority the task should run at now (masked). */
static unsigned inherited_prio(const struct rtos_task *task)
{
	unsigned prio = task->base_prio;
	const struct rtos_list *pos;

	for (pos = task->held.next; pos != &task->held; pos = pos->next) {
		const struct rtos_mutex *m = CONTAINER_OF(pos, struct rtos_mutex, held_link);
		const struct rtos_task *w = waitq_first(&m->waiters);

		if (w && w->prio > prio)
			prio = w->prio;
	}
	return prio;
}

void mutex_prio_update(struct rtos_task *task)
{
	unsigned depth;

	for (depth = 0; task && depth < RTOS_CHAIN_MAX; depth++) {
		unsigned prio = inherited_prio(task);

		if (prio == task->prio)
			return;
		sched_set_prio(task, prio);
		if (task->state != RTOS_TASK_BLOCKED || task->wait_kind != RTOS_WAIT_MUTEX)
			return;
		task = ((struct rtos_mutex *)task->wait_obj)->owner;
	}
}

/* Promises: the owner no longer holds the mutex; the most urgent waiter, if any, does and is
 * ready (masked).  The former owner's priority is not recomputed here. */
static void hand_over(struct rtos_mutex *mutex)
{
	struct rtos_task *next = waitq_first(&mutex->waiters);

	list_remove(&mutex->held_link);
	mutex->owner = next;
	if (!next)
		return;
	list_add_tail(&next->held, &mutex->held_link);
	/* Leaving the wait queue makes the new owner inherit from the remaining waiters. */
	sched_wake(next, RTOS_OK);
}

void mutex_release_all(struct rtos_task *task)
{
	while (!list_empty(&task->held))
		hand_over(CONTAINER_OF(task->held.next, struct rtos_mutex, held_link));
}

/* Promises: true if waiting for the mutex would close a cycle back to the task (masked). */
static bool would_deadlock(const struct rtos_mutex *mutex, const struct rtos_task *task)
{
	const struct rtos_task *owner = mutex->owner;
	unsigned depth;

	for (depth = 0; owner && depth < RTOS_CHAIN_MAX; depth++) {
		if (owner == task)
			return true;
		if (owner->state != RTOS_TASK_BLOCKED || owner->wait_kind != RTOS_WAIT_MUTEX)
			return false;
		owner = ((const struct rtos_mutex *)owner->wait_obj)->owner;
	}
	return false;
}

enum rtos_err rtos_mutex_lock(struct rtos_mutex *mutex, rtos_tick_t timeout)
{
	struct rtos_task *cur;
	enum rtos_err err;
	uint32_t state;

	if (port_in_isr())
		return RTOS_ERR_ISR;
	state = port_irq_save();
	cur = rtos_kernel.current;
	if (!rtos_kernel.started) {
		err = RTOS_ERR_STATE;
	} else if (!mutex->owner) {
		mutex->owner = cur;
		list_add_tail(&cur->held, &mutex->held_link);
		err = RTOS_OK;
	} else if (would_deadlock(mutex, cur)) {
		err = RTOS_ERR_DEADLOCK;
	} else if (timeout == RTOS_NO_WAIT) {
		err = RTOS_ERR_TIMEOUT;
	} else {
		sched_wait(cur, &mutex->waiters, RTOS_WAIT_MUTEX, mutex, timeout);
		mutex_prio_update(mutex->owner);
		err = sched_block();
	}
	port_irq_restore(state);
	return err;
}

enum rtos_err rtos_mutex_unlock(struct rtos_mutex *mutex)
{
	struct rtos_task *cur;
	uint32_t state;

	if (port_in_isr())
		return RTOS_ERR_ISR;
	state = port_irq_save();
	cur = rtos_kernel.current;
	if (!rtos_kernel.started || mutex->owner != cur) {
		port_irq_restore(state);
		return RTOS_ERR_NOT_OWNER;
	}
	hand_over(mutex);
	mutex_prio_update(cur);
	sched_reschedule();
	port_irq_restore(state);
	return RTOS_OK;
}

struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *mutex)
{
	return mutex->owner;
}
