/*
 * Guest memory by guest virtual address (guest_mem.c): translated through
 * the guest's stage 1 and the partition's stage 2, and accepted only if it
 * lies in RAM the partition owns with the rights asked for.
 */
#ifndef TESSERA_HYP_GUEST_MEM_H
#define TESSERA_HYP_GUEST_MEM_H

#include "tessera/types.h"

struct vcpu;

/* A refused copy_from may leave part of the guest's bytes in dst; a refused copy_to writes none. */
bool guest_copy_from(struct vcpu *v, void *dst, u32 va, u32 len);
bool guest_copy_to(struct vcpu *v, u32 va, const void *src, u32 len);
bool guest_range_ok(struct vcpu *v, u32 va, u32 len, bool write);

#endif /* TESSERA_HYP_GUEST_MEM_H */
