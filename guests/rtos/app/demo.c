/*
 * The local demo (no device tree, no Tessera, or no role): the same sensor pipeline as the
 * two-partition system, inside one RTOS: producer -> queue -> consumer -> queue -> filter,
 * plus a statistics task.
 */
#include "app.h"

#include <stdio.h>

#include "guest.h"

#define READINGS_DEPTH 8U

static struct rtos_task producer_task, consumer_task, filter_task, stats_task;
static uint64_t producer_stack[APP_STACK_SIZE / 8], consumer_stack[APP_STACK_SIZE / 8],
	filter_stack[APP_STACK_SIZE / 8], stats_stack[APP_STACK_SIZE / 8];
static struct rtos_queue readings, filtered;
static struct reading readings_buf[READINGS_DEPTH], filtered_buf[READINGS_DEPTH];
static volatile uint32_t sent, dropped;
static struct seq_check check;

static void producer(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	rtos_tick_t period = rtos_ms_to_ticks(app_period_ms());
	uint32_t seq = 0;
	char t[16];

	(void)arg;
	for (;;) {
		struct reading r = { .seq = seq,
				     .temp_deci = app_synthetic_temp(seq),
				     .tick = rtos_tick_count() };

		if (rtos_queue_send(&readings, &r, rtos_ms_to_ticks(10)) == RTOS_OK) {
			sent++;
			app_log("sent seq=%lu temp=%s", (unsigned long)seq,
				app_temp(t, sizeof(t), r.temp_deci));
		} else {
			dropped++;
			app_log("queue full seq=%lu dropped", (unsigned long)seq);
		}
		seq++;
		app_next_sample(&last, period);
	}
}

static void consumer(void *arg)
{
	uint32_t limit = app_count_limit();
	char t[16], verdict[40];

	(void)arg;
	for (;;) {
		struct reading r;

		if (rtos_queue_receive(&readings, &r, RTOS_WAIT_FOREVER) != RTOS_OK)
			continue;
		app_log("recv seq=%lu temp=%s %s", (unsigned long)r.seq,
			app_temp(t, sizeof(t), r.temp_deci),
			app_check_seq(&check, r.seq, verdict, sizeof(verdict)));
		(void)rtos_queue_send(&filtered, &r, RTOS_NO_WAIT);
		if (limit && check.received >= limit) {
			rtos_sleep_ms(20); /* let the filter print its line */
			app_finish("readings", check.received);
		}
	}
}

static void filter(void *arg)
{
	struct average avg = { 0 };
	char t[16];

	(void)arg;
	for (;;) {
		struct reading r;

		if (rtos_queue_receive(&filtered, &r, RTOS_WAIT_FOREVER) != RTOS_OK)
			continue;
		app_log("seq=%lu avg=%s", (unsigned long)r.seq,
			app_temp(t, sizeof(t), app_average_add(&avg, r.temp_deci)));
	}
}

static void stats(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	uint32_t reports = 0;

	(void)arg;
	for (;;) {
		rtos_sleep_until(&last, rtos_ms_to_ticks(1000));
		app_log("uptime=%lums sent=%lu dropped=%lu recv=%lu lost=%lu order=%lu "
			"switches=%lu",
			(unsigned long)(gtimer_uptime_ns() / 1000000U), (unsigned long)sent,
			(unsigned long)dropped, (unsigned long)check.received,
			(unsigned long)check.lost, (unsigned long)check.out_of_order,
			(unsigned long)rtos_switch_count());
		if (++reports % 5U == 1U)
			app_print_stacks();
	}
}

void demo_start(void)
{
	rtos_queue_init(&readings, readings_buf, sizeof(struct reading), READINGS_DEPTH);
	rtos_queue_init(&filtered, filtered_buf, sizeof(struct reading), READINGS_DEPTH);
	rtos_task_create(&producer_task, "producer", producer, NULL, APP_PRIO_SENSOR,
			 producer_stack, sizeof(producer_stack));
	rtos_task_create(&consumer_task, "consumer", consumer, NULL, APP_PRIO_CONSUMER,
			 consumer_stack, sizeof(consumer_stack));
	rtos_task_create(&filter_task, "filter", filter, NULL, APP_PRIO_FILTER, filter_stack,
			 sizeof(filter_stack));
	rtos_task_create(&stats_task, "stats", stats, NULL, APP_PRIO_STATS, stats_stack,
			 sizeof(stats_stack));
	printf("rtos: local demo: producer -> queue -> consumer -> filter, every %lu ms\n",
	       (unsigned long)app_period_ms());
}
