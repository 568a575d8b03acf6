/*
 * Kernel-private definitions shared by the kernel's modules (and the host unit tests, which
 * inspect ready queues and the timer list): lists, the kernel state, internal operations.
 *
 * Locking: all kernel state is touched with interrupts masked (port_irq_save), on one CPU.
 * Functions below marked "masked" must be called so.
 */
#ifndef RTOS_KERNEL_H
#define RTOS_KERNEL_H

#include <stddef.h>

#include "port.h"
#include "rtos.h"

#define CONTAINER_OF(ptr, type, member) ((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Bound on walks along chains of mutex owners (priority inheritance, deadlock detection). */
#define RTOS_CHAIN_MAX 32U

static inline void list_init(struct rtos_list *l)
{
	l->next = l;
	l->prev = l;
}

static inline bool list_empty(const struct rtos_list *l)
{
	return l->next == l;
}

static inline void list_insert_before(struct rtos_list *pos, struct rtos_list *node)
{
	node->next = pos;
	node->prev = pos->prev;
	pos->prev->next = node;
	pos->prev = node;
}

static inline void list_add_tail(struct rtos_list *head, struct rtos_list *node)
{
	list_insert_before(head, node);
}

static inline void list_add_head(struct rtos_list *head, struct rtos_list *node)
{
	list_insert_before(head->next, node);
}

static inline void list_remove(struct rtos_list *node)
{
	node->prev->next = node->next;
	node->next->prev = node->prev;
	list_init(node);
}

struct rtos_kernel {
	struct rtos_task *current;
	struct rtos_list ready[RTOS_PRIO_COUNT]; /* FIFO per priority; the running task first */
	uint32_t ready_bitmap; /* bit p: ready[p] not empty */
	struct rtos_list timers; /* struct rtos_timer, by wake tick */
	struct rtos_list all_tasks;
	rtos_tick_t ticks;
	rtos_tick_t time_slice;
	enum rtos_overflow_policy overflow_policy;
	uint32_t overflow_count;
	uint32_t switch_count;
	bool started;
	struct rtos_task idle;
};

extern struct rtos_kernel rtos_kernel;

/* sched.c (masked) */
void sched_ready_add(struct rtos_task *task);
void sched_ready_remove(struct rtos_task *task);
struct rtos_task *sched_pick(void);
void sched_wait(struct rtos_task *task, struct rtos_list *waitq, enum rtos_wait_kind kind,
		void *obj, rtos_tick_t timeout);
enum rtos_err sched_block(void);
void sched_wake(struct rtos_task *task, enum rtos_err result);
void sched_reschedule(void);
void sched_set_prio(struct rtos_task *task, unsigned prio);
void waitq_insert(struct rtos_list *waitq, struct rtos_task *task);
struct rtos_task *waitq_first(const struct rtos_list *waitq);

/* timerlist.c (masked) */
bool tick_before(rtos_tick_t a, rtos_tick_t b);
void timer_insert(struct rtos_list *list, struct rtos_timer *timer, rtos_tick_t wake);
void timer_remove(struct rtos_timer *timer);
struct rtos_timer *timer_pop_expired(struct rtos_list *list, rtos_tick_t now);
struct rtos_timer *timer_first(const struct rtos_list *list);

/* mutex.c (masked) */
void mutex_prio_update(struct rtos_task *task);
void mutex_release_all(struct rtos_task *task);

#endif /* RTOS_KERNEL_H */
