/*
 * Host unit tests of the RTOS timer list (guests/rtos/kernel/timerlist.c) and of time in the
 * kernel: ordering by wake tick (randomised against a sorted oracle, seed printed), FIFO among
 * equal ticks, the 32-bit tick wrap, removal and re-arming, expiry, millisecond conversion,
 * and sleeps across the wrap.
 */
#include "rtos_host.h"

#define TIMER_COUNT 200

static struct rtos_timer timers[TIMER_COUNT];
static struct rtos_list list;

static int cmp_tick(const void *a, const void *b)
{
	rtos_tick_t x = *(const rtos_tick_t *)a, y = *(const rtos_tick_t *)b;

	return x < y ? -1 : x > y;
}

TEST(random_insertions_come_out_sorted)
{
	unsigned seed = test_seed();
	rtos_tick_t want[TIMER_COUNT];
	int round, i;

	srand(seed);
	for (round = 0; round < 20; round++) {
		/* Base near the wrap in some rounds: order must follow signed distance. */
		rtos_tick_t base = round % 2 ? (rtos_tick_t)rand() : UINT32_MAX - 500U;

		list_init(&list);
		memset(timers, 0, sizeof(timers));
		for (i = 0; i < TIMER_COUNT; i++) {
			rtos_tick_t delta = (rtos_tick_t)(rand() % 1000);

			want[i] = delta;
			timer_insert(&list, &timers[i], base + delta);
		}
		qsort(want, TIMER_COUNT, sizeof(want[0]), cmp_tick);
		for (i = 0; i < TIMER_COUNT; i++) {
			struct rtos_timer *t = timer_pop_expired(&list, base + 1000U);

			EXPECT(t != NULL);
			if (!t)
				break;
			EXPECT_EQ(t->wake - base, want[i]);
			EXPECT(!t->armed);
		}
		EXPECT(list_empty(&list));
	}
}

TEST(equal_ticks_expire_in_arming_order)
{
	int i;

	list_init(&list);
	memset(timers, 0, sizeof(timers));
	timer_insert(&list, &timers[0], 10);
	timer_insert(&list, &timers[1], 5);
	timer_insert(&list, &timers[2], 10);
	timer_insert(&list, &timers[3], 5);
	timer_insert(&list, &timers[4], 10);
	EXPECT(timer_pop_expired(&list, 4) == NULL);
	EXPECT(timer_pop_expired(&list, 5) == &timers[1]);
	EXPECT(timer_pop_expired(&list, 5) == &timers[3]);
	EXPECT(timer_pop_expired(&list, 5) == NULL);
	for (i = 0; i < 5; i += 2)
		EXPECT(timer_pop_expired(&list, 12) == &timers[i]);
	EXPECT(list_empty(&list));
}

TEST(order_across_the_tick_wrap)
{
	list_init(&list);
	memset(timers, 0, sizeof(timers));
	timer_insert(&list, &timers[0], 0x10); /* after the wrap */
	timer_insert(&list, &timers[1], 0xfffffff0); /* before it */
	timer_insert(&list, &timers[2], 0xffffffff);
	EXPECT(tick_before(0xfffffff0, 0x10));
	EXPECT(!tick_before(0x10, 0xfffffff0));
	EXPECT(timer_first(&list) == &timers[1]);
	EXPECT(timer_pop_expired(&list, 0xfffffff5) == &timers[1]);
	EXPECT(timer_pop_expired(&list, 0xfffffff5) == NULL);
	EXPECT(timer_pop_expired(&list, 0) == &timers[2]);
	EXPECT(timer_pop_expired(&list, 0) == NULL);
	EXPECT(timer_pop_expired(&list, 0x10) == &timers[0]);
}

TEST(remove_and_rearm)
{
	list_init(&list);
	memset(timers, 0, sizeof(timers));
	timer_insert(&list, &timers[0], 1);
	timer_insert(&list, &timers[1], 2);
	timer_insert(&list, &timers[2], 3);
	timer_remove(&timers[1]);
	EXPECT(!timers[1].armed);
	timer_remove(&timers[1]); /* removing twice is harmless */
	timer_insert(&list, &timers[0], 9); /* re-arming moves it */
	EXPECT(timer_pop_expired(&list, 10) == &timers[2]);
	EXPECT(timer_pop_expired(&list, 10) == &timers[0]);
	EXPECT(timer_pop_expired(&list, 10) == NULL);
}

TEST(milliseconds_round_up_to_ticks)
{
	EXPECT_EQ(rtos_ms_to_ticks(0), 0);
	EXPECT_EQ(rtos_ms_to_ticks(1), (RTOS_TICK_HZ + 999U) / 1000U);
	EXPECT_EQ(rtos_ms_to_ticks(1000), RTOS_TICK_HZ);
	EXPECT_EQ(rtos_ms_to_ticks(UINT32_MAX), RTOS_TIMEOUT_MAX);
}

static void sleeper(void *arg)
{
	rtos_tick_t start = rtos_tick_count();

	rtos_sleep((rtos_tick_t)(uintptr_t)arg);
	trace("%s:%u@%#x", rtos_task_name(rtos_task_self()), rtos_tick_count() - start,
	      rtos_tick_count());
}

TEST(sleeps_across_the_tick_wrap)
{
	sim_reset();
	rtos_kernel.ticks = 0xfffffff0U;
	spawn(0, "long", sleeper, (void *)0x20, 3);
	spawn(1, "short", sleeper, (void *)0x8, 3);
	sim_run(0x30);
	EXPECT_STREQ(trace_buf, "short:8@0xfffffff8 long:32@0x10");
}

static void sleeper_ms(void *arg)
{
	rtos_tick_t start = rtos_tick_count();

	rtos_sleep_ms((uint32_t)(uintptr_t)arg);
	trace("%u", rtos_tick_count() - start);
}

TEST(sleep_ms_never_sleeps_less_than_asked)
{
	sim_reset();
	spawn(0, "ms", sleeper_ms, (void *)10, 3);
	sim_run(100);
	/* 10 ms = 10 ticks at 1 kHz, plus the partial first tick. */
	EXPECT_STREQ(trace_buf, "11");
}

int main(void)
{
	test_suite_name = "rtos_timer";
	RUN(random_insertions_come_out_sorted);
	RUN(equal_ticks_expire_in_arming_order);
	RUN(order_across_the_tick_wrap);
	RUN(remove_and_rearm);
	RUN(milliseconds_round_up_to_ticks);
	RUN(sleeps_across_the_tick_wrap);
	RUN(sleep_ms_never_sleeps_less_than_asked);
	return test_summary();
}
