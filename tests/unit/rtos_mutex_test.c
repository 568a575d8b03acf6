/*
 * Host unit tests of RTOS mutexes (guests/rtos/kernel/mutex.c): ownership rules, recursive
 * lock refusal, priority inheritance (basic, several mutexes, transitive chains, restoration
 * on unlock and on a waiter's timeout, a waiter's priority change), bounded priority
 * inversion, hand-off order, deadlock detection and release on task exit.
 */
#include "rtos_host.h"

static struct rtos_mutex m1, m2;
static struct rtos_sem go;

static struct rtos_task *task(int slot)
{
	return &host_tasks[slot];
}

static void owner_rules(void *arg)
{
	(void)arg;
	EXPECT_EQ(rtos_mutex_lock(&m1, RTOS_NO_WAIT), RTOS_OK);
	EXPECT(rtos_mutex_owner(&m1) == rtos_task_self());
	EXPECT_EQ(rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER), RTOS_ERR_DEADLOCK);
	EXPECT_EQ(rtos_mutex_unlock(&m2), RTOS_ERR_NOT_OWNER);
	EXPECT_EQ(rtos_mutex_unlock(&m1), RTOS_OK);
	EXPECT(rtos_mutex_owner(&m1) == NULL);
	EXPECT_EQ(rtos_mutex_unlock(&m1), RTOS_ERR_NOT_OWNER);
	trace("done");
}

TEST(ownership_rules_and_no_recursion)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	rtos_mutex_init(&m2, "m2");
	EXPECT_EQ(rtos_mutex_lock(&m1, RTOS_NO_WAIT), RTOS_ERR_STATE); /* before start */
	spawn(0, "t", owner_rules, NULL, 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "done");
}

static void holder_nowait(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sleep(5);
	rtos_mutex_unlock(&m1);
}

static void tries(void *arg)
{
	(void)arg;
	trace("%s", rtos_err_name(rtos_mutex_lock(&m1, RTOS_NO_WAIT)));
}

static enum rtos_err isr_lock_result;

static void isr_lock(void *arg)
{
	(void)arg;
	isr_lock_result = rtos_mutex_lock(&m1, RTOS_NO_WAIT);
}

TEST(lock_without_waiting_and_from_an_interrupt)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	spawn(0, "holder", holder_nowait, NULL, 4);
	spawn(1, "tries", tries, NULL, 3);
	host_port_at_tick(2, isr_lock, NULL);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "TIMEOUT");
	EXPECT_EQ(isr_lock_result, RTOS_ERR_ISR);
}

/* Basic inheritance: L holds m1; H blocks on it; L runs at H's priority; M must wait. */
static void pi_high(void *arg)
{
	(void)arg;
	trace("H-lock");
	EXPECT_EQ(rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER), RTOS_OK);
	trace("H-got");
	rtos_mutex_unlock(&m1);
}

static void pi_mid(void *arg)
{
	(void)arg;
	trace("M");
}

static void pi_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	spawn(1, "H", pi_high, NULL, 6); /* preempts, blocks on m1 */
	trace("L@%u", rtos_task_priority(rtos_task_self()));
	spawn(2, "M", pi_mid, NULL, 4); /* less urgent than L's inherited 6 */
	host_port_spin(2);
	trace("L-unlock");
	rtos_mutex_unlock(&m1);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
}

TEST(inheritance_bounds_priority_inversion)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	spawn(0, "L", pi_low, NULL, 2);
	sim_run(20);
	/* Without inheritance M would run before L-unlock. */
	EXPECT_STREQ(trace_buf, "H-lock L@6 L-unlock H-got M L@2");
}

static void lock_one(void *arg)
{
	struct rtos_mutex *m = arg;

	rtos_mutex_lock(m, RTOS_WAIT_FOREVER);
	trace("%s:%s", rtos_task_name(rtos_task_self()), m->name);
	rtos_mutex_unlock(m);
}

