/*
 * LPAE translation table builder (ARM ARM B3.6).
 *
 * Tables are only ever added, never freed: Tessera's stage-2 and stage-1
 * tables are built once at boot from the static configuration.  A failed
 * pt_map() may leave part of the range mapped; every caller treats failure as
 * fatal (the config compiler has already refused overlapping layouts).
 */
#include "mm/pt.h"
#include "abi/config.h"

#define IA_LIMIT (1ULL << 32) /* T0SZ = 0: 32-bit input addresses */
#define OA_LIMIT (1ULL << 40) /* LPAE: 40-bit output addresses */

static u32 level_shift(u32 level)
{
	return level == 1 ? LPAE_L1_SHIFT : level == 2 ? LPAE_L2_SHIFT : LPAE_L3_SHIFT;
}

/* Input addresses are 32-bit (IA_LIMIT): pt_map and pt_lookup refuse anything above. */
static u32 level_index(u32 level, u32 va)
{
	u32 idx = va >> level_shift(level);

	return level == 1 ? idx & (LPAE_ROOT_ENTRIES - 1) : idx & (LPAE_ENTRIES - 1);
}

/* The one call of the allocator (noinline: tests/gates/stack.txt names it). */
static __attribute__((noinline)) pte_t *new_table(struct pt *pt, u64 *pa)
{
	pte_t *t = pt->alloc->alloc(pt->alloc, pa);

	if (t)
		pt->table_count++;
	return t;
}

pte_t *pt_identity_table(struct pt_alloc *self, u64 pa)
{
	UNUSED(self);
	return (pte_t *)(uintptr_t)pa;
}

enum pt_err pt_init(struct pt *pt, struct pt_alloc *alloc)
{
	pt->alloc = alloc;
	pt->table_count = 0;
	pt->root = new_table(pt, &pt->root_pa);
	return pt->root ? PT_OK : PT_ERR_NOMEM;
}

static enum pt_err map_level(struct pt *pt, pte_t *table, u32 level, u32 va, u64 pa, u64 size,
			     u64 attrs)
{
	u32 span = 1U << level_shift(level);

	while (size) {
		/* To the end of va's span (at most 1 GiB), or of the range (up to 4 GiB). */
		u32 chunk = (u32)MIN(size, (u64)(span - (va & (span - 1))));
		pte_t *entry = &table[level_index(level, va)];

		if (level == 3 || (chunk == span && IS_ALIGNED(pa, span))) {
			/* A page, or a block: chunk == span implies va is aligned too. */
			if (*entry & LPAE_VALID)
				return PT_ERR_OVERLAP;
			*entry = pa | attrs | LPAE_VALID | (level == 3 ? LPAE_TYPE_PAGE : 0);
		} else {
			pte_t *next;
			u64 next_pa;
			enum pt_err err;

			if (!(*entry & LPAE_VALID)) {
				next = new_table(pt, &next_pa);
				if (!next)
					return PT_ERR_NOMEM;
				*entry = next_pa | LPAE_VALID | LPAE_TYPE_TABLE;
			} else if (!(*entry & LPAE_TYPE_TABLE)) {
				return PT_ERR_OVERLAP; /* a block is already there */
			} else {
				next = pt->alloc->table(pt->alloc, *entry & LPAE_ADDR_MASK);
			}
			err = map_level(pt, next, level + 1, va, pa, chunk, attrs);
			if (err != PT_OK)
				return err;
		}
		va += chunk;
		pa += chunk;
		size -= chunk;
	}
	return PT_OK;
}

enum pt_err pt_map(struct pt *pt, u64 va, u64 pa, u64 size, u64 attrs)
{
	if (!IS_ALIGNED(va | pa | size, LPAE_PAGE_SIZE))
		return PT_ERR_ALIGN;
	if (size == 0 || va >= IA_LIMIT || size > IA_LIMIT - va || pa >= OA_LIMIT ||
	    size > OA_LIMIT - pa)
		return PT_ERR_RANGE;
	return map_level(pt, pt->root, 1, (u32)va, pa, size, attrs & LPAE_ATTR_MASK);
}

struct pt_walk pt_lookup(const struct pt *pt, u64 va)
{
	struct pt_walk w = { .mapped = false };
	const pte_t *table = pt->root;
	u32 level;

	if (va >= IA_LIMIT)
		return w;
	for (level = 1; level <= 3; level++) {
		pte_t e = table[level_index(level, (u32)va)];
		u64 span = 1ULL << level_shift(level);

		if (!(e & LPAE_VALID))
			return w;
		if (level < 3 && (e & LPAE_TYPE_TABLE)) {
			table = pt->alloc->table(pt->alloc, e & LPAE_ADDR_MASK);
			continue;
		}
		if (level == 3 && !(e & LPAE_TYPE_PAGE))
			return w; /* reserved encoding: faults like an invalid entry */
		w.mapped = true;
		w.level = level;
		w.span = span;
		w.attrs = e & LPAE_ATTR_MASK;
		w.pa = (e & LPAE_ADDR_MASK & ~(span - 1)) | (va & (span - 1));
		return w;
	}
	return w;
}

u64 pt_s2_attrs(u32 kind, u32 access)
{
	u64 a = LPAE_AF;

	if (access & CFG_ACCESS_R)
		a |= LPAE_S2_HAP_R;
	if (access & CFG_ACCESS_W)
		a |= LPAE_S2_HAP_W;
	if (kind == CFG_REGION_SHARED_NC) {
		/*
		 * A channel with a Linux end (cfg_region_kind).  Stage 2 overlays the guest's
		 * stage 1: the more restrictive type and cacheability win, so a guest's Normal
		 * write-back becomes Normal non-cacheable and Linux's Strongly-ordered stays so
		 * (DDI 0406C.c B3-1376, combining stage 1 and stage 2 attributes); Normal
		 * non-cacheable must be Outer Shareable or its shareability is UNPREDICTABLE
		 * (B3-1377).  Channels are never executable (tcfg refuses "x").
		 */
		a |= LPAE_S2_MEMATTR(S2_MEMATTR_NORMAL_NC) | LPAE_SH_OUTER | LPAE_XN;
	} else if (kind == CFG_REGION_RAM || kind == CFG_REGION_SHARED) {
		a |= LPAE_S2_MEMATTR(S2_MEMATTR_NORMAL_WB) | LPAE_SH_INNER;
		if (!(access & CFG_ACCESS_X))
			a |= LPAE_XN;
	} else {
		/* Never execute from a device (B3.7.2: speculative fetches). */
		a |= LPAE_S2_MEMATTR(S2_MEMATTR_DEVICE) | LPAE_XN;
	}
	return a;
}

u64 pt_hyp_attrs(bool normal, bool writable, bool executable)
{
	u64 a = LPAE_AF | LPAE_AP_SBO;

	a |= normal ? LPAE_ATTRINDX(HMAIR_IDX_NORMAL) | LPAE_SH_INNER :
		      LPAE_ATTRINDX(HMAIR_IDX_DEVICE);
	if (!writable)
		a |= LPAE_AP_RO;
	if (!executable || !normal)
		a |= LPAE_XN;
	return a;
}
