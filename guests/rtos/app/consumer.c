/*
 * role=consumer: the doorbell interrupt of channel 0 gives a semaphore; the consumer task
 * drains the channel, checks sequence numbers (in order, none lost) and passes each reading
 * through a queue to the filter task (moving average); a reporter task prints a summary.
 *
 * The consumer also wakes every 500 ms without a doorbell, to attach once the producer has
 * formatted the ring and to notice a lost doorbell.  It writes the ring's tail only when its
 * device tree does not mark the channel read-only.
 */
#include "app.h"

#include <stdio.h>

#include "guest.h"

#define DOORBELL_PRIORITY 0x90U
#define FILTER_DEPTH 16U
#define POLL_MS 500U

static struct rtos_task consumer_task, filter_task, reporter_task;
static uint64_t consumer_stack[APP_STACK_SIZE / 8], filter_stack[APP_STACK_SIZE / 8],
	reporter_stack[APP_STACK_SIZE / 8];
static struct rtos_sem doorbell;
static struct rtos_queue to_filter;
static struct reading to_filter_buf[FILTER_DEPTH];
static struct channel chan;
static struct fdt_channel info;
static bool attached;
static struct seq_check check;
static volatile uint32_t doorbells, corrupt, resets;
static volatile int32_t last_avg;

static void doorbell_isr(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	doorbells++;
	/* A doorbell already pending covers this one: OVERFLOW is fine. */
	(void)rtos_sem_give(&doorbell);
}

static void try_attach(void)
{
	enum channel_status st = channel_consumer_attach(
		&chan, (void *)(uintptr_t)info.ipa, (size_t)info.size, !info.read_only, info.index);

	if (st == CHANNEL_OK) {
		attached = true;
		app_log("attached channel=0 slots=%lu next_seq=%lu", (unsigned long)chan.slot_count,
			(unsigned long)chan.next);
	} else if (st != CHANNEL_NOT_READY) {
		app_log("attach failed status=%d", (int)st);
	}
}

static void drain(uint32_t limit)
{
	char t[16], verdict[40];

	for (;;) {
		struct reading r;
		uint32_t len = 0, seq = 0;
		enum channel_status st = channel_receive(&chan, &r, sizeof(r), &len, &seq);

		if (st == CHANNEL_EMPTY)
			return;
		if (st == CHANNEL_RESET) {
			resets++;
			app_log("producer restarted its ring, following it");
			check.started = false;
			continue;
		}
		if (st != CHANNEL_OK)
			return;
		if (len != sizeof(r) || r.seq != seq) {
			corrupt++;
			app_log("recv seq=%lu CORRUPT len=%lu payload_seq=%lu", (unsigned long)seq,
				(unsigned long)len, (unsigned long)r.seq);
			continue;
		}
		app_log("recv seq=%lu temp=%s %s", (unsigned long)seq,
			app_temp(t, sizeof(t), r.temp_deci),
			app_check_seq(&check, seq, verdict, sizeof(verdict)));
		(void)rtos_queue_send(&to_filter, &r, RTOS_NO_WAIT);
		if (limit && check.received >= limit) {
			rtos_sleep_ms(20);
			app_finish("received", check.received);
		}
	}
}

static void consumer(void *arg)
{
	uint32_t limit = app_count_limit();

	(void)arg;
	for (;;) {
		(void)rtos_sem_take(&doorbell, rtos_ms_to_ticks(POLL_MS));
		if (!attached)
			try_attach();
		if (attached)
			drain(limit);
	}
}

static void filter(void *arg)
{
	struct average avg = { 0 };
	char t[16];

	(void)arg;
	for (;;) {
		struct reading r;

		if (rtos_queue_receive(&to_filter, &r, RTOS_WAIT_FOREVER) != RTOS_OK)
			continue;
		last_avg = app_average_add(&avg, r.temp_deci);
		app_log("seq=%lu avg=%s", (unsigned long)r.seq, app_temp(t, sizeof(t), last_avg));
	}
}

static void reporter(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	char t[16];

	(void)arg;
	for (;;) {
		rtos_sleep_until(&last, rtos_ms_to_ticks(1000));
		app_log("uptime=%lums recv=%lu lost=%lu order=%lu corrupt=%lu torn=%lu "
			"doorbells=%lu avg=%s",
			(unsigned long)(gtimer_uptime_ns() / 1000000U),
			(unsigned long)check.received, (unsigned long)(check.lost + chan.skipped),
			(unsigned long)check.out_of_order, (unsigned long)corrupt,
			(unsigned long)chan.torn, (unsigned long)doorbells,
			app_temp(t, sizeof(t), last_avg));
	}
}

bool consumer_start(void)
{
	const struct fdt *fdt = guest_fdt();

	if (!fdt || !fdt_channel(fdt, 0, &info) || info.size == 0) {
		printf("rtos: role=consumer needs channel 0 in the device tree; "
		       "running the local demo\n");
		return false;
	}
	rtos_sem_init(&doorbell, 0, 1);
	rtos_queue_init(&to_filter, to_filter_buf, sizeof(struct reading), FILTER_DEPTH);
	if (info.intid) {
		gic_register(info.intid, doorbell_isr, NULL);
		gic_irq_set_edge(info.intid, info.edge);
		gic_irq_set_priority(info.intid, DOORBELL_PRIORITY);
		gic_irq_set_target(info.intid, 1U);
		gic_irq_enable(info.intid);
	}
	printf("rtos: consumer on channel 0 (%s id=%lu peer=%s) ipa=0x%llx size=0x%llx "
	       "doorbell=%lu %s%s\n",
	       info.name, (unsigned long)info.id, info.peer, (unsigned long long)info.ipa,
	       (unsigned long long)info.size, (unsigned long)info.intid,
	       info.edge ? "edge" : "level", info.read_only ? " read-only" : "");
	rtos_task_create(&consumer_task, "consumer", consumer, NULL, APP_PRIO_CONSUMER,
			 consumer_stack, sizeof(consumer_stack));
	rtos_task_create(&filter_task, "filter", filter, NULL, APP_PRIO_FILTER, filter_stack,
			 sizeof(filter_stack));
	rtos_task_create(&reporter_task, "reporter", reporter, NULL, APP_PRIO_STATS, reporter_stack,
			 sizeof(reporter_stack));
	return true;
}
