/*
 * Guest memory by guest virtual address (guest_mem.c): translated through
 * the guest's stage 1 and the partition's stage 2, and accepted only if it
 * lies in RAM the partition owns with the rights asked for; and the search
 * of a partition's regions that decides it (PSCI CPU_ON's entry point too).
 */
#ifndef TESSERA_HYP_GUEST_MEM_H
#define TESSERA_HYP_GUEST_MEM_H

#include "tessera/types.h"

struct vcpu;
struct cfg_partition;

/*
 * Does a region of cfg hold addr (a PA, or with GUEST_REGION_BY_IPA an IPA), of a kind and
 * with an access (CFG_ACCESS_*) that 'need' names?  'need' is the access bits, a
 * GUEST_REGION_KIND() for each kind that will do, and GUEST_REGION_BY_IPA or not.
 */
#define GUEST_REGION_KIND(kind) (1U << (8 + (kind)))
#define GUEST_REGION_BY_IPA (1U << 31)
bool guest_region_holds(const struct cfg_partition *cfg, u32 need, u64 addr);

/*
 * Copy [va, va + len) from the guest to buf, or with 'write' from buf to the guest; with no
 * buf, only check it.  A refused read may leave part of the guest's bytes in buf; a refused
 * write writes none.
 */
bool guest_copy(struct vcpu *v, u32 va, void *buf, u32 len, bool write);

#endif /* TESSERA_HYP_GUEST_MEM_H */
