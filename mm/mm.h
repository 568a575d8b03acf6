/*
 * The mm/ interface: LPAE tables (pt.h), per-partition stage-2 tables, VMIDs
 * (vmid.h) and the TLB and cache maintenance they need.
 */
#ifndef TESSERA_MM_H
#define TESSERA_MM_H

#include "abi/config.h"
#include "mm/pt.h"
#include "mm/vmid.h"

/*
 * Build a partition's stage-2 tables from its configured regions with tables
 * from 'alloc'.  Every region in cfg->regions is mapped with the attributes
 * of its kind and access; nothing else is.
 */
enum pt_err s2_build(struct pt *pt, struct pt_alloc *alloc, const struct cfg_partition *cfg);

/* The static stage-2 table pool, sized by the config compiler (CFG_S2_TABLE_COUNT). */
struct pt_alloc *s2_pool(void);
u32 s2_pool_used(void);
u32 s2_pool_size(void);

/* VTCR for every partition: 32-bit IPA space starting at level 1 (ARM ARM B4.1.159). */
u32 s2_vtcr(void);

/* VTTBR value for a root table and a VMID (B4.1.160). */
static inline u64 s2_vttbr(u64 root_pa, u32 vmid)
{
	return root_pa | ((u64)vmid << 48);
}

/* Physical address of the Hyp stage-1 root table (HTTBR), set by boot/mmu.c. */
extern u64 hyp_pt_root_pa;

/* The Hyp stage-1 tables, built by boot/mmu.c (identity: RAM is mapped 1:1, or the MMU is off). */
extern struct pt hyp_pt;

/*
 * [pa, pa + size), mapped on its own as Normal non-cacheable in the Hyp tables, becomes
 * Normal write-back (pt_hyp_attrs: writable, never executable) on every CPU: a partition's
 * cleared RAM after its first load (hyp/core/partition.c).
 */
void hyp_map_cacheable(u64 pa, u64 size);

/* Cache maintenance by VA to the Point of Coherency over [start, end) (cache.S, B2.2.6). */
void dcache_clean_inval_range(uintptr_t start, uintptr_t end);
void dcache_inval_range(uintptr_t start, uintptr_t end);
/* Zero [start, start + bytes) with the widest stores the core has; bytes: a multiple of 64. */
void mem_zero(void *start, size_t bytes);
/* The same with the VFP registers, 128 bytes a store: only where they are nobody's (cache.S). */
void mem_zero_vfp(void *start, size_t bytes);
/* FPEXC.EN set, d0-d31 and FPSCR zero (cache.S; vfp_reset builds on it). */
void vfp_zero(void);

/* Invalidate this CPU's stage-1&2 guest TLB entries, I-cache and branch predictor. */
void tlb_flush_guest_local(void);

#endif /* TESSERA_MM_H */
