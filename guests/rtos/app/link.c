/*
 * "link" in the bootargs (beside any role): the RTOS end of the linux-rtos demo's channel 0
 * (records and halves in guests/lib/linkrec.h).  The doorbell interrupt gives a semaphore;
 * the link task drains Linux's requests from the lower half, checks each (number in order,
 * check word, length) and answers it in the upper half, then rings Linux once for the batch.
 * A reporter prints the counts every second while they change, in the consumer's words:
 *
 *   link: recv=N lost=N corrupt=N sent=N full=N doorbells=N
 *
 * Linux restarts its numbering at 0 each time its program starts (a new run, not a loss).
 */
#include "app.h"

#include <stdio.h>

#include "guest.h"
#include "linkrec.h"

#define LINK_DOORBELL_PRIORITY 0x90U
#define LINK_POLL_MS 500U

static struct rtos_task link_task, link_reporter_task;
static uint64_t link_stack[APP_STACK_SIZE / 8], link_reporter_stack[APP_STACK_SIZE / 8];
static struct rtos_sem link_doorbell;
static struct channel rx, tx;
static struct fdt_channel info;
static bool attached;
static struct seq_check check;
static volatile uint32_t doorbells, corrupt, sent, full;

static void link_isr(uint32_t intid, void *arg)
{
	(void)intid;
	(void)arg;
	doorbells++;
	(void)rtos_sem_give(&link_doorbell);
}

static void answer(const struct link_record *req)
{
	struct link_record ans = { .number = req->number, .value = req->value + 1U };

	ans.check = link_check(ans.number, ans.value);
	if (channel_send(&tx, &ans, sizeof(ans), NULL) == CHANNEL_OK)
		sent++;
	else
		full++;
}

static void drain(void)
{
	bool any = false;
	char verdict[40];

	for (;;) {
		struct link_record r;
		uint32_t len = 0, seq = 0;
		enum channel_status st = channel_receive(&rx, &r, sizeof(r), &len, &seq);

		if (st == CHANNEL_RESET) {
			check.started = false;
			continue;
		}
		if (st != CHANNEL_OK)
			break;
		if (len != sizeof(r) || r.check != link_check(r.number, r.value)) {
			corrupt++;
			continue;
		}
		if (r.number == 0)
			check.started = false; /* the program's next run */
		(void)app_check_seq(&check, r.number, verdict, sizeof(verdict));
		answer(&r);
		any = true;
	}
	if (any)
		(void)channel_notify(&tx);
}

static void link(void *arg)
{
	(void)arg;
	for (;;) {
		(void)rtos_sem_take(&link_doorbell, rtos_ms_to_ticks(LINK_POLL_MS));
		if (!attached)
			attached = channel_consumer_attach(&rx, (void *)(uintptr_t)info.ipa,
							   (size_t)(info.size / 2), true,
							   info.index) == CHANNEL_OK;
		if (attached)
			drain();
	}
}

static void link_reporter(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	uint32_t shown = ~0U;

	(void)arg;
	for (;;) {
		rtos_sleep_until(&last, rtos_ms_to_ticks(1000));
		if (shown == check.received + corrupt + full)
			continue;
		shown = check.received + corrupt + full;
		app_log("recv=%lu lost=%lu corrupt=%lu sent=%lu full=%lu doorbells=%lu",
			(unsigned long)check.received, (unsigned long)(check.lost + rx.skipped),
			(unsigned long)corrupt, (unsigned long)sent, (unsigned long)full,
			(unsigned long)doorbells);
	}
}

bool link_start(void)
{
	const struct fdt *fdt = guest_fdt();

	if (!fdt || !fdt_channel(fdt, 0, &info) || info.size < 2 * CHANNEL_SLOTS_OFFSET ||
	    info.read_only || !info.intid) {
		printf("rtos: link needs writable channel 0 with a doorbell; no link\n");
		return false;
	}
	/* The upper half is ours to format; numbering goes on across a restart of Linux. */
	if (channel_producer_init(&tx, (uint8_t *)(uintptr_t)info.ipa + info.size / 2,
				  (size_t)(info.size / 2), LINK_SLOT_SIZE, 0,
				  info.index) != CHANNEL_OK) {
		printf("rtos: link: channel 0 too small; no link\n");
		return false;
	}
	rtos_sem_init(&link_doorbell, 0, 1);
	gic_register(info.intid, link_isr, NULL);
	gic_irq_set_edge(info.intid, info.edge);
	gic_irq_set_priority(info.intid, LINK_DOORBELL_PRIORITY);
	gic_irq_set_target(info.intid, 1U);
	gic_irq_enable(info.intid);
	printf("rtos: link on channel 0 (%s peer=%s) ipa=0x%llx size=0x%llx doorbell=%lu\n",
	       info.name, info.peer, (unsigned long long)info.ipa, (unsigned long long)info.size,
	       (unsigned long)info.intid);
	rtos_task_create(&link_task, "link", link, NULL, APP_PRIO_CONSUMER, link_stack,
			 sizeof(link_stack));
	rtos_task_create(&link_reporter_task, "link", link_reporter, NULL, APP_PRIO_STATS,
			 link_reporter_stack, sizeof(link_reporter_stack));
	return true;
}
