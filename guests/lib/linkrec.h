/*
 * The records of the linux-rtos demo (configs/qemu-virt/linux-rtos.dts): Linux's program
 * guests/linux/tchan.c and the RTOS's link task (guests/rtos/app/link.c) exchange them over
 * one channel, each direction a ring of its own (channel.h):
 *
 *   lower half of the region   the ring Linux writes: requests
 *   upper half                 the ring the RTOS writes: one answer per request
 *
 * An answer carries the request's number and value + 1.  'check' covers the other two words,
 * so a record damaged on the way (or read torn) is counted corrupt, not taken for another.
 * Host-safe: no hardware access.
 */
#ifndef GUEST_LINKREC_H
#define GUEST_LINKREC_H

#include <stdint.h>

struct link_record {
	uint32_t number; /* the request's: 0, 1, 2, ... for each run of the program */
	uint32_t value;
	uint32_t check;
};

#define LINK_SLOT_SIZE 24U /* CHANNEL_SLOT_HEADER + sizeof(struct link_record) */

static inline uint32_t link_check(uint32_t number, uint32_t value)
{
	return (number * 2654435761U) ^ value ^ 0x4c494e4bU; /* "LINK" */
}

#endif /* GUEST_LINKREC_H */
