/*
 * Host tests of the LPAE table builder (mm/pt.c).
 *
 * Random layouts (seed printed) are mapped, then checked with a table walker
 * written here from the ARM ARM (B3.6), independent of pt_lookup(): every
 * configured byte maps to the right PA with the right attributes, every leaf
 * in the tree belongs to a configured region (nothing else maps), the largest
 * block sizes are used wherever alignment allows, and the number of tables
 * is exactly what the layout needs.
 */
#include "test.h"
#include "abi/config.h"
#include "mm/pt.h"

#define GIB (1ULL << 30)
#define MIB2 (1ULL << 21)
#define KIB4 (1ULL << 12)
#define MAX_TABLES 4096

/* A fake physical memory for tables: table i lives at PA TABLE_PA_BASE + i * 4 KiB. */
#define TABLE_PA_BASE 0x8000000000ULL /* beyond 39 bits: proves no pointer is used as PA */

struct test_alloc {
	struct pt_alloc ops;
	pte_t *tables[MAX_TABLES];
	u32 used;
	u32 limit;
};

static pte_t *t_alloc(struct pt_alloc *self, u64 *pa)
{
	struct test_alloc *a = (struct test_alloc *)self;
	pte_t *t;

	if (a->used >= a->limit)
		return NULL;
	t = calloc(LPAE_ENTRIES, sizeof(pte_t));
	a->tables[a->used] = t;
	*pa = TABLE_PA_BASE + (u64)a->used * KIB4;
	a->used++;
	return t;
}

static pte_t *t_table(struct pt_alloc *self, u64 pa)
{
	struct test_alloc *a = (struct test_alloc *)self;

	return a->tables[(pa - TABLE_PA_BASE) / KIB4];
}

static void alloc_init(struct test_alloc *a, u32 limit)
{
	memset(a, 0, sizeof(*a));
	a->ops.alloc = t_alloc;
	a->ops.table = t_table;
	a->limit = limit;
}

static void alloc_free(struct test_alloc *a)
{
	u32 i;

	for (i = 0; i < a->used; i++)
		free(a->tables[i]);
}

struct region {
	u64 va, pa, size, attrs;
};

/* ---- The independent walker (ARM ARM B3.6.1) ---------------------------- */

struct leaf {
	u64 va, pa, span, attrs;
	int level;
};

static struct leaf leaves[1 << 18];
static size_t leaf_count;
static u32 walked_tables;

static void walk(struct test_alloc *a, u64 table_pa, int level, u64 va_base)
{
	pte_t *t = t_table(&a->ops, table_pa);
	u32 entries = level == 1 ? 4 : 512;
	u64 span = level == 1 ? GIB : level == 2 ? MIB2 : KIB4;
	u32 i;

	walked_tables++;
	for (i = 0; i < entries; i++) {
		pte_t e = t[i];
		u64 va = va_base + i * span;

		if (!(e & 1))
			continue;
		if (level < 3 && (e & 2)) {
			walk(a, e & 0xfffffff000ULL, level + 1, va);
			continue;
		}
		if (level == 3 && !(e & 2))
			continue; /* reserved: treated as invalid */
		leaves[leaf_count++] = (struct leaf){ .va = va,
						      .pa = e & 0xfffffff000ULL & ~(span - 1),
						      .span = span,
						      .attrs = e & (0xffcULL | (0xfffULL << 52)),
						      .level = level };
	}
}

