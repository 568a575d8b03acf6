/*
 * Host unit tests of RTOS message queues (guests/rtos/kernel/queue.c): FIFO order across the
 * ring's wrap, full and empty without waiting, hand-off to a waiting receiver, senders blocked
 * on a full queue, timeouts to the tick, waiter order, and use from interrupt handlers.
 */
#include "rtos_host.h"

#define CAPACITY 3U

struct item {
	uint32_t seq;
	uint32_t payload[3];
};

static struct rtos_queue queue;
static struct item storage[CAPACITY];

static struct item make_item(uint32_t seq)
{
	struct item it = { .seq = seq, .payload = { seq * 3U, seq * 3U + 1U, seq * 3U + 2U } };

	return it;
}

static bool item_ok(const struct item *it, uint32_t seq)
{
	return it->seq == seq && it->payload[0] == seq * 3U && it->payload[2] == seq * 3U + 2U;
}

static void queue_reset(void)
{
	sim_reset();
	EXPECT_EQ(rtos_queue_init(&queue, storage, sizeof(struct item), CAPACITY), RTOS_OK);
}

TEST(fifo_order_across_the_wrap)
{
	struct item it;
	uint32_t sent = 0, received = 0;
	int round;

	queue_reset();
	/* Unequal batches move head around the ring. */
	for (round = 0; round < 7; round++) {
		uint32_t n = (uint32_t)round % CAPACITY + 1U, i;

		for (i = 0; i < n; i++) {
			it = make_item(sent++);
			EXPECT_EQ(rtos_queue_send(&queue, &it, RTOS_NO_WAIT), RTOS_OK);
		}
		EXPECT_EQ(rtos_queue_count(&queue), n);
		for (i = 0; i < n; i++) {
			EXPECT_EQ(rtos_queue_receive(&queue, &it, RTOS_NO_WAIT), RTOS_OK);
			EXPECT(item_ok(&it, received++));
		}
	}
	EXPECT_EQ(sent, received);
}

TEST(full_and_empty_without_waiting)
{
	struct item it = make_item(1);
	uint32_t i;

	queue_reset();
	EXPECT_EQ(rtos_queue_receive(&queue, &it, RTOS_NO_WAIT), RTOS_ERR_TIMEOUT);
	for (i = 0; i < CAPACITY; i++)
		EXPECT_EQ(rtos_queue_send(&queue, &it, RTOS_NO_WAIT), RTOS_OK);
	EXPECT_EQ(rtos_queue_send(&queue, &it, RTOS_NO_WAIT), RTOS_ERR_TIMEOUT);
	EXPECT_EQ(rtos_queue_count(&queue), CAPACITY);
	/* Blocking is refused before the scheduler runs. */
	EXPECT_EQ(rtos_queue_send(&queue, &it, 5), RTOS_ERR_STATE);
}

TEST(init_rejects_bad_parameters)
{
	EXPECT_EQ(rtos_queue_init(&queue, storage, 0, CAPACITY), RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_queue_init(&queue, storage, sizeof(struct item), 0), RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_queue_init(&queue, NULL, sizeof(struct item), 1), RTOS_ERR_PARAM);
}

static void receiver(void *arg)
{
	rtos_tick_t timeout = (rtos_tick_t)(uintptr_t)arg;
	struct item it;
	int i;

	for (i = 0; i < 5; i++) {
		enum rtos_err err = rtos_queue_receive(&queue, &it, timeout);

		if (err != RTOS_OK) {
			trace("%s:%s@%u", rtos_task_name(rtos_task_self()), rtos_err_name(err),
			      rtos_tick_count());
			return;
		}
		trace("%s:%u", rtos_task_name(rtos_task_self()), it.seq);
		EXPECT(item_ok(&it, it.seq));
	}
}

static void sender(void *arg)
{
	uint32_t first = (uint32_t)(uintptr_t)arg, i;

	for (i = first; i < first + 5U; i++) {
		struct item it = make_item(i);

		trace("s%u", i);
		EXPECT_EQ(rtos_queue_send(&queue, &it, RTOS_WAIT_FOREVER), RTOS_OK);
	}
	trace("sent");
}

TEST(a_waiting_receiver_gets_the_item_at_once)
{
	queue_reset();
	spawn(0, "r", receiver, (void *)RTOS_WAIT_FOREVER, 5);
	spawn(1, "sender", sender, (void *)0, 3);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "s0 r:0 s1 r:1 s2 r:2 s3 r:3 s4 r:4 sent");
	EXPECT_EQ(rtos_queue_count(&queue), 0);
}

static void slow_receiver(void *arg)
{
	struct item it;
	int i;

	(void)arg;
	rtos_sleep(1); /* the sender fills the queue and blocks */
	trace("count=%u", rtos_queue_count(&queue));
	for (i = 0; i < 5; i++) {
		EXPECT_EQ(rtos_queue_receive(&queue, &it, RTOS_WAIT_FOREVER), RTOS_OK);
		trace("r:%u", it.seq);
	}
}

