/*
 * The timer list: sleeps and timeouts ordered by wake-up tick.
 *
 * Ticks are 32-bit and wrap (after 49 days at 1 kHz); order is decided by the signed
 * difference, which is right as long as no timeout exceeds RTOS_TIMEOUT_MAX (2^31 - 1 ticks).
 * Insertion is O(n) from the front, expiry O(1) per timer; timers of the same tick expire in
 * the order they were armed.
 */
#include "kernel.h"

bool tick_before(rtos_tick_t a, rtos_tick_t b)
{
	return (int32_t)(a - b) < 0;
}

void timer_insert(struct rtos_list *list, struct rtos_timer *timer, rtos_tick_t wake)
{
	struct rtos_list *pos;

	if (timer->armed)
		timer_remove(timer);
	timer->wake = wake;
	/* Before the first timer that wakes strictly later: FIFO among equal ticks. */
	for (pos = list->next; pos != list; pos = pos->next) {
		if (tick_before(wake, CONTAINER_OF(pos, struct rtos_timer, link)->wake))
			break;
	}
	list_insert_before(pos, &timer->link);
	timer->armed = true;
}

void timer_remove(struct rtos_timer *timer)
{
	if (!timer->armed)
		return;
	list_remove(&timer->link);
	timer->armed = false;
}

struct rtos_timer *timer_first(const struct rtos_list *list)
{
	return list_empty(list) ? NULL : CONTAINER_OF(list->next, struct rtos_timer, link);
}

struct rtos_timer *timer_pop_expired(struct rtos_list *list, rtos_tick_t now)
{
	struct rtos_timer *first = timer_first(list);

	if (!first || tick_before(now, first->wake))
		return NULL;
	timer_remove(first);
	return first;
}
