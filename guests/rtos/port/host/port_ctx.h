/*
 * Host port context: each task is a ucontext with its own stack, and carries the simulated
 * interrupt mask it had when it was switched out.
 */
#ifndef RTOS_PORT_HOST_CTX_H
#define RTOS_PORT_HOST_CTX_H

#include <stdbool.h>
#include <ucontext.h>

#define PORT_IDLE_STACK_SIZE (64U * 1024U)

struct port_ctx {
	ucontext_t uc;
	bool irq_masked; /* the simulated mask while switched out */
};

#endif /* RTOS_PORT_HOST_CTX_H */
