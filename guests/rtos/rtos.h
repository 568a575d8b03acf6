/*
 * Tessera RTOS: a small preemptive real-time kernel for one CPU.
 *
 * Scheduling: fixed priorities 0..RTOS_PRIO_MAX, higher number = more urgent; the highest
 * ready task always runs (a task made ready preempts a lower one at once, from an interrupt at
 * the end of the interrupt).  Equal priorities share the CPU round-robin: the running task goes
 * behind its peers after a time slice (rtos_set_time_slice) or when it yields.  Priority 0 is
 * the idle task's (WFI).
 *
 * Time: a periodic tick (RTOS_TICK_HZ, from the generic virtual timer on the target); sleeps
 * and timeouts are in ticks and kept in one list ordered by wake-up tick.  A timeout of N
 * ticks ends at the N-th tick interrupt after the call, so it lasts between N - 1 and N tick
 * periods; rtos_sleep_ms() rounds up and adds one tick, so it never sleeps less than asked
 * (measured against the counter, as long as tick interrupts are taken on time).
 *
 * Synchronisation: counting semaphores, mutexes with priority inheritance (transitive through
 * chains of mutexes; ownership passes to the most urgent waiter), message queues of fixed-size
 * items with blocking send and receive.  Every blocking call takes a timeout: RTOS_NO_WAIT,
 * a tick count, or RTOS_WAIT_FOREVER.  Waiters queue by priority, FIFO among equals.
 *
 * Interrupts: rtos_sem_give(), and rtos_queue_send()/rtos_queue_receive() with RTOS_NO_WAIT,
 * may be called from interrupt handlers; nothing else may (RTOS_ERR_ISR).  Mutexes are task
 * only.  Kernel state is protected by masking interrupts (rtos_critical_enter/exit, nestable).
 *
 * Mutexes are not recursive: locking a mutex one already owns fails with RTOS_ERR_DEADLOCK,
 * as does a lock that would close a cycle of tasks waiting for each other's mutexes.
 *
 * Stacks: each task has its own, supplied by the creator.  The bottom RTOS_STACK_CANARY_WORDS
 * words hold a canary that is checked whenever the task is switched out and at each tick;
 * the rest is filled with a pattern for the high-water mark.  On overflow the kernel reports
 * the task's name on the console and, by policy, stops that task (releasing its mutexes) or
 * halts the system.
 *
 * The kernel logic has no hardware access: it runs on a port (port.h) that provides interrupt
 * masking, context switching and the tick; the same sources build for the host tests.
 */
#ifndef RTOS_RTOS_H
#define RTOS_RTOS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "port_ctx.h"

#define RTOS_PRIO_COUNT 32U
#define RTOS_PRIO_MAX (RTOS_PRIO_COUNT - 1U)
#define RTOS_PRIO_IDLE 0U

#ifndef RTOS_TICK_HZ
#define RTOS_TICK_HZ 1000U
#endif
#define RTOS_TIME_SLICE_DEFAULT 10U /* ticks */

#define RTOS_NO_WAIT 0U
#define RTOS_WAIT_FOREVER UINT32_MAX
#define RTOS_TIMEOUT_MAX 0x7fffffffU /* longer timeouts are clamped */

#define RTOS_STACK_CANARY 0xdeadc0deU
#define RTOS_STACK_CANARY_WORDS 4U
#define RTOS_STACK_FILL 0xa5a5a5a5U
#define RTOS_STACK_MIN 256U

typedef uint32_t rtos_tick_t;

enum rtos_err {
	RTOS_OK = 0,
	RTOS_ERR_TIMEOUT, /* the timeout expired (with RTOS_NO_WAIT: it would have blocked) */
	RTOS_ERR_PARAM, /* an argument is out of range */
	RTOS_ERR_ISR, /* not allowed in interrupt context (or blocking there) */
	RTOS_ERR_DEADLOCK, /* mutex: already owned by the caller, or a waiting cycle */
	RTOS_ERR_NOT_OWNER, /* mutex: unlocked by a task that does not own it */
	RTOS_ERR_OVERFLOW, /* semaphore: count already at its maximum */
	RTOS_ERR_STATE, /* the kernel or object is not in a state that allows it */
};