static void holds_two(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	spawn(1, "h5", lock_one, &m1, 5);
	spawn(2, "h7", lock_one, &m2, 7);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
	rtos_mutex_unlock(&m2); /* h7 runs; still inherits 5 through m1 */
	trace("L@%u", rtos_task_priority(rtos_task_self()));
	rtos_mutex_unlock(&m1);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
}

TEST(inheritance_from_several_mutexes_restored_step_by_step)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	rtos_mutex_init(&m2, "m2");
	spawn(0, "L", holds_two, NULL, 2);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "L@7 h7:m2 L@5 h5:m1 L@2");
}

static void holds_two_unlocks_in_order(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	spawn(1, "h5", lock_one, &m1, 5);
	spawn(2, "h7", lock_one, &m2, 7);
	rtos_mutex_unlock(&m1); /* out of order: m2 still held, h7 still waits */
	trace("L@%u", rtos_task_priority(rtos_task_self()));
	rtos_mutex_unlock(&m2);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
}

TEST(unlocking_out_of_order_keeps_the_right_priority)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	rtos_mutex_init(&m2, "m2");
	spawn(0, "L", holds_two_unlocks_in_order, NULL, 2);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "L@7 h7:m2 h5:m1 L@2");
}

/* Chain: L holds A(m1); M holds B(m2) and waits for A; H waits for B. */
static void chain_low(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sem_take(&go, RTOS_WAIT_FOREVER);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
	rtos_mutex_unlock(&m1);
	trace("L@%u", rtos_task_priority(rtos_task_self()));
}

static void chain_mid(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	trace("M@%u", rtos_task_priority(rtos_task_self()));
	rtos_mutex_unlock(&m1);
	rtos_mutex_unlock(&m2);
	trace("M@%u", rtos_task_priority(rtos_task_self()));
}

static void chain_high(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	trace("H");
	rtos_mutex_unlock(&m2);
}

static void chain_observer(void *arg)
{
	(void)arg;
	/* Most urgent task: the others run while it sleeps. */
	spawn(0, "L", chain_low, NULL, 1);
	rtos_sleep(1);
	spawn(1, "M", chain_mid, NULL, 3);
	rtos_sleep(1);
	EXPECT_EQ(rtos_task_priority(task(0)), 3);
	spawn(2, "H", chain_high, NULL, 6);
	rtos_sleep(1);
	trace("L=%u M=%u", rtos_task_priority(task(0)), rtos_task_priority(task(1)));
	rtos_sem_give(&go);
	rtos_sleep(1);
	trace("L=%u M=%u H=%s", rtos_task_priority(task(0)), rtos_task_priority(task(1)),
	      rtos_task_state(task(2)) == RTOS_TASK_DEAD ? "dead" : "alive");
}

TEST(transitive_inheritance_through_a_chain)
{
	sim_reset();
	rtos_mutex_init(&m1, "A");
	rtos_mutex_init(&m2, "B");
	rtos_sem_init(&go, 0, 1);
	spawn(3, "observer", chain_observer, NULL, 9);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "L=6 M=6 L@6 M@6 H M@3 L@1 L=1 M=3 H=dead");
}

static void chain_high_timeout(void *arg)
{
	(void)arg;
	trace("H:%s", rtos_err_name(rtos_mutex_lock(&m2, 3)));
}

static void chain_timeout_observer(void *arg)
{
	(void)arg;
	spawn(0, "L", chain_low, NULL, 1);
	rtos_sleep(1);
	spawn(1, "M", chain_mid, NULL, 3);
	rtos_sleep(1);
	spawn(2, "H", chain_high_timeout, NULL, 6);
	rtos_sleep(1);
	trace("L=%u M=%u", rtos_task_priority(task(0)), rtos_task_priority(task(1)));
	rtos_sleep(3); /* H's timeout expires: the whole chain falls back */
	trace("L=%u M=%u", rtos_task_priority(task(0)), rtos_task_priority(task(1)));
	rtos_sem_give(&go);
}

