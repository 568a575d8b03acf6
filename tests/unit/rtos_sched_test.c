/*
 * Host unit tests of the RTOS scheduler (guests/rtos/kernel/sched.c): priority order,
 * preemption on creation, wake-up and interrupt exit, round-robin time slicing, yield,
 * sleeping, priority changes, task exit and reuse, stack overflow detection and high-water
 * mark.  Runs on the deterministic host port; expected traces are exact.
 */
#include "rtos_host.h"

static void log_and_exit(void *arg)
{
	trace("%s", (const char *)arg);
}

TEST(start_runs_highest_priority_first)
{
	sim_reset();
	spawn(0, "a", log_and_exit, "a3", 3);
	spawn(1, "b", log_and_exit, "b1", 1);
	spawn(2, "c", log_and_exit, "c2", 2);
	spawn(3, "d", log_and_exit, "d3", 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "a3 d3 c2 b1");
	EXPECT_EQ(rtos_task_state(&host_tasks[0]), RTOS_TASK_DEAD);
}

static void creator(void *arg)
{
	(void)arg;
	trace("c1");
	spawn(1, "high", log_and_exit, "high", 5);
	trace("c2");
	spawn(2, "equal", log_and_exit, "equal", 3);
	trace("c3");
	spawn(3, "low", log_and_exit, "low", 1);
	trace("c4");
}

TEST(creating_a_more_urgent_task_preempts)
{
	sim_reset();
	spawn(0, "creator", creator, NULL, 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "c1 high c2 c3 c4 equal low");
}

static void spinner(void *arg)
{
	int i;

	for (i = 0; i < 4; i++) {
		trace("%s%u", (const char *)arg, rtos_tick_count());
		host_port_spin(1);
	}
}

TEST(round_robin_among_equal_priorities)
{
	sim_reset();
	rtos_set_time_slice(2);
	spawn(0, "a", spinner, "a", 4);
	spawn(1, "b", spinner, "b", 4);
	spawn(2, "c", spinner, "c", 4);
	spawn(3, "low", log_and_exit, "low", 1);
	sim_run(40);
	EXPECT_STREQ(trace_buf, "a0 a1 b2 b3 c4 c5 a6 a7 b8 b9 c10 c11 low");
}

TEST(round_robin_does_not_rotate_a_task_alone_at_its_priority)
{
	sim_reset();
	rtos_set_time_slice(1);
	spawn(0, "a", spinner, "a", 4);
	spawn(1, "b", spinner, "b", 2);
	sim_run(40);
	EXPECT_STREQ(trace_buf, "a0 a1 a2 a3 b4 b5 b6 b7");
}

/* A 1 kHz sampler: wakes at every tick, does almost nothing. */
static void sampler(void *arg)
{
	(void)arg;
	for (;;)
		rtos_sleep(1);
}

/* Preempted every tick by a more urgent task, a task's slice still runs out. */
TEST(a_frequent_urgent_task_does_not_stop_round_robin_below_it)
{
	sim_reset();
	rtos_set_time_slice(2);
	spawn(0, "a", spinner, "a", 4);
	spawn(1, "b", spinner, "b", 4);
	spawn(2, "sampler", sampler, NULL, 10);
	sim_run(12);
	EXPECT_STREQ(trace_buf, "a0 a1 b2 b3 a4 a5 b6 b7");
}

static void yielder(void *arg)
{
	int i;

	for (i = 0; i < 3; i++) {
		trace("%s", (const char *)arg);
		rtos_yield();
	}
}

TEST(yield_rotates_equal_priorities)
{
	sim_reset();
	spawn(0, "a", yielder, "a", 3);
	spawn(1, "b", yielder, "b", 3);
	spawn(2, "low", yielder, "low", 2);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "a b a b a b low low low");
}

static void sleeper(void *arg)
{
	rtos_tick_t ticks = (rtos_tick_t)(uintptr_t)arg;

	rtos_sleep(ticks);
	trace("s%u@%u", ticks, rtos_tick_count());
}