/* Expected leaves per level from the regions, by the greedy rule, computed here. */
static void expected_blocks(const struct region *r, size_t n, u64 counts[4])
{
	size_t i;

	counts[1] = counts[2] = counts[3] = 0;
	for (i = 0; i < n; i++) {
		u64 va = r[i].va, pa = r[i].pa, left = r[i].size;

		while (left) {
			u64 step;

			if (va % GIB == 0 && pa % GIB == 0 && left >= GIB)
				step = GIB, counts[1]++;
			else if (va % MIB2 == 0 && pa % MIB2 == 0 && left >= MIB2)
				step = MIB2, counts[2]++;
			else
				step = KIB4, counts[3]++;
			va += step;
			pa += step;
			left -= step;
		}
	}
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

static size_t count_distinct(u64 *v, size_t n)
{
	size_t i, d = 0;

	qsort(v, n, sizeof(*v), cmp_u64);
	for (i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			d++;
	return d;
}

/* Tables the layout needs: the root, one per GiB holding a non-GiB leaf, one per 2 MiB holding pages. */
static u32 expected_tables(void)
{
	static u64 gibs[1 << 18], mibs[1 << 18];
	size_t ng = 0, nm = 0, i;

	for (i = 0; i < leaf_count; i++) {
		if (leaves[i].level >= 2)
			gibs[ng++] = leaves[i].va / GIB;
		if (leaves[i].level == 3)
			mibs[nm++] = leaves[i].va / MIB2;
	}
	return (u32)(1 + count_distinct(gibs, ng) + count_distinct(mibs, nm));
}

static const struct region *find_region(const struct region *r, size_t n, u64 va)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (va >= r[i].va && va - r[i].va < r[i].size)
			return &r[i];
	return NULL;
}

static u64 rnd64(void)
{
	return ((u64)(unsigned)rand() << 42) ^ ((u64)(unsigned)rand() << 21) ^
	       (u64)(unsigned)rand();
}

static u64 random_size(void)
{
	switch (rand() % 4) {
	case 0:
		return ((u64)(rand() % 16) + 1) * KIB4;
	case 1:
		return ((u64)(rand() % 8) + 1) * MIB2 + (u64)(rand() % 3) * KIB4;
	case 2:
		return ((u64)(rand() % 600) + 1) * MIB2;
	default:
		return (u64)(rand() % 2 + 1) * GIB + (u64)(rand() % 4) * MIB2;
	}
}

static u64 random_align(void)
{
	static const u64 aligns[] = { KIB4, MIB2, GIB };

	return aligns[rand() % 3];
}

static u64 random_attrs(void)
{
	u32 kind = (u32)(rand() % 4), access = (u32)(rand() % 8);

	return pt_s2_attrs(kind, access);
}

/* Random non-overlapping regions in the 32-bit input space; returns how many. */
static size_t random_layout(struct region *r, size_t max)
{
	size_t n = 0, tries;

	for (tries = 0; tries < 200 && n < max; tries++) {
		u64 size = random_size(), align = random_align(), va, pa;
		size_t i;
		int clash = 0;

		va = ALIGN_DOWN(rnd64() % (1ULL << 32), align);
		pa = ALIGN_DOWN(rnd64() % (1ULL << 40), random_align());
		if (rand() % 3 == 0)
			pa = ALIGN_DOWN(pa, GIB) + (va % GIB); /* same offset: blocks possible */
		if ((va % MIB2 || pa % MIB2) && size > 8 * MIB2)
			size = 8 * MIB2 + (size % MIB2); /* keep page-mapped regions small */
		if (va + size > (1ULL << 32) || pa + size > (1ULL << 40))
			continue;
		for (i = 0; i < n; i++)
			if (va < r[i].va + r[i].size && r[i].va < va + size)
				clash = 1;
		if (clash)
			continue;
		r[n++] = (struct region){ va, pa, size, random_attrs() };
	}
	return n;
}

static void check_layout(const struct region *r, size_t n)
{
	struct test_alloc a;
	struct pt pt;
	u64 want[4], got[4] = { 0, 0, 0, 0 };
	size_t i;

	alloc_init(&a, MAX_TABLES);
	EXPECT_EQ(pt_init(&pt, &a.ops), PT_OK);
	for (i = 0; i < n; i++)
		EXPECT_EQ(pt_map(&pt, r[i].va, r[i].pa, r[i].size, r[i].attrs), PT_OK);

	leaf_count = 0;
	walked_tables = 0;
	walk(&a, pt.root_pa, 1, 0);

	/* Nothing maps that was not configured, and what maps is right. */
	for (i = 0; i < leaf_count && !test_case_failed; i++) {
		const struct leaf *l = &leaves[i];
		const struct region *reg = find_region(r, n, l->va);

		EXPECT(reg != NULL);
		if (!reg)
			break;
		EXPECT(l->va + l->span <= reg->va + reg->size);
		EXPECT_EQ(l->pa, reg->pa + (l->va - reg->va));
		EXPECT_EQ(l->attrs, reg->attrs | LPAE_AF);
	}

	/* Every configured page is covered: the leaves' spans add up to the regions' sizes. */
	{
		u64 mapped = 0, configured = 0;

		for (i = 0; i < leaf_count; i++)
			mapped += leaves[i].span;
		for (i = 0; i < n; i++)
			configured += r[i].size;
		EXPECT_EQ(mapped, configured);
	}

	/* Largest blocks wherever alignment allows. */
	expected_blocks(r, n, want);
	for (i = 0; i < leaf_count; i++)
		got[leaves[i].level]++;
	EXPECT_EQ(got[1], want[1]);
	EXPECT_EQ(got[2], want[2]);
	EXPECT_EQ(got[3], want[3]);

	/* Table use is exactly what the layout needs, and the allocator agrees. */
	EXPECT_EQ(pt.table_count, expected_tables());
	EXPECT_EQ(pt.table_count, a.used);
	EXPECT_EQ(walked_tables, a.used);

	/* pt_lookup agrees with the walker at region edges and random points. */
	for (i = 0; i < n && !test_case_failed; i++) {
		u64 probes[4] = { r[i].va, r[i].va + r[i].size - 1, r[i].va + r[i].size / 2,
				  r[i].va + ((u64)rand() % r[i].size) };
		int k;

		for (k = 0; k < 4; k++) {
			struct pt_walk w = pt_lookup(&pt, probes[k]);

			EXPECT(w.mapped);
			EXPECT_EQ(w.pa, r[i].pa + (probes[k] - r[i].va));
			EXPECT_EQ(w.attrs, r[i].attrs | LPAE_AF);
		}
		if (r[i].va + r[i].size < (1ULL << 32) && !find_region(r, n, r[i].va + r[i].size))
			EXPECT(!pt_lookup(&pt, r[i].va + r[i].size).mapped);
		if (r[i].va > 0 && !find_region(r, n, r[i].va - 1))
			EXPECT(!pt_lookup(&pt, r[i].va - 1).mapped);
	}
	alloc_free(&a);
}

TEST(random_layouts)
{
	static struct region r[24];
	unsigned seed = test_seed();
	int iter;

	srand(seed);
	for (iter = 0; iter < 400 && !test_case_failed; iter++) {
		size_t n = random_layout(r, (size_t)(rand() % 24) + 1);

		check_layout(r, n);
	}
}

TEST(blocks_when_aligned)
{
	/* A 1 GiB-aligned GiB, a 2 MiB-aligned 4 MiB and a 4 KiB page: 1 + 2 + 1 leaves. */
	struct region r[] = {
		{ 0x40000000, 0x100000000ULL, GIB, pt_s2_attrs(CFG_REGION_RAM, 7) },
		{ 0x08000000, 0x08000000, 2 * MIB2, pt_s2_attrs(CFG_REGION_DEVICE, 3) },
		{ 0x09000000, 0x09000000, KIB4, pt_s2_attrs(CFG_REGION_DEVICE, 3) },
	};

	check_layout(r, 3);
	EXPECT_EQ(leaf_count, 4);
}

TEST(misaligned_pa_forces_pages)
{
	/* VA 2 MiB aligned, PA only 4 KiB aligned: 512 pages, no block. */
	struct region r[] = { { 0x40000000, 0x50001000, MIB2, pt_s2_attrs(CFG_REGION_RAM, 3) } };

	check_layout(r, 1);
	EXPECT_EQ(leaf_count, 512);
}

TEST(errors)
{
	struct test_alloc a;
	struct pt pt;

	alloc_init(&a, 3);
	EXPECT_EQ(pt_init(&pt, &a.ops), PT_OK);
	EXPECT_EQ(pt_map(&pt, 0x1000, 0x1000, 0x800, 0), PT_ERR_ALIGN);
	EXPECT_EQ(pt_map(&pt, 0x1800, 0x1000, 0x1000, 0), PT_ERR_ALIGN);
	EXPECT_EQ(pt_map(&pt, 0xfffff000, 0x1000, 0x2000, 0), PT_ERR_RANGE);
	EXPECT_EQ(pt_map(&pt, 0x1000, 0xfffffff000ULL, 0x2000, 0), PT_ERR_RANGE);
	EXPECT_EQ(pt_map(&pt, 0x1000, 0x1000, 0, 0), PT_ERR_RANGE);
	EXPECT_EQ(pt_map(&pt, 0x40000000, 0x40000000, MIB2, 0), PT_OK);
	EXPECT_EQ(pt_map(&pt, 0x40100000, 0x0, KIB4, 0), PT_ERR_OVERLAP); /* inside a block */
	EXPECT_EQ(pt_map(&pt, 0x40000000, 0x0, GIB, 0), PT_ERR_OVERLAP); /* over a table */
	EXPECT_EQ(pt_map(&pt, 0x40200000, 0x0, KIB4, 0), PT_OK); /* uses the last table */
	EXPECT_EQ(pt_map(&pt, 0x40200000, 0x0, KIB4, 0), PT_ERR_OVERLAP); /* same page */
	EXPECT_EQ(pt_map(&pt, 0x80000000, 0x1000, KIB4, 0), PT_ERR_NOMEM); /* pool exhausted */
	alloc_free(&a);
}

TEST(stage2_attributes)
{
	u64 ram = pt_s2_attrs(CFG_REGION_RAM, CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X);
	u64 rom = pt_s2_attrs(CFG_REGION_RAM, CFG_ACCESS_R | CFG_ACCESS_X);
	u64 dev = pt_s2_attrs(CFG_REGION_DEVICE, CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X);

	/* B3.6.5: MemAttr 0b1111 normal WB, HAP[2:1] = 0b11 read/write, inner shareable, AF. */
	EXPECT_EQ(ram, 0x3c | 0xc0 | 0x300 | 0x400);
	EXPECT_EQ(rom, 0x3c | 0x40 | 0x300 | 0x400);
	/* Device: MemAttr 0b0001, never executable. */
	EXPECT_EQ(dev, 0x04 | 0xc0 | 0x400 | LPAE_XN);
	EXPECT(pt_s2_attrs(CFG_REGION_SHARED, CFG_ACCESS_R) & LPAE_XN);
	/* A channel with a Linux end: MemAttr 0b0101 Normal inner and outer non-cacheable, outer
	 * shareable (SH 0b10: B3-1377), never executable whatever the access says. */
	EXPECT_EQ(pt_s2_attrs(CFG_REGION_SHARED_NC, CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X),
		  0x14 | 0xc0 | 0x200 | 0x400 | LPAE_XN);
	/* Hyp stage 1: AttrIndx, AP[2] read-only, XN. */
	EXPECT_EQ(pt_hyp_attrs(true, false, true), (1 << 2) | 0x300 | 0x400 | 0x40 | 0x80);
	EXPECT_EQ(pt_hyp_attrs(false, true, true), 0x400 | 0x40 | LPAE_XN);
}

TEST(update_break_before_make)
{
	struct test_alloc a;
	struct pt pt;
	u64 nc = LPAE_ATTRINDX(HMAIR_IDX_NORMAL_NC) | LPAE_SH_OUTER | LPAE_AF;
	u64 wb = LPAE_ATTRINDX(HMAIR_IDX_NORMAL) | LPAE_SH_INNER;
	u64 mask = LPAE_ATTRINDX_MASK | LPAE_SH_MASK;

	/* Two 2 MiB blocks and a page beside them; the page stays as it is. */
	alloc_init(&a, 8);
	EXPECT_EQ(pt_init(&pt, &a.ops), PT_OK);
	EXPECT_EQ(pt_map(&pt, 0x40000000, 0x40000000, 2 * MIB2, nc), PT_OK);
	EXPECT_EQ(pt_map(&pt, 0x40400000, 0x40400000, KIB4, nc), PT_OK);
	/* Break: both blocks invalid, found again by the make. */
	EXPECT_EQ(pt_update(&pt, 0x40000000, 2 * MIB2, LPAE_VALID, 0), 2);
	EXPECT(!pt_lookup(&pt, 0x40000000).mapped);
	EXPECT(!pt_lookup(&pt, 0x40200000).mapped);
	EXPECT(pt_lookup(&pt, 0x40400000).mapped);
	EXPECT_EQ(pt_update(&pt, 0x40000000, 2 * MIB2, mask, LPAE_VALID | wb), 2);
	EXPECT_EQ(pt_lookup(&pt, 0x40201000).attrs, wb | LPAE_AF);
	EXPECT_EQ(pt_lookup(&pt, 0x40201000).pa, 0x40201000);
	EXPECT_EQ(pt_lookup(&pt, 0x40400000).attrs, nc);
	/* A leaf reaching outside the range, or nothing mapped: nothing changed. */
	EXPECT_EQ(pt_update(&pt, 0x40000000, KIB4, LPAE_VALID, 0), 0);
	EXPECT_EQ(pt_update(&pt, 0x40600000, KIB4, LPAE_VALID, 0), 0);
	EXPECT_EQ(pt_update(&pt, 0x40400000, KIB4, 0, LPAE_XN), 1);
	EXPECT(pt_lookup(&pt, 0x40400000).attrs & LPAE_XN);
	alloc_free(&a);
}

int main(void)
{
	test_suite_name = "pt";
	RUN(random_layouts);
	RUN(blocks_when_aligned);
	RUN(misaligned_pa_forces_pages);
	RUN(errors);
	RUN(stage2_attributes);
	RUN(update_break_before_make);
	return test_summary();
}
