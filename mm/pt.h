/*
 * LPAE translation table builder, shared by the hypervisor's own stage 1,
 * every partition's stage 2, the config compiler (which counts the tables a
 * configuration needs with this very code) and the host tests.
 *
 * It has no hardware access: tables come from a caller-supplied allocator,
 * and the caller does any TLB or cache maintenance.
 */
#ifndef TESSERA_PT_H
#define TESSERA_PT_H

#include "tessera/types.h"
#include "arch/lpae.h"

typedef u64 pte_t;

struct pt_alloc {
	/* Returns a zeroed, 4 KiB aligned table and its physical address, or NULL. */
	pte_t *(*alloc)(struct pt_alloc *self, u64 *pa);
	/* Returns the table at physical address 'pa' as the builder may access it. */
	pte_t *(*table)(struct pt_alloc *self, u64 pa);
};

struct pt {
	pte_t *root; /* LPAE_ROOT_ENTRIES entries at level 1 */
	u64 root_pa;
	struct pt_alloc *alloc;
	u32 table_count; /* tables allocated, root included */
};

enum pt_err {
	PT_OK = 0,
	PT_ERR_ALIGN, /* address or size not 4 KiB aligned */
	PT_ERR_RANGE, /* beyond the 32-bit input or 40-bit output address space */
	PT_ERR_OVERLAP, /* something is already mapped there */
	PT_ERR_NOMEM, /* the allocator ran out */
};

/* pt_alloc.table for tables at their own physical addresses (RAM mapped 1:1, or no MMU). */
pte_t *pt_identity_table(struct pt_alloc *self, u64 pa);

/*
 * A static pool of 'count' zeroed tables at their own physical addresses, handed out in
 * order: the hypervisor's two allocators (its stage 1, boot/mmu.c; the stage-2 tables,
 * mm/stage2.c).  PT_POOL(tables) initialises one.
 */
struct pt_pool {
	struct pt_alloc ops; /* first: pt_pool_alloc finds the pool from it */
	pte_t (*tables)[LPAE_ENTRIES];
	u32 count, used;
};

pte_t *pt_pool_alloc(struct pt_alloc *self, u64 *pa);

#define PT_POOL(t)                                                                                 \
	{                                                                                          \
		{ pt_pool_alloc, pt_identity_table }, (t), ARRAY_SIZE(t), 0                        \
	}

/* Start an empty table tree: allocates the root. */
enum pt_err pt_init(struct pt *pt, struct pt_alloc *alloc);

/*
 * Map [va, va + size) to [pa, pa + size) with 'attrs' (lower and upper
 * attribute bits of a block or page descriptor, AF included), using the
 * largest blocks (1 GiB, 2 MiB) that the alignment of va, pa and size allows.
 * Refuses to replace an existing mapping.
 */
enum pt_err pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 attrs);

/* Result of a walk: the descriptor that maps va, and at which level. */
struct pt_walk {
	bool mapped;
	u32 level; /* 1, 2 or 3 */
	u64 pa; /* output address of va */
	u64 attrs; /* attribute bits of the descriptor */
	u64 span; /* bytes the descriptor maps */
};

/* Look up va (an independent reading path used by tests and by IPA->PA). */
struct pt_walk pt_lookup(const struct pt *pt, u64 va);

/*
 * Rewrite every block or page descriptor that maps [va, va + size) as (e & ~clear) | set,
 * for a break-before-make change of attributes (ARM ARM B3.10.1): with clear = LPAE_VALID
 * first, then the new attributes with LPAE_VALID set; a descriptor made invalid is still
 * found.  Each must lie wholly inside the range (map such a range with a pt_map() of its
 * own); stops at the first that does not, or at a hole.  Returns the descriptors changed.
 * 32-bit addresses and size: the hypervisor's own map, of RAM below 4 GiB.
 */
u32 pt_update(struct pt *pt, u32 va, u32 size, u64 clear, u64 set);

/* Stage-2 attribute bits for a region (kind and access as in include/abi/config.h). */
u64 pt_s2_attrs(u32 kind, u32 access);

/*
 * Stage-1 Hyp-regime attribute bits: normal or device, writable, executable (never for a
 * device).  The macro is a constant expression, for tables.
 */
#define PT_HYP_ATTRS(normal, writable, executable)                                                 \
	(LPAE_AF | LPAE_AP_SBO |                                                                   \
	 ((normal) ? LPAE_ATTRINDX(HMAIR_IDX_NORMAL) | LPAE_SH_INNER :                             \
		     LPAE_ATTRINDX(HMAIR_IDX_DEVICE)) |                                            \
	 ((writable) ? 0 : LPAE_AP_RO) | ((executable) && (normal) ? 0 : LPAE_XN))
u64 pt_hyp_attrs(bool normal, bool writable, bool executable);

#endif /* TESSERA_PT_H */
