/*
 * Helpers shared by the application roles: task-tagged logging, the synthetic sensor,
 * sequence checking, moving average, options from the bootargs.
 */
#include "app.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "guest.h"

void app_log(const char *fmt, ...)
{
	char line[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* One printf, one console write: the task name and its event stay on one line. */
	printf("%s: %s\n", rtos_task_name(rtos_task_self()), line);
}

const char *app_temp(char *buf, size_t size, int32_t temp_deci)
{
	uint32_t mag = temp_deci < 0 ? (uint32_t)-temp_deci : (uint32_t)temp_deci;

	snprintf(buf, size, "%s%lu.%lu", temp_deci < 0 ? "-" : "", (unsigned long)(mag / 10U),
		 (unsigned long)(mag % 10U));
	return buf;
}

int32_t app_synthetic_temp(uint32_t seq)
{
	/* 21.5 C plus a triangle wave of +-1.0 C over 40 readings and a little jitter. */
	int32_t phase = (int32_t)(seq % 40U);
	int32_t tri = phase < 20 ? phase - 10 : 30 - phase;

	return 215 + tri + (int32_t)((seq * 7U) % 3U) - 1;
}

const char *app_check_seq(struct seq_check *check, uint32_t seq, char *buf, size_t size)
{
	check->received++;
	if (!check->started || seq == check->expected) {
		check->started = true;
		check->expected = seq + 1U;
		snprintf(buf, size, "ok");
	} else if ((int32_t)(seq - check->expected) > 0) {
		uint32_t missing = seq - check->expected;

		check->lost += missing;
		check->expected = seq + 1U;
		snprintf(buf, size, "LOST %lu", (unsigned long)missing);
	} else {
		check->out_of_order++;
		snprintf(buf, size, "ORDER expected=%lu", (unsigned long)check->expected);
	}
	return buf;
}

int32_t app_average_add(struct average *avg, int32_t value)
{
	int64_t sum = 0;
	uint32_t i;

	avg->window[avg->next] = value;
	avg->next = (avg->next + 1U) % APP_AVERAGE_WINDOW;
	if (avg->count < APP_AVERAGE_WINDOW)
		avg->count++;
	for (i = 0; i < avg->count; i++)
		sum += avg->window[i];
	return (int32_t)(sum / (int64_t)avg->count);
}

uint32_t app_period_ms(void)
{
	uint32_t ms;

	if (!bootargs_get_u32(guest_bootargs(), "period", &ms) || ms == 0)
		ms = APP_PERIOD_MS_DEFAULT;
	return ms;
}

/*
 * Wait for the next sampling period.  A sampler that fell more than a period behind (its
 * vCPU did not run: a host that starves QEMU's threads; a board gives the vCPU its CPU)
 * samples once now and goes on from there, rather than taking the missed samples in a burst
 * that fills its queue before the consumer can run.
 */
void app_next_sample(rtos_tick_t *last, rtos_tick_t period)
{
	rtos_sleep_until(last, period);
	if (rtos_tick_count() - *last >= period)
		*last = rtos_tick_count();
}

uint32_t app_count_limit(void)
{
	uint32_t n;

	return bootargs_get_u32(guest_bootargs(), "count", &n) ? n : 0;
}

void app_finish(const char *what, uint32_t count)
{
	app_log("done %s=%lu, powering off", what, (unsigned long)count);
	guest_power_off();
}

static void print_stack(struct rtos_task *task, void *arg)
{
	(void)arg;
	if (rtos_task_state(task) == RTOS_TASK_UNUSED)
		return;
	app_log("stack task=%s used=%lu size=%lu", rtos_task_name(task),
		(unsigned long)(task->stack_size - rtos_task_stack_unused(task)),
		(unsigned long)task->stack_size);
}

void app_print_stacks(void)
{
	rtos_task_foreach(print_stack, NULL);
}
