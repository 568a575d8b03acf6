/*
 * Host unit tests of RTOS counting semaphores (guests/rtos/kernel/sem.c): counting and the
 * maximum, blocking and preemption on give, wake order (priority, then FIFO), timeouts to the
 * tick, give from an interrupt, hand-off to a waiter, and what interrupt context may not do.
 */
#include "rtos_host.h"

static struct rtos_sem sem;

TEST(counts_up_to_max_and_down_to_zero)
{
	sim_reset();
	EXPECT_EQ(rtos_sem_init(&sem, 2, 3), RTOS_OK);
	EXPECT_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_OK);
	EXPECT_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_OK);
	EXPECT_EQ(rtos_sem_take(&sem, RTOS_NO_WAIT), RTOS_ERR_TIMEOUT);
	EXPECT_EQ(rtos_sem_count(&sem), 0);
	EXPECT_EQ(rtos_sem_give(&sem), RTOS_OK);
	EXPECT_EQ(rtos_sem_give(&sem), RTOS_OK);
	EXPECT_EQ(rtos_sem_give(&sem), RTOS_OK);
	EXPECT_EQ(rtos_sem_give(&sem), RTOS_ERR_OVERFLOW);
	EXPECT_EQ(rtos_sem_count(&sem), 3);
}

TEST(init_rejects_bad_parameters)
{
	EXPECT_EQ(rtos_sem_init(&sem, 0, 0), RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_sem_init(&sem, 4, 3), RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_sem_init(NULL, 0, 1), RTOS_ERR_PARAM);
}

TEST(blocking_take_before_start_is_refused)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	EXPECT_EQ(rtos_sem_take(&sem, 10), RTOS_ERR_STATE);
}

static void taker(void *arg)
{
	enum rtos_err err = rtos_sem_take(&sem, RTOS_WAIT_FOREVER);

	trace("%s:%s@%u", (const char *)arg, rtos_err_name(err), rtos_tick_count());
}

static void giver(void *arg)
{
	int i, n = (int)(uintptr_t)arg;

	for (i = 0; i < n; i++) {
		trace("give%d", i);
		EXPECT_EQ(rtos_sem_give(&sem), RTOS_OK);
	}
	trace("giver-done");
}

TEST(give_wakes_a_more_urgent_waiter_at_once)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	spawn(0, "taker", taker, "t", 5);
	spawn(1, "giver", giver, (void *)1, 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "give0 t:OK@0 giver-done");
	EXPECT_EQ(rtos_sem_count(&sem), 0);
}

TEST(waiters_wake_by_priority_then_fifo)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 4);
	spawn(0, "w1", taker, "w1p3", 3);
	spawn(1, "w2", taker, "w2p5", 5);
	spawn(2, "w3", taker, "w3p5", 5);
	spawn(3, "w4", taker, "w4p4", 4);
	spawn(4, "giver", giver, (void *)4, 2);
	sim_run(5);
	EXPECT_STREQ(trace_buf,
		     "give0 w2p5:OK@0 give1 w3p5:OK@0 give2 w4p4:OK@0 give3 w1p3:OK@0 giver-done");
}

static void timed_taker(void *arg)
{
	rtos_tick_t start = rtos_tick_count();
	enum rtos_err err = rtos_sem_take(&sem, (rtos_tick_t)(uintptr_t)arg);

	trace("%s after %u", rtos_err_name(err), rtos_tick_count() - start);
}

TEST(take_times_out_at_the_tick)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	spawn(0, "taker", timed_taker, (void *)5, 3);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "TIMEOUT after 5");
	EXPECT_EQ(rtos_sem_count(&sem), 0);
	EXPECT(list_empty(&sem.waiters));
	EXPECT(list_empty(&rtos_kernel.timers));
}

static enum rtos_err isr_give_results[4];
static unsigned isr_give_count;

static void isr_give(void *arg)
{
	(void)arg;
	isr_give_results[isr_give_count++ % 4] = rtos_sem_give(&sem);
}

TEST(give_from_an_interrupt_before_the_timeout)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	spawn(0, "taker", timed_taker, (void *)5, 3);
	host_port_at_tick(3, isr_give, NULL);
	isr_give_count = 0;
	sim_run(20);
	EXPECT_STREQ(trace_buf, "OK after 3");
	EXPECT_EQ(isr_give_results[0], RTOS_OK);
	/* The timer was cancelled: nothing expires at tick 5. */
	EXPECT(list_empty(&rtos_kernel.timers));
}

TEST(give_from_an_interrupt_without_waiters_counts)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 2);
	host_port_at_tick(2, isr_give, NULL);
	host_port_at_tick(3, isr_give, NULL);
	host_port_at_tick(4, isr_give, NULL);
	isr_give_count = 0;
	sim_run(10);
	EXPECT_EQ(rtos_sem_count(&sem), 2);
	EXPECT_EQ(isr_give_results[0], RTOS_OK);
	EXPECT_EQ(isr_give_results[1], RTOS_OK);
	EXPECT_EQ(isr_give_results[2], RTOS_ERR_OVERFLOW);
}

static enum rtos_err isr_take_wait, isr_take_nowait;

static void isr_take(void *arg)
{
	(void)arg;
	isr_take_wait = rtos_sem_take(&sem, 10);
	isr_take_nowait = rtos_sem_take(&sem, RTOS_NO_WAIT);
}

TEST(interrupts_may_not_block)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	host_port_at_tick(2, isr_take, NULL);
	sim_run(5);
	EXPECT_EQ(isr_take_wait, RTOS_ERR_ISR);
	EXPECT_EQ(isr_take_nowait, RTOS_ERR_TIMEOUT);
}

static void thief(void *arg)
{
	(void)arg;
	rtos_sleep(1); /* the less urgent taker blocks meanwhile */
	/* The unit given to the waiting task is already its own, though it has not run yet. */
	EXPECT_EQ(rtos_sem_give(&sem), RTOS_OK);
	trace("steal:%s", rtos_err_name(rtos_sem_take(&sem, RTOS_NO_WAIT)));
}

TEST(give_hands_the_unit_to_the_waiter)
{
	sim_reset();
	rtos_sem_init(&sem, 0, 1);
	spawn(0, "taker", taker, "t", 2);
	spawn(1, "thief", thief, NULL, 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "steal:TIMEOUT t:OK@1");
}

int main(void)
{
	test_suite_name = "rtos_sem";
	RUN(counts_up_to_max_and_down_to_zero);
	RUN(init_rejects_bad_parameters);
	RUN(blocking_take_before_start_is_refused);
	RUN(give_wakes_a_more_urgent_waiter_at_once);
	RUN(waiters_wake_by_priority_then_fifo);
	RUN(take_times_out_at_the_tick);
	RUN(give_from_an_interrupt_before_the_timeout);
	RUN(give_from_an_interrupt_without_waiters_counts);
	RUN(interrupts_may_not_block);
	RUN(give_hands_the_unit_to_the_waiter);
	return test_summary();
}
