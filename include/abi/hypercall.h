/*
 * Tessera's hypercall ABI (docs/hypercalls.md): SMCCC fast calls through
 * HVC #0 (or a trapped SMC) in the vendor-specific hypervisor service range.
 * Guests compile against this header; the hypervisor answers by it.
 * Definitions only; usable from C and assembly.
 */
#ifndef TESSERA_ABI_HYPERCALL_H
#define TESSERA_ABI_HYPERCALL_H

#include "tessera/bits.h"

/* Function IDs: 0x86000000 | n, n < TESSERA_CALL_COUNT. */
#define TESSERA_FID(n) (0x86000000U | (n))
#define TESSERA_FID_VERSION TESSERA_FID(0)
#define TESSERA_FID_PARTITION_ID TESSERA_FID(1) /* r0 = id, r1 = vCPU, r2 = vCPU count */
#define TESSERA_FID_PARTITION_NAME TESSERA_FID(2) /* r1 = buffer, r2 = size */
#define TESSERA_FID_CONSOLE_WRITE TESSERA_FID(3) /* r1 = buffer, r2 = length */
#define TESSERA_FID_CHANNEL_INFO TESSERA_FID(4) /* r1 = index */
#define TESSERA_FID_DOORBELL_RING TESSERA_FID(5) /* r1 = index */
#define TESSERA_FID_YIELD TESSERA_FID(6)
#define TESSERA_FID_WATCHDOG_KICK TESSERA_FID(7) /* r0 = the timeout in ms */
#define TESSERA_FID_PARTITION_STATE TESSERA_FID(8) /* r1 = partition id (a managed one) */
#define TESSERA_FID_PARTITION_CONTROL TESSERA_FID(9) /* r1 = partition id, r2 = operation */
#define TESSERA_CALL_COUNT 10U

/*
 * The calling vCPU's physical CPU's counters (hyp/core/stats.c), for benchmarks and tests:
 * r0 = hypervisor entries, r1 = cycles in Hyp mode (instructions under QEMU -icount),
 * r2 = kicks (cross-CPU requests) received, r3 = interrupts injected; all since boot, modulo
 * 2^32.  A partition's CPUs are its own: it learns only what happened on them.
 */
#define TESSERA_FID_CPU_STATS TESSERA_FID(0x100)

/* The vendor hypervisor service's standard queries (DEN 0028 6.2). */
#define TESSERA_FID_CALL_UID 0x8600ff01U
#define TESSERA_FID_REVISION 0x8600ff03U

/* VERSION returns major << 16 | minor. */
#define TESSERA_ABI_MAJOR 0
#define TESSERA_ABI_MINOR 2 /* 0.2: WATCHDOG_KICK, PARTITION_STATE, PARTITION_CONTROL */

/* Tessera's UID, as returned by the Call UID query in r0-r3. */
#define TESSERA_UID0 0x7e55e7a0U
#define TESSERA_UID1 0x4d1c11f0U
#define TESSERA_UID2 0x9a3c5b12U
#define TESSERA_UID3 0x00c0ffeeU

/* CONSOLE_WRITE takes at most this many bytes a call. */
#define TESSERA_CONSOLE_WRITE_MAX 4096U

/* CHANNEL_INFO: r1 = IPA, r2 = size, r3 = peer | access << 8 | doorbell INTID << 16. */
#define TESSERA_CHANNEL_ACCESS_READ BIT(0)
#define TESSERA_CHANNEL_ACCESS_WRITE BIT(1)
#define TESSERA_CHANNEL_PEER(r3) ((r3)&0xffU)
#define TESSERA_CHANNEL_ACCESS(r3) (((r3) >> 8) & 0xffU)
#define TESSERA_CHANNEL_INTID(r3) ((r3) >> 16)
#define TESSERA_CHANNEL_R3(peer, access, intid) ((peer) | ((access) << 8) | ((intid) << 16))

/* PARTITION_STATE: r0 = state | restarts left << 8, r1 = starts, r2 = faults, r3 = uptime ms. */
#define TESSERA_STATE_STOPPED 0
#define TESSERA_STATE_RUNNING 1
#define TESSERA_STATE_HALTED                                                                       \
	2 /* past its restart bound: only a manager or the operator starts it */
#define TESSERA_STATE_RESTARTING 3 /* or starting */
#define TESSERA_STATE_STOPPING 4 /* its vCPUs are parking */
#define TESSERA_STATE(r0) ((r0)&0xffU)
#define TESSERA_RESTARTS_LEFT(r0) ((r0) >> 8)

/* PARTITION_CONTROL operations (r2). */
#define TESSERA_PARTITION_STOP 0
#define TESSERA_PARTITION_START 1
#define TESSERA_PARTITION_RESTART 2

/* r0 of every call: >= 0 is success (a value or 0), negative is one of these. */
#define TESSERA_OK 0
#define TESSERA_NOT_SUPPORTED (-1)
#define TESSERA_INVALID_PARAMETER (-2)
#define TESSERA_DENIED (-3)
#define TESSERA_BAD_ADDRESS (-4)
#define TESSERA_BUSY (-5)

#endif /* TESSERA_ABI_HYPERCALL_H */