TEST(sleepers_wake_in_wake_tick_order)
{
	sim_reset();
	spawn(0, "s5", sleeper, (void *)5, 3);
	spawn(1, "s1", sleeper, (void *)1, 3);
	spawn(2, "s3", sleeper, (void *)3, 2);
	spawn(3, "s3b", sleeper, (void *)3, 4);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "s1@1 s3@3 s3@3 s5@5");
	/* Same tick: the more urgent first (s3b, prio 4, slept after s3 but runs first). */
	EXPECT_EQ(host_tasks[3].switch_count, 2);
}

static void periodic(void *arg)
{
	rtos_tick_t last = rtos_tick_count();
	int i;

	(void)arg;
	for (i = 0; i < 4; i++) {
		host_port_spin(2); /* work that takes 2 of the 5 ticks */
		rtos_sleep_until(&last, 5);
		trace("p%u", rtos_tick_count());
	}
}

TEST(sleep_until_keeps_the_period_without_drift)
{
	sim_reset();
	spawn(0, "periodic", periodic, NULL, 3);
	sim_run(40);
	EXPECT_STREQ(trace_buf, "p5 p10 p15 p20");
}

/* A period of 10 ticks, 5 of work; a tick arrives as rtos_sleep_until starts. */
static void periodic_ticked(void *arg)
{
	rtos_tick_t last = rtos_tick_count();

	(void)arg;
	host_port_spin(5);
	host_port_tick_on_next_check();
	rtos_sleep_until(&last, 10);
	trace("p%u", rtos_tick_count());
}

TEST(sleep_until_a_tick_on_the_way_does_not_delay_the_wakeup)
{
	sim_reset();
	spawn(0, "periodic", periodic_ticked, NULL, 3);
	sim_run(40);
	EXPECT_STREQ(trace_buf, "p10");
}

static struct rtos_sem urgent_go;

static void urgent(void *arg)
{
	(void)arg;
	(void)rtos_sem_take(&urgent_go, RTOS_WAIT_FOREVER);
	trace("u%u", rtos_tick_count());
	host_port_spin(7); /* runs past the periodic task's deadline */
}

static void give_urgent(void *arg)
{
	(void)arg;
	(void)rtos_sem_give(&urgent_go);
}

static void periodic_preempted(void *arg)
{
	rtos_tick_t last = rtos_tick_count();

	(void)arg;
	host_port_spin(5);
	/* That tick (6) wakes a more urgent task, which runs past the deadline (10). */
	host_port_at_tick(6, give_urgent, NULL);
	host_port_tick_on_next_check();
	rtos_sleep_until(&last, 10);
	trace("p%u", rtos_tick_count());
}

TEST(sleep_until_preempted_past_the_deadline_returns_at_once)
{
	sim_reset();
	rtos_sem_init(&urgent_go, 0, 1);
	spawn(0, "periodic", periodic_preempted, NULL, 3);
	spawn(1, "urgent", urgent, NULL, 5);
	sim_run(40);
	EXPECT_STREQ(trace_buf, "u6 p13");
}

static struct rtos_sem wake_sem;

static void isr_give(void *arg)
{
	(void)arg;
	EXPECT(rtos_in_isr());
	EXPECT_EQ(rtos_sem_give(&wake_sem), RTOS_OK);
}

static void waiter(void *arg)
{
	(void)arg;
	EXPECT_EQ(rtos_sem_take(&wake_sem, RTOS_WAIT_FOREVER), RTOS_OK);
	trace("waiter@%u", rtos_tick_count());
}

static void busy(void *arg)
{
	(void)arg;
	trace("busy@%u", rtos_tick_count());
	host_port_spin(6);
	trace("busy-done@%u", rtos_tick_count());
}

TEST(interrupt_wakes_a_more_urgent_task_at_interrupt_exit)
{
	sim_reset();
	rtos_sem_init(&wake_sem, 0, 1);
	spawn(0, "waiter", waiter, NULL, 5);
	spawn(1, "busy", busy, NULL, 2);
	host_port_at_tick(3, isr_give, NULL);
	sim_run(20);
	EXPECT_STREQ(trace_buf, "busy@0 waiter@3 busy-done@6");
}

