/*
 * Message queues: a ring of fixed-size items copied in and out.
 *
 * Hand-off keeps strict FIFO order and needs no retry loop: a sender that finds a receiver
 * waiting (the queue is then empty) copies its item straight into the receiver's buffer; a
 * receiver that takes an item from a full queue moves the first waiting sender's item into
 * the freed slot.  Items are copied with interrupts masked: keep them small.
 */
#include <string.h>

#include "kernel.h"

static uint8_t *slot(const struct rtos_queue *queue, uint32_t index)
{
	return queue->buf + (size_t)(index % queue->capacity) * queue->item_size;
}

enum rtos_err rtos_queue_init(struct rtos_queue *queue, void *buf, size_t item_size,
			      uint32_t capacity)
{
	if (!queue || !buf || item_size == 0 || capacity == 0)
		return RTOS_ERR_PARAM;
	list_init(&queue->send_waiters);
	list_init(&queue->recv_waiters);
	queue->buf = buf;
	queue->item_size = item_size;
	queue->capacity = capacity;
	queue->head = 0;
	queue->count = 0;
	return RTOS_OK;
}

/* Promises: RTOS_ERR_TIMEOUT for no wait, else whether this context may block (masked). */
static enum rtos_err may_block(rtos_tick_t timeout)
{
	if (timeout == RTOS_NO_WAIT)
		return RTOS_ERR_TIMEOUT;
	if (port_in_isr())
		return RTOS_ERR_ISR;
	if (!rtos_kernel.started)
		return RTOS_ERR_STATE;
	return RTOS_OK;
}

enum rtos_err rtos_queue_send(struct rtos_queue *queue, const void *item, rtos_tick_t timeout)
{
	struct rtos_task *receiver;
	enum rtos_err err;
	uint32_t state = port_irq_save();

	receiver = waitq_first(&queue->recv_waiters);
	if (receiver) {
		memcpy(receiver->wait_buf, item, queue->item_size);
		sched_wake(receiver, RTOS_OK);
		sched_reschedule();
		err = RTOS_OK;
	} else if (queue->count < queue->capacity) {
		memcpy(slot(queue, queue->head + queue->count), item, queue->item_size);
		queue->count++;
		err = RTOS_OK;
	} else if ((err = may_block(timeout)) == RTOS_OK) {
		struct rtos_task *cur = rtos_kernel.current;

		cur->wait_buf = (void *)(uintptr_t)item;
		sched_wait(cur, &queue->send_waiters, RTOS_WAIT_QUEUE_SEND, queue, timeout);
		err = sched_block();
	}
	port_irq_restore(state);
	return err;
}

enum rtos_err rtos_queue_receive(struct rtos_queue *queue, void *item, rtos_tick_t timeout)
{
	enum rtos_err err;
	uint32_t state = port_irq_save();

	if (queue->count > 0) {
		struct rtos_task *sender;

		memcpy(item, slot(queue, queue->head), queue->item_size);
		queue->head = (queue->head + 1U) % queue->capacity;
		queue->count--;
		sender = waitq_first(&queue->send_waiters);
		if (sender) {
			memcpy(slot(queue, queue->head + queue->count), sender->wait_buf,
			       queue->item_size);
			queue->count++;
			sched_wake(sender, RTOS_OK);
			sched_reschedule();
		}
		err = RTOS_OK;
	} else if ((err = may_block(timeout)) == RTOS_OK) {
		struct rtos_task *cur = rtos_kernel.current;

		cur->wait_buf = item;
		sched_wait(cur, &queue->recv_waiters, RTOS_WAIT_QUEUE_RECV, queue, timeout);
		err = sched_block();
	}
	port_irq_restore(state);
	return err;
}

uint32_t rtos_queue_count(const struct rtos_queue *queue)
{
	return queue->count;
}