TEST(a_timeout_lowers_the_whole_chain_again)
{
	sim_reset();
	rtos_mutex_init(&m1, "A");
	rtos_mutex_init(&m2, "B");
	rtos_sem_init(&go, 0, 1);
	spawn(3, "observer", chain_timeout_observer, NULL, 9);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "L=6 M=6 H:TIMEOUT L=3 M=3 L@3 M@3 M@3 L@1");
}

static void waiter_lock(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_mutex_unlock(&m1);
}

static void reprioritise_observer(void *arg)
{
	(void)arg;
	spawn(0, "L", holder_nowait, NULL, 1);
	rtos_sleep(1);
	spawn(1, "W", waiter_lock, NULL, 2);
	rtos_sleep(1);
	trace("L=%u", rtos_task_priority(task(0)));
	rtos_task_set_priority(task(1), 7); /* the waiter becomes more urgent */
	trace("L=%u", rtos_task_priority(task(0)));
	rtos_task_set_priority(task(1), 2);
	trace("L=%u", rtos_task_priority(task(0)));
}

TEST(a_waiters_priority_change_reaches_the_owner)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	spawn(3, "observer", reprioritise_observer, NULL, 9);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "L=2 L=7 L=2");
}

static void hold_then_release(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sem_take(&go, RTOS_WAIT_FOREVER);
	rtos_mutex_unlock(&m1);
}

static void handoff_observer(void *arg)
{
	(void)arg;
	spawn(0, "L", hold_then_release, NULL, 1);
	rtos_sleep(1);
	spawn(1, "w3", lock_one, &m1, 3);
	spawn(2, "w5", lock_one, &m1, 5);
	spawn(4, "w4", lock_one, &m1, 4);
	spawn(5, "w5b", lock_one, &m1, 5);
	rtos_sleep(1);
	rtos_sem_give(&go);
}

TEST(ownership_passes_to_the_most_urgent_waiter)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	rtos_sem_init(&go, 0, 1);
	spawn(3, "observer", handoff_observer, NULL, 9);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "w5:m1 w5b:m1 w4:m1 w3:m1");
}

static void deadlock_a(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sleep(1);
	trace("a:%s", rtos_err_name(rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER)));
	rtos_mutex_unlock(&m2);
	rtos_mutex_unlock(&m1);
}

static void deadlock_b(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m2, RTOS_WAIT_FOREVER);
	rtos_sleep(2); /* a now waits for m2 */
	trace("b:%s", rtos_err_name(rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER)));
	rtos_mutex_unlock(&m2);
}

TEST(a_waiting_cycle_is_refused)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	rtos_mutex_init(&m2, "m2");
	spawn(0, "a", deadlock_a, NULL, 3);
	spawn(1, "b", deadlock_b, NULL, 3);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "b:DEADLOCK a:OK");
}

static void exits_holding(void *arg)
{
	(void)arg;
	rtos_mutex_lock(&m1, RTOS_WAIT_FOREVER);
	rtos_sleep(2);
	trace("exit");
}

TEST(a_task_that_exits_passes_its_mutexes_on)
{
	sim_reset();
	rtos_mutex_init(&m1, "m1");
	spawn(0, "holder", exits_holding, NULL, 3);
	spawn(1, "waiter", lock_one, &m1, 2);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "exit waiter:m1");
	EXPECT(rtos_mutex_owner(&m1) == NULL);
}

int main(void)
{
	test_suite_name = "rtos_mutex";
	RUN(ownership_rules_and_no_recursion);
	RUN(lock_without_waiting_and_from_an_interrupt);
	RUN(inheritance_bounds_priority_inversion);
	RUN(inheritance_from_several_mutexes_restored_step_by_step);
	RUN(unlocking_out_of_order_keeps_the_right_priority);
	RUN(transitive_inheritance_through_a_chain);
	RUN(a_timeout_lowers_the_whole_chain_again);
	RUN(a_waiters_priority_change_reaches_the_owner);
	RUN(ownership_passes_to_the_most_urgent_waiter);
	RUN(a_waiting_cycle_is_refused);
	RUN(a_task_that_exits_passes_its_mutexes_on);
	return test_summary();
}
