/*
 * Helpers shared by the RTOS kernel's host unit tests (rtos_*_test.c): task stacks, a trace
 * of events, and a one-call simulation run on the host port (guests/rtos/port/host).
 *
 * Tasks record what they do with trace("..."); a case then compares the whole trace with the
 * expected one, which is exact because the host port is deterministic.
 */
#ifndef TESSERA_RTOS_HOST_H
#define TESSERA_RTOS_HOST_H

#include <stdarg.h>

#include "host_port.h"
#include "kernel.h"
#include "test.h"

#define HOST_TASK_MAX 12
#define HOST_STACK_SIZE (128 * 1024)

static struct rtos_task host_tasks[HOST_TASK_MAX];
static uint8_t host_stacks[HOST_TASK_MAX][HOST_STACK_SIZE] __attribute__((aligned(16)));
static char trace_buf[4096];

static inline void trace_reset(void)
{
	trace_buf[0] = '\0';
}

/* Append one event (a word) to the trace, space-separated. */
static inline __attribute__((format(printf, 1, 2))) void trace(const char *fmt, ...)
{
	size_t len = strlen(trace_buf);
	va_list ap;

	if (len && len < sizeof(trace_buf) - 1)
		trace_buf[len++] = ' ';
	va_start(ap, fmt);
	vsnprintf(trace_buf + len, sizeof(trace_buf) - len, fmt, ap);
	va_end(ap);
}

/* Fresh kernel and trace for a case. */
static inline void sim_reset(void)
{
	memset(host_tasks, 0, sizeof(host_tasks));
	trace_reset();
	rtos_init();
}

static inline struct rtos_task *spawn(int slot, const char *name, void (*entry)(void *), void *arg,
				      unsigned prio)
{
	enum rtos_err err = rtos_task_create(&host_tasks[slot], name, entry, arg, prio,
					     host_stacks[slot], HOST_STACK_SIZE);

	if (err != RTOS_OK) {
		printf("# spawn %s: %s\n", name, rtos_err_name(err));
		return NULL;
	}
	return &host_tasks[slot];
}

/* Run the simulation until a task stops it or the tick count reaches stop_tick. */
static inline void sim_run(rtos_tick_t stop_tick)
{
	host_port_stop_at(stop_tick);
	rtos_start();
}

#endif /* TESSERA_RTOS_HOST_H */