enum rtos_task_state {
	RTOS_TASK_UNUSED = 0,
	RTOS_TASK_READY, /* runnable (the running task is READY too) */
	RTOS_TASK_BLOCKED, /* sleeping, or waiting for an object with or without timeout */
	RTOS_TASK_DEAD, /* returned from its entry or called rtos_task_exit() */
	RTOS_TASK_FAULTED, /* stopped by the kernel: stack overflow */
};

enum rtos_wait_kind {
	RTOS_WAIT_NONE = 0,
	RTOS_WAIT_SLEEP,
	RTOS_WAIT_SEM,
	RTOS_WAIT_MUTEX,
	RTOS_WAIT_QUEUE_SEND,
	RTOS_WAIT_QUEUE_RECV,
};

enum rtos_overflow_policy {
	RTOS_OVERFLOW_STOP_TASK, /* the task is stopped; the rest go on */
	RTOS_OVERFLOW_HALT_SYSTEM, /* the port halts the system */
};

/* Intrusive doubly-linked list (circular, with a head node). */
struct rtos_list {
	struct rtos_list *next;
	struct rtos_list *prev;
};

/* An entry of the timer list, ordered by wake-up tick. */
struct rtos_timer {
	struct rtos_list link;
	rtos_tick_t wake;
	bool armed;
};

struct rtos_mutex;

struct rtos_task {
	struct port_ctx ctx; /* the port's saved context */
	const char *name;
	void (*entry)(void *arg);
	void *arg;
	uint8_t base_prio; /* as set by the creator */
	uint8_t prio; /* effective: base raised by inheritance */
	enum rtos_task_state state;

	struct rtos_list link; /* ready queue or an object's wait queue */
	struct rtos_list *waitq; /* the wait queue we are on, or NULL */
	enum rtos_wait_kind wait_kind;
	void *wait_obj; /* the semaphore, mutex or queue waited for */
	void *wait_buf; /* queue: item to send or buffer to receive into */
	enum rtos_err wait_result;

	struct rtos_timer timer; /* sleep or timeout, in the kernel's timer list */

	struct rtos_list held; /* mutexes owned, through rtos_mutex.held_link */
	rtos_tick_t slice_left;

	uint32_t *stack_base; /* lowest address, word aligned */
	size_t stack_size; /* bytes */
	uint32_t switch_count;
	struct rtos_list all_link; /* every task ever created */
};

struct rtos_sem {
	struct rtos_list waiters;
	uint32_t count;
	uint32_t max;
};

struct rtos_mutex {
	struct rtos_list waiters;
	struct rtos_task *owner;
	struct rtos_list held_link; /* in owner->held */
	const char *name;
};

struct rtos_queue {
	struct rtos_list send_waiters;
	struct rtos_list recv_waiters;
	uint8_t *buf;
	size_t item_size;
	uint32_t capacity;
	uint32_t head; /* index of the oldest item */
	uint32_t count; /* items held */
};

/* ---- kernel and tasks ---- */

/* Reset the kernel, initialise the port (on ARM: the GIC), create the idle task.  First. */
void rtos_init(void);
/* Start the tick and run the most urgent task; does not return on the target. */
void rtos_start(void);
bool rtos_started(void);
/* A task at prio 1..RTOS_PRIO_MAX on the caller's stack memory (>= RTOS_STACK_MIN bytes);
 * it runs at once if more urgent than the caller.  A task object can be reused once its task
 * is DEAD or FAULTED (RTOS_ERR_STATE otherwise).  Not from interrupts. */
enum rtos_err rtos_task_create(struct rtos_task *task, const char *name, void (*entry)(void *),
			       void *arg, unsigned prio, void *stack, size_t stack_size);
