/*
 * Bit-field and small arithmetic helpers for guest software.
 *
 * Host-safe (no hardware access): included by the modules of guests/lib that the host unit
 * tests build with plain gcc.  Always unsigned: BIT(31) is well defined, 1 << 31 is not.
 */
#ifndef GUEST_BITS_H
#define GUEST_BITS_H

#include "tessera/bits.h" /* BIT, GENMASK: the hypervisor's, one copy */

#ifndef __ASSEMBLER__
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))
#define UNUSED(x) ((void)(x))
#define ALIGN_UP(x, a) (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#endif

#endif /* GUEST_BITS_H */
