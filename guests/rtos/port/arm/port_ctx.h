/*
 * ARMv7-A port context: a switched-out task's state is a struct exc_frame (guests/lib/guest.h)
 * on its own stack; the task keeps only the stack pointer.
 */
#ifndef RTOS_PORT_ARM_CTX_H
#define RTOS_PORT_ARM_CTX_H

#include <stdint.h>

#define PORT_IDLE_STACK_SIZE 1024U

struct port_ctx {
	uint32_t *sp;
};

#endif /* RTOS_PORT_ARM_CTX_H */