static void critical_section(void *arg)
{
	uint32_t state;

	(void)arg;
	state = rtos_critical_enter();
	host_port_interrupt(isr_give, NULL); /* masked: stays pending */
	trace("in-critical");
	rtos_critical_exit(state); /* delivered here; the waiter preempts */
	trace("after-critical");
}

TEST(interrupts_raised_in_a_critical_section_are_delivered_on_exit)
{
	sim_reset();
	rtos_sem_init(&wake_sem, 0, 1);
	spawn(0, "waiter", waiter, NULL, 5);
	spawn(1, "crit", critical_section, NULL, 2);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "in-critical waiter@0 after-critical");
}

static void raiser(void *arg)
{
	struct rtos_task *target = arg;

	trace("r1");
	EXPECT_EQ(rtos_task_set_priority(target, 6), RTOS_OK);
	trace("r2");
	EXPECT_EQ(rtos_task_set_priority(rtos_task_self(), 1), RTOS_OK);
	trace("r3");
}

TEST(priority_change_reschedules)
{
	sim_reset();
	spawn(1, "target", log_and_exit, "target", 2);
	spawn(2, "other", log_and_exit, "other", 3);
	spawn(0, "raiser", raiser, &host_tasks[1], 4);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "r1 target r2 other r3");
	EXPECT_EQ(rtos_task_base_priority(&host_tasks[0]), 1);
	EXPECT_EQ(rtos_task_set_priority(&host_tasks[0], 0), RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_task_set_priority(&host_tasks[0], RTOS_PRIO_COUNT), RTOS_ERR_PARAM);
}

static void exits_early(void *arg)
{
	(void)arg;
	trace("x");
	rtos_task_exit();
}

static void reuser(void *arg)
{
	(void)arg;
	/* Slot 1 is alive (blocked): refused; slot 2 has exited: reusable. */
	EXPECT_EQ(rtos_task_create(&host_tasks[1], "again", exits_early, NULL, 3, host_stacks[1],
				   HOST_STACK_SIZE),
		  RTOS_ERR_STATE);
	EXPECT_EQ(rtos_task_create(&host_tasks[2], "again", exits_early, NULL, 5, host_stacks[2],
				   HOST_STACK_SIZE),
		  RTOS_OK);
	trace("done");
}

static void blocks_forever(void *arg)
{
	(void)arg;
	rtos_sleep(RTOS_WAIT_FOREVER);
}

TEST(task_exit_and_reuse)
{
	sim_reset();
	spawn(1, "blocked", blocks_forever, NULL, 6);
	spawn(2, "exits", exits_early, NULL, 5);
	spawn(0, "reuser", reuser, NULL, 4);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "x x done");
	EXPECT_EQ(rtos_task_state(&host_tasks[1]), RTOS_TASK_BLOCKED);
	EXPECT_EQ(rtos_task_state(&host_tasks[2]), RTOS_TASK_DEAD);
}

TEST(create_rejects_bad_parameters)
{
	static struct rtos_task t;
	static uint8_t small[128];

	sim_reset();
	EXPECT_EQ(rtos_task_create(&t, "p0", log_and_exit, "", 0, host_stacks[0], HOST_STACK_SIZE),
		  RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_task_create(&t, "p32", log_and_exit, "", RTOS_PRIO_COUNT, host_stacks[0],
				   HOST_STACK_SIZE),
		  RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_task_create(&t, "small", log_and_exit, "", 3, small, sizeof(small)),
		  RTOS_ERR_PARAM);
	EXPECT_EQ(rtos_task_create(&t, "null", NULL, "", 3, host_stacks[0], HOST_STACK_SIZE),
		  RTOS_ERR_PARAM);
}

static void smasher(void *arg)
{
	(void)arg;
	trace("smash");
	/* What a deep call chain would do: write below the stack's usable area. */
	rtos_task_self()->stack_base[1] = 0;
	rtos_sleep(1); /* switched out: checked */
	trace("never");
}

static void bystander(void *arg)
{
	(void)arg;
	trace("bystander");
}

