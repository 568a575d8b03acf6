/*
 * The RTOS application: roles chosen by /chosen/bootargs ("role=producer", "role=consumer",
 * "test" or "role=test", otherwise the local demo), and what they share.
 *
 * "link" (beside any of them) also answers Linux's records on channel 0 (link.c).
 *
 * Every line printed is "<task>: <event> key=value ...", one line per event, so that runners
 * can parse it.  Optional bootargs: "count=N" powers off after N readings (all roles),
 * "period=MS" sets the sensor period (default 100 ms).
 */
#ifndef RTOS_APP_H
#define RTOS_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "rtos.h"

#define APP_STACK_SIZE 8192U
#define APP_PERIOD_MS_DEFAULT 100U
#define APP_AVERAGE_WINDOW 8U

/* Task priorities of the demo and the channel roles. */
#define APP_PRIO_SENSOR 20U
#define APP_PRIO_CONSUMER 18U
#define APP_PRIO_FILTER 12U
#define APP_PRIO_STATS 4U

/* A sensor reading, as sent through RTOS queues and channels. */
struct reading {
	uint32_t seq; /* the sensor's sequence number (the channel's, over a channel) */
	int32_t temp_deci; /* temperature in tenths of a degree Celsius */
	uint32_t tick; /* producer's tick count when taken */
};

/* Per-run statistics of the receiving side. */
struct seq_check {
	bool started;
	uint32_t expected;
	uint32_t received;
	uint32_t lost;
	uint32_t out_of_order;
};

/* A moving average over the last APP_AVERAGE_WINDOW readings. */
struct average {
	int32_t window[APP_AVERAGE_WINDOW];
	uint32_t count;
	uint32_t next;
};

void app_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *app_temp(char *buf, size_t size, int32_t temp_deci);
int32_t app_synthetic_temp(uint32_t seq);
const char *app_check_seq(struct seq_check *check, uint32_t seq, char *buf, size_t size);
int32_t app_average_add(struct average *avg, int32_t value);
uint32_t app_period_ms(void);
void app_next_sample(rtos_tick_t *last, rtos_tick_t period);
uint32_t app_count_limit(void);
__attribute__((noreturn)) void app_finish(const char *what, uint32_t count);
void app_print_stacks(void);

void demo_start(void);
bool producer_start(void);
bool consumer_start(void);
void selftest_start(void);
bool link_start(void);

#endif /* RTOS_APP_H */