/* End the calling task (also what returning from its entry does); mutexes it holds pass on. */
__attribute__((noreturn)) void rtos_task_exit(void);
struct rtos_task *rtos_task_self(void);
const char *rtos_task_name(const struct rtos_task *task);
enum rtos_task_state rtos_task_state(const struct rtos_task *task);
/* Effective priority (inheritance included) and base priority. */
unsigned rtos_task_priority(const struct rtos_task *task);
unsigned rtos_task_base_priority(const struct rtos_task *task);
/* Change the base priority; inheritance still applies on top.  Reschedules. */
enum rtos_err rtos_task_set_priority(struct rtos_task *task, unsigned prio);
/* High-water mark: bytes of the stack never written since creation (above the canary). */
size_t rtos_task_stack_unused(const struct rtos_task *task);
/* True while the stack canary is intact. */
bool rtos_task_stack_ok(const struct rtos_task *task);
/* Call fn for every task ever created (not safe against concurrent creation). */
void rtos_task_foreach(void (*fn)(struct rtos_task *task, void *arg), void *arg);
/* Go behind the other ready tasks of the same priority. */
void rtos_yield(void);
/* Round-robin slice in ticks (default RTOS_TIME_SLICE_DEFAULT; 0: no time slicing). */
void rtos_set_time_slice(rtos_tick_t ticks);
void rtos_set_overflow_policy(enum rtos_overflow_policy policy);
uint32_t rtos_overflow_count(void);
/* Stack overflows detected; task switches made. */
uint32_t rtos_switch_count(void);

/* ---- time ---- */

rtos_tick_t rtos_tick_count(void);
uint32_t rtos_tick_hz(void);
/* Milliseconds to ticks, rounded up, at most RTOS_TIMEOUT_MAX. */
rtos_tick_t rtos_ms_to_ticks(uint32_t ms);
/* Block until the ticks-th tick from now (0: yield). */
void rtos_sleep(rtos_tick_t ticks);
/* Block for at least ms milliseconds (given timely tick interrupts). */
void rtos_sleep_ms(uint32_t ms);
/* Periodic wake-ups without drift: sleep until *last_wake + period, then advance *last_wake. */
void rtos_sleep_until(rtos_tick_t *last_wake, rtos_tick_t period);

/* ---- critical sections and interrupt context ---- */

/* Mask interrupts (nestable: pass the result to rtos_critical_exit). */
uint32_t rtos_critical_enter(void);
void rtos_critical_exit(uint32_t state);
bool rtos_in_isr(void);

/* ---- semaphores ---- */

/* Counting semaphore with `initial` units, at most `max` (>= 1). */
enum rtos_err rtos_sem_init(struct rtos_sem *sem, uint32_t initial, uint32_t max);
/* Take a unit, waiting up to timeout ticks; interrupts only with RTOS_NO_WAIT. */
enum rtos_err rtos_sem_take(struct rtos_sem *sem, rtos_tick_t timeout);
/* Give a unit: to the most urgent waiter if any; RTOS_ERR_OVERFLOW at max.  ISR-safe. */
enum rtos_err rtos_sem_give(struct rtos_sem *sem);
uint32_t rtos_sem_count(const struct rtos_sem *sem);

/* ---- mutexes ---- */

void rtos_mutex_init(struct rtos_mutex *mutex, const char *name);
/* Lock, waiting up to timeout ticks; the owner inherits the waiters' priority.  Tasks only;
 * RTOS_ERR_DEADLOCK if the caller owns it already or the wait would close a cycle. */
enum rtos_err rtos_mutex_lock(struct rtos_mutex *mutex, rtos_tick_t timeout);
/* Unlock (the owner only); the most urgent waiter becomes the owner. */
enum rtos_err rtos_mutex_unlock(struct rtos_mutex *mutex);
struct rtos_task *rtos_mutex_owner(const struct rtos_mutex *mutex);

/* ---- message queues ---- */

/* A queue of `capacity` items of item_size bytes in buf (capacity * item_size bytes). */
enum rtos_err rtos_queue_init(struct rtos_queue *queue, void *buf, size_t item_size,
			      uint32_t capacity);
/* Copy an item in (to a waiting receiver directly), waiting up to timeout ticks for room.
 * Send and receive are ISR-safe with RTOS_NO_WAIT. */
enum rtos_err rtos_queue_send(struct rtos_queue *queue, const void *item, rtos_tick_t timeout);
/* Copy the oldest item out, waiting up to timeout ticks for one. */
enum rtos_err rtos_queue_receive(struct rtos_queue *queue, void *item, rtos_tick_t timeout);
uint32_t rtos_queue_count(const struct rtos_queue *queue);

/* ---- called by the port ---- */

/* From the tick interrupt: one tick elapsed. */
void rtos_tick_announce(void);
/* At the end of every interrupt, IRQs masked: the task to resume (the new current task). */
struct rtos_task *rtos_isr_exit(void);

const char *rtos_err_name(enum rtos_err err);

#endif /* RTOS_RTOS_H */