TEST(a_sender_blocks_on_a_full_queue_and_order_is_kept)
{
	queue_reset();
	spawn(0, "r", slow_receiver, NULL, 5);
	spawn(1, "sender", sender, (void *)0, 3);
	sim_run(10);
	/*
	 * s3 blocks on the full queue; the first receive moves its item in and readies the
	 * sender, which only runs when the more urgent receiver blocks on the empty queue; s4
	 * then goes straight to the waiting receiver.
	 */
	EXPECT_STREQ(trace_buf, "s0 s1 s2 s3 count=3 r:0 r:1 r:2 r:3 s4 r:4 sent");
}

TEST(receive_times_out_at_the_tick)
{
	queue_reset();
	spawn(0, "r", receiver, (void *)4, 5);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "r:TIMEOUT@4");
	EXPECT(list_empty(&queue.recv_waiters));
}

static void timed_sender(void *arg)
{
	struct item it = make_item(9);
	enum rtos_err err;
	uint32_t i;

	(void)arg;
	for (i = 0; i < CAPACITY; i++)
		rtos_queue_send(&queue, &it, RTOS_NO_WAIT);
	err = rtos_queue_send(&queue, &it, 3);
	trace("%s@%u", rtos_err_name(err), rtos_tick_count());
}

TEST(send_times_out_on_a_full_queue)
{
	queue_reset();
	spawn(0, "s", timed_sender, NULL, 5);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "TIMEOUT@3");
	EXPECT_EQ(rtos_queue_count(&queue), CAPACITY);
}

TEST(waiting_receivers_are_served_by_priority)
{
	queue_reset();
	spawn(0, "r2", receiver, (void *)RTOS_WAIT_FOREVER, 2);
	spawn(1, "r4", receiver, (void *)RTOS_WAIT_FOREVER, 4);
	spawn(2, "r4b", receiver, (void *)RTOS_WAIT_FOREVER, 4);
	spawn(3, "sender", sender, (void *)10, 1);
	sim_run(10);
	/* Each item goes to the most urgent waiter, which queues again behind its peer. */
	EXPECT_STREQ(trace_buf, "s10 r4:10 s11 r4b:11 s12 r4:12 s13 r4b:13 s14 r4:14 sent");
}

static enum rtos_err isr_results[3];

static void isr_send(void *arg)
{
	struct item it = make_item((uint32_t)(uintptr_t)arg);

	isr_results[0] = rtos_queue_send(&queue, &it, RTOS_NO_WAIT);
	isr_results[1] = rtos_queue_send(&queue, &it, 5);
}

static void isr_receive(void *arg)
{
	struct item it;

	(void)arg;
	isr_results[2] = rtos_queue_receive(&queue, &it, RTOS_NO_WAIT);
}

TEST(interrupts_send_without_waiting)
{
	queue_reset();
	spawn(0, "r", receiver, (void *)RTOS_WAIT_FOREVER, 5);
	host_port_at_tick(2, isr_send, (void *)42);
	host_port_at_tick(3, isr_receive, NULL);
	sim_run(5);
	/* The first item goes to the waiting receiver; the second fits in the queue. */
	EXPECT_STREQ(trace_buf, "r:42 r:42");
	EXPECT_EQ(isr_results[0], RTOS_OK);
	EXPECT_EQ(isr_results[1], RTOS_OK);
	EXPECT_EQ(isr_results[2], RTOS_ERR_TIMEOUT);
}

static void isr_fill(void *arg)
{
	struct item it = make_item(0);
	uint32_t i;

	(void)arg;
	for (i = 0; i < CAPACITY; i++)
		rtos_queue_send(&queue, &it, RTOS_NO_WAIT);
	isr_results[0] = rtos_queue_send(&queue, &it, RTOS_NO_WAIT);
	isr_results[1] = rtos_queue_send(&queue, &it, 5);
}

TEST(interrupts_may_not_block_on_a_full_queue)
{
	queue_reset();
	host_port_at_tick(1, isr_fill, NULL);
	sim_run(3);
	EXPECT_EQ(isr_results[0], RTOS_ERR_TIMEOUT);
	EXPECT_EQ(isr_results[1], RTOS_ERR_ISR);
}

int main(void)
{
	test_suite_name = "rtos_queue";
	RUN(fifo_order_across_the_wrap);
	RUN(full_and_empty_without_waiting);
	RUN(init_rejects_bad_parameters);
	RUN(a_waiting_receiver_gets_the_item_at_once);
	RUN(a_sender_blocks_on_a_full_queue_and_order_is_kept);
	RUN(receive_times_out_at_the_tick);
	RUN(send_times_out_on_a_full_queue);
	RUN(waiting_receivers_are_served_by_priority);
	RUN(interrupts_send_without_waiting);
	RUN(interrupts_may_not_block_on_a_full_queue);
	return test_summary();
}
