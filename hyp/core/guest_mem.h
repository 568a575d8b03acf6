/*
 * Guest memory by guest virtual address (guest_mem.c): translated through
 * the guest's stage 1 and the partition's stage 2, and accepted only if it
 * lies in RAM the partition owns with the rights asked for.
 */
#ifndef TESSERA_HYP_GUEST_MEM_H
#define TESSERA_HYP_GUEST_MEM_H

#include "tessera/types.h"

struct vcpu;

/*
 * Copy [va, va + len) from the guest to buf, or with 'write' from buf to the guest; with no
 * buf, only check it.  A refused read may leave part of the guest's bytes in buf; a refused
 * write writes none.
 */
bool guest_copy(struct vcpu *v, u32 va, void *buf, u32 len, bool write);

#endif /* TESSERA_HYP_GUEST_MEM_H */