TEST(stack_overflow_stops_the_task_and_the_rest_go_on)
{
	sim_reset();
	spawn(0, "smasher", smasher, NULL, 3);
	spawn(1, "bystander", bystander, NULL, 3);
	sim_run(5);
	EXPECT_STREQ(trace_buf, "smash bystander");
	EXPECT_EQ(rtos_task_state(&host_tasks[0]), RTOS_TASK_FAULTED);
	EXPECT(!rtos_task_stack_ok(&host_tasks[0]));
	EXPECT_EQ(rtos_overflow_count(), 1);
	EXPECT(!host_port_halted());
}

static void smasher_spinning(void *arg)
{
	(void)arg;
	rtos_task_self()->stack_base[0] = 0;
	host_port_spin(3); /* no switch: the tick's check must catch it */
	trace("never");
}

TEST(stack_overflow_is_caught_at_a_tick_without_a_switch)
{
	sim_reset();
	spawn(0, "smasher", smasher_spinning, NULL, 3);
	spawn(1, "bystander", bystander, NULL, 2);
	sim_run(10);
	EXPECT_STREQ(trace_buf, "bystander");
	EXPECT_EQ(rtos_task_state(&host_tasks[0]), RTOS_TASK_FAULTED);
}

TEST(stack_overflow_can_halt_the_system)
{
	sim_reset();
	rtos_set_overflow_policy(RTOS_OVERFLOW_HALT_SYSTEM);
	spawn(0, "smasher", smasher, NULL, 3);
	spawn(1, "bystander", bystander, NULL, 2);
	sim_run(5);
	EXPECT(host_port_halted());
	EXPECT_STREQ(trace_buf, "smash");
}

static size_t unused_before, unused_after;

static __attribute__((noinline)) void use_stack(size_t bytes)
{
	volatile uint8_t buf[16384];
	size_t i;

	for (i = 0; i < bytes && i < sizeof(buf); i++)
		buf[i] = (uint8_t)i;
}

static void stack_user(void *arg)
{
	(void)arg;
	unused_before = rtos_task_stack_unused(rtos_task_self());
	use_stack(16384);
	unused_after = rtos_task_stack_unused(rtos_task_self());
}

TEST(stack_high_water_mark)
{
	sim_reset();
	spawn(0, "user", stack_user, NULL, 3);
	sim_run(5);
	EXPECT(unused_before > 0);
	EXPECT(unused_before < HOST_STACK_SIZE);
	EXPECT(unused_after + 16384 <= unused_before);
	EXPECT(rtos_task_stack_ok(&host_tasks[0]));
}

TEST(idle_runs_when_nothing_else_can)
{
	sim_reset();
	spawn(0, "sleeper", sleeper, (void *)3, 3);
	sim_run(10);
	EXPECT(rtos_kernel.idle.switch_count >= 2);
	EXPECT_EQ(rtos_tick_count(), 10);
}

int main(void)
{
	test_suite_name = "rtos_sched";
	RUN(start_runs_highest_priority_first);
	RUN(creating_a_more_urgent_task_preempts);
	RUN(round_robin_among_equal_priorities);
	RUN(round_robin_does_not_rotate_a_task_alone_at_its_priority);
	RUN(a_frequent_urgent_task_does_not_stop_round_robin_below_it);
	RUN(yield_rotates_equal_priorities);
	RUN(sleepers_wake_in_wake_tick_order);
	RUN(sleep_until_keeps_the_period_without_drift);
	RUN(sleep_until_a_tick_on_the_way_does_not_delay_the_wakeup);
	RUN(sleep_until_preempted_past_the_deadline_returns_at_once);
	RUN(interrupt_wakes_a_more_urgent_task_at_interrupt_exit);
	RUN(interrupts_raised_in_a_critical_section_are_delivered_on_exit);
	RUN(priority_change_reschedules);
	RUN(task_exit_and_reuse);
	RUN(create_rejects_bad_parameters);
	RUN(stack_overflow_stops_the_task_and_the_rest_go_on);
	RUN(stack_overflow_is_caught_at_a_tick_without_a_switch);
	RUN(stack_overflow_can_halt_the_system);
	RUN(stack_high_water_mark);
	RUN(idle_runs_when_nothing_else_can);
	return test_summary();
}
