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

/* 30, 21, 12: the bits one descriptor of level 1, 2 or 3 maps. */
static u32 level_shift(u32 level)
{
	return LPAE_L1_SHIFT + LPAE_L2_SHIFT - LPAE_L3_SHIFT -
	       (LPAE_L2_SHIFT - LPAE_L3_SHIFT) * level;
}

/*
 * Input addresses are 32-bit (IA_LIMIT): pt_map and pt_lookup refuse anything above, so at
 * level 1 the index is below LPAE_ROOT_ENTRIES by itself.
 */
static u32 level_index(u32 level, u32 va)
{
	return (va >> level_shift(level)) & (LPAE_ENTRIES - 1);
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

pte_t *pt_pool_alloc(struct pt_alloc *self, u64 *pa)
{
	struct pt_pool *p = (struct pt_pool *)self;
	pte_t *t;

	if (p->used == p->count)
		return NULL;
	t = p->tables[p->used++];
	*pa = (uintptr_t)t; /* identity: RAM is mapped 1:1 (or the MMU is off) */
	return t;
}

/* Out of line (noinline): LTO had copied it into both of its callers. */
__attribute__((noinline)) enum pt_err pt_init(struct pt *pt, struct pt_alloc *alloc)
{
	pt->alloc = alloc;
	pt->table_count = 0;
	pt->root = new_table(pt, &pt->root_pa);
	return pt->root ? PT_OK : PT_ERR_NOMEM;
}

enum pt_err pt_map(struct pt *pt, u64 va64, u64 pa, u64 size, u64 attrs)
{
	u32 va = (u32)va64, pages = (u32)(size >> LPAE_PAGE_SHIFT); /* at most 4 GiB: 2^20 */

	if (!IS_ALIGNED(va64 | pa | size, LPAE_PAGE_SIZE))
		return PT_ERR_ALIGN;
	/*
	 * 0 < size <= 4 GiB, and the first and last byte of each range below its limit: with va
	 * below 4 GiB, pa below 1 TiB and size - 1 below 4 GiB no sum here wraps (size 0 makes
	 * size - 1 wrap, and fails).
	 */
	if (((va64 | (size - 1) | (va64 + size - 1)) >> 32) | ((pa | (pa + size - 1)) >> 40))
		return PT_ERR_RANGE;
	attrs &= LPAE_ATTR_MASK;
	while (pages) {
		pte_t *table = pt->root, *entry, bits;
		u64 step;
		u32 shift, span, index, n, i;

		/*
		 * Down from the root to the level of the largest descriptor that fits: a block where
		 * va and pa are aligned to its span and the range covers it, else a table (made if
		 * missing) and one level further; level 3 maps pages.  'shift' is the level's, in
		 * pages: 18, 9, then 0 at level 3.
		 */
		for (shift = LPAE_L1_SHIFT - LPAE_PAGE_SHIFT;;
		     shift -= LPAE_L2_SHIFT - LPAE_L3_SHIFT) {
			span = LPAE_PAGE_SIZE << shift;
			index = (va >> (shift + LPAE_PAGE_SHIFT)) & (LPAE_ENTRIES - 1);
			entry = &table[index];
			if (!shift || ((pages >> shift) && IS_ALIGNED(va | (u32)pa, span)))
				break;
			if (!(*entry & LPAE_VALID)) {
				u64 next_pa;

				table = new_table(pt, &next_pa);
				if (!table)
					return PT_ERR_NOMEM;
				*entry = next_pa | LPAE_VALID | LPAE_TYPE_TABLE;
			} else if (!(*entry & LPAE_TYPE_TABLE)) {
				return PT_ERR_OVERLAP; /* a block is already there */
			} else {
				table = pt->alloc->table(pt->alloc, *entry & LPAE_ADDR_MASK);
			}
		}
		/*
		 * The whole run of this span in this table in one loop (the Hyp map has a thousand
		 * pages at boot).  At level 1 the range ends by 4 GiB, so within the root table.
		 */
		n = MIN(pages >> shift, LPAE_ENTRIES - index);
		bits = pa | attrs | LPAE_VALID | (shift ? 0 : LPAE_TYPE_PAGE);
		for (i = 0; i < n; i++, bits += span) {
			if (entry[i] & LPAE_VALID)
				return PT_ERR_OVERLAP;
			entry[i] = bits;
		}
		step = (u64)n * span;
		va += (u32)step; /* 0 again after the last GiB: then no page is left */
		pa += step;
		pages -= n << shift;
	}
	return PT_OK;
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

u32 pt_update(struct pt *pt, u32 va, u32 size, u64 clear, u64 set)
{
	u32 n = 0;

	while (size) {
		pte_t *table = pt->root, *e;
		u32 level = 1, span;

		/* Down the valid tables only: a leaf whose valid bit went is still a leaf. */
		for (;;) {
			e = &table[level_index(level, va)];
			if (level == 3 ||
			    (*e & (LPAE_VALID | LPAE_TYPE_TABLE)) != (LPAE_VALID | LPAE_TYPE_TABLE))
				break;
			table = pt->alloc->table(pt->alloc, *e & LPAE_ADDR_MASK);
			level++;
		}
		span = 1U << level_shift(level);
		if (!*e || (va & (span - 1)) || size < span)
			break; /* unmapped, or a leaf reaching outside the range */
		*e = (*e & ~clear) | set;
		n++;
		va += span;
		size -= span;
	}
	return n;
}

u64 pt_s2_attrs(u32 kind, u32 access)
{
	return LPAE_S2_ATTRS(kind, access);
}

u64 pt_hyp_attrs(bool normal, bool writable, bool executable)
{
	return PT_HYP_ATTRS(normal, writable, executable);
}
