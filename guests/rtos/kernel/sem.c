/*
 * Counting semaphores.  A give with waiters hands the unit straight to the most urgent waiter
 * (the count stays 0), so a task that takes without waiting cannot overtake it.
 */
#include "kernel.h"

enum rtos_err rtos_sem_init(struct rtos_sem *sem, uint32_t initial, uint32_t max)
{
	if (!sem || max == 0 || initial > max)
		return RTOS_ERR_PARAM;
	list_init(&sem->waiters);
	sem->count = initial;
	sem->max = max;
	return RTOS_OK;
}

enum rtos_err rtos_sem_take(struct rtos_sem *sem, rtos_tick_t timeout)
{
	enum rtos_err err;
	uint32_t state = port_irq_save();

	if (sem->count > 0) {
		sem->count--;
		port_irq_restore(state);
		return RTOS_OK;
	}
	if (timeout == RTOS_NO_WAIT) {
		port_irq_restore(state);
		return RTOS_ERR_TIMEOUT;
	}
	if (port_in_isr() || !rtos_kernel.started) {
		port_irq_restore(state);
		return port_in_isr() ? RTOS_ERR_ISR : RTOS_ERR_STATE;
	}
	sched_wait(rtos_kernel.current, &sem->waiters, RTOS_WAIT_SEM, sem, timeout);
	err = sched_block();
	port_irq_restore(state);
	return err;
}

enum rtos_err rtos_sem_give(struct rtos_sem *sem)
{
	struct rtos_task *waiter;
	enum rtos_err err = RTOS_OK;
	uint32_t state = port_irq_save();

	waiter = waitq_first(&sem->waiters);
	if (waiter) {
		sched_wake(waiter, RTOS_OK);
		sched_reschedule();
	} else if (sem->count < sem->max) {
		sem->count++;
	} else {
		err = RTOS_ERR_OVERFLOW;
	}
	port_irq_restore(state);
	return err;
}

uint32_t rtos_sem_count(const struct rtos_sem *sem)
{
	return sem->count;
}
