/*
 * role=producer: a sensor task publishes readings on channel 0 at a fixed period and rings
 * the peer's doorbell after each; a statistics task reports periodically.
 *
 * The ring is formatted in overwrite mode unless the bootargs say "channel=block": then the
 * producer refuses to overwrite unread readings (which needs a consumer that can write the
 * ring's tail) and counts them as dropped.
 */
#include "app.h"

#include <stdio.h>

#include "guest.h"

static struct rtos_task sensor_task, stats_task;
static uint64_t sensor_stack[APP_STACK_SIZE / 8], stats_stack[APP_STACK_SIZE / 8];
static struct channel chan;
static struct fdt_channel info;
static volatile uint32_t sent, full, doorbell_errors;

static void sensor(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	rtos_tick_t period = rtos_ms_to_ticks(app_period_ms());
	uint32_t limit = app_count_limit();
	char t[16];

	(void)arg;
	for (;;) {
		uint32_t seq = channel_next_seq(&chan);
		struct reading r = { .seq = seq,
				     .temp_deci = app_synthetic_temp(seq),
				     .tick = rtos_tick_count() };
		enum channel_status st = channel_send(&chan, &r, sizeof(r), &seq);

		if (st == CHANNEL_OK) {
			int32_t ret = channel_notify(&chan);

			sent++;
			app_log("sent seq=%lu temp=%s", (unsigned long)seq,
				app_temp(t, sizeof(t), r.temp_deci));
			if (ret < 0 && doorbell_errors++ == 0)
				app_log("doorbell error=%ld (reported once)", (long)ret);
		} else {
			full++;
			app_log("full seq=%lu dropped", (unsigned long)seq);
		}
		if (limit && sent >= limit) {
			rtos_sleep_ms(50); /* a last doorbell for a consumer that lags */
			(void)channel_notify(&chan);
			app_finish("sent", sent);
		}
		app_next_sample(&last, period);
	}
}

static void stats(void *arg)
{
	rtos_tick_t last = rtos_tick_count();

	(void)arg;
	for (;;) {
		rtos_sleep_until(&last, rtos_ms_to_ticks(1000));
		app_log("uptime=%lums sent=%lu full=%lu doorbell_errors=%lu switches=%lu",
			(unsigned long)(gtimer_uptime_ns() / 1000000U), (unsigned long)sent,
			(unsigned long)full, (unsigned long)doorbell_errors,
			(unsigned long)rtos_switch_count());
	}
}

bool producer_start(void)
{
	const struct fdt *fdt = guest_fdt();
	char mode[16] = "";
	uint32_t flags = CHANNEL_FLAG_OVERWRITE;
	enum channel_status st;

	if (!fdt || !fdt_channel(fdt, 0, &info) || info.size == 0) {
		printf("rtos: role=producer needs channel 0 in the device tree; "
		       "running the local demo\n");
		return false;
	}
	if (info.read_only) {
		printf("rtos: role=producer but channel 0 is read-only here; "
		       "running the local demo\n");
		return false;
	}
	if (bootargs_get(guest_bootargs(), "channel", mode, sizeof(mode)) && mode[0] == 'b')
		flags = 0;
	st = channel_producer_init(&chan, (void *)(uintptr_t)info.ipa, (size_t)info.size,
				   sizeof(struct reading) + CHANNEL_SLOT_HEADER, flags, 0);
	if (st != CHANNEL_OK) {
		printf("rtos: channel 0 at 0x%llx size 0x%llx unusable (status %d); "
		       "running the local demo\n",
		       (unsigned long long)info.ipa, (unsigned long long)info.size, (int)st);
		return false;
	}
	printf("rtos: producer on channel 0 (%s id=%lu peer=%s) ipa=0x%llx size=0x%llx "
	       "slots=%lu mode=%s next_seq=%lu\n",
	       info.name, (unsigned long)info.id, info.peer, (unsigned long long)info.ipa,
	       (unsigned long long)info.size, (unsigned long)chan.slot_count,
	       flags ? "overwrite" : "block", (unsigned long)channel_next_seq(&chan));
	rtos_task_create(&sensor_task, "producer", sensor, NULL, APP_PRIO_SENSOR, sensor_stack,
			 sizeof(sensor_stack));
	rtos_task_create(&stats_task, "stats", stats, NULL, APP_PRIO_STATS, stats_stack,
			 sizeof(stats_stack));
	return true;
}
