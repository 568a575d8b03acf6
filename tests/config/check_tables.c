/*
 * An independent check of the tables tcfg generated, linked with them on the
 * host: tests/config/run_config_tests.py builds this file together with a
 * good configuration's config.c (and hyp/core/sha256.c) and runs it.
 *
 * It re-derives what the hypervisor relies on from the tables alone (not
 * from tcfg's code): regions aligned and disjoint, images inside RAM, their
 * copies in the image store, which no partition maps, and their size and
 * SHA-256 those of the files, endpoints pairing up, interrupt counts covering every INTID,
 * the device tree matching the tables, and the stage-2 table count computed
 * by a separate oracle (counting the 1 GiB and 2 MiB slots that need a next-
 * level table), and checked once more against the hypervisor's own builder
 * (mm/pt.c): the pool tcfg sized must be exactly what s2_build() takes.
 *
 * Usage: check_tables NAME IMAGES_DIR.  Images must hold the runner's
 * pattern: byte i of an image of n bytes is (u8)(i * 7 + n).
 */
#include <libfdt.h>

#include <stdlib.h>

#include "abi/config.h"
#include "config_gen.h"
#include "mm/hyp_map.h"
#include "mm/pt.h"
#include "platform.h"
#include "tessera/sha256.h"
#include "../unit/test.h"

static const char *images_dir = ".";

#define PAGE 0x1000ULL
#define L1_SPAN (1ULL << 30)
#define L2_SPAN (1ULL << 21)

static bool overlap(u64 a, u64 as, u64 b, u64 bs)
{
	return a < b + bs && b < a + as;
}

static const struct cfg_region *ram_at(const struct cfg_partition *p, u64 ipa, u64 size)
{
	u32 i;

	for (i = 0; i < p->region_count; i++) {
		const struct cfg_region *r = &p->regions[i];

		if (r->kind == CFG_REGION_RAM && ipa >= r->ipa && ipa + size <= r->ipa + r->size)
			return r;
	}
	return NULL;
}

TEST(counts)
{
	u32 i, tables = 0, max_virq = 0, watchdogs = 0, policies = 0, managers = 0;

	EXPECT_EQ(cfg_system.partition_count, CFG_PARTITION_COUNT);
	EXPECT_EQ(cfg_system.channel_count, CFG_CHANNEL_COUNT);
	EXPECT(cfg_system.partition_count < (1U << CFG_VMID_BITS));
	EXPECT(cfg_system.console_partition < cfg_system.partition_count);
	for (i = 0; i < cfg_system.partition_count; i++) {
		tables += cfg_system.partitions[i].s2_table_count;
		max_virq = MAX(max_virq, cfg_system.partitions[i].virq_count);
		watchdogs += cfg_system.partitions[i].watchdog_ms != 0;
		policies |= 1U << cfg_system.partitions[i].fault_policy;
		managers += cfg_system.partitions[i].manages != 0;
		EXPECT_EQ(cfg_system.partitions[i].id, i);
	}
	EXPECT_EQ(cfg_system.s2_table_count, tables);
	EXPECT_EQ(CFG_S2_TABLE_COUNT, tables);
	EXPECT_EQ(CFG_MAX_VIRQ, max_virq);
	EXPECT_EQ(CFG_WATCHDOG_COUNT, watchdogs);
	EXPECT_EQ(CFG_FAULT_POLICIES, policies);
	EXPECT_EQ(CFG_MANAGER_COUNT, managers);
}

TEST(regions)
{
	u32 i, j, k, l;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		u32 gicv = 0;

		for (j = 0; j < p->region_count; j++) {
			const struct cfg_region *r = &p->regions[j];

			EXPECT(r->size && !(r->pa % PAGE) && !(r->ipa % PAGE) && !(r->size % PAGE));
			EXPECT(r->ipa + r->size <= (1ULL << 32));
			EXPECT_EQ(!!(r->flags & CFG_REGION_CLEAR), r->kind == CFG_REGION_RAM);
			if (r->kind == CFG_REGION_DEVICE || r->kind == CFG_REGION_GICV)
				EXPECT_EQ(r->access, CFG_ACCESS_R | CFG_ACCESS_W);
			if (r->kind == CFG_REGION_GICV) {
				gicv++;
				EXPECT_EQ(r->ipa, p->gicc_ipa);
			}
			for (k = 0; k < j; k++)
				EXPECT(!overlap(r->ipa, r->size, p->regions[k].ipa,
						p->regions[k].size));
			EXPECT(!overlap(r->ipa, r->size, p->gicd_ipa, PAGE));
			EXPECT(!overlap(r->ipa, r->size, p->uart_ipa, PAGE));
			/* RAM is private: no other partition maps its physical pages. */
			for (k = 0; r->kind == CFG_REGION_RAM && k < cfg_system.partition_count;
			     k++) {
				const struct cfg_partition *q = &cfg_system.partitions[k];

				for (l = 0; k != i && l < q->region_count; l++)
					EXPECT(!overlap(r->pa, r->size, q->regions[l].pa,
							q->regions[l].size));
			}
		}
		EXPECT_EQ(gicv, 1);
		EXPECT(p->cpu_count >= 1 && p->cpu_count <= CFG_CPU_MAX);
		EXPECT(ram_at(p, p->entry, 4) && (ram_at(p, p->entry, 4)->access & CFG_ACCESS_X));
	}
}

/* The image file 'name' in images_dir, or NULL; its size in *size. */
static u8 *read_image(const char *name, u32 *size)
{
	char path[4096];
	FILE *f;
	u8 *data;
	long n;

	snprintf(path, sizeof(path), "%s/%s", images_dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = malloc((size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	*size = (u32)n;
	return data;
}

/* The test's zImages are pattern images with a header (the magic number at 0x24) to 0x80. */
static bool is_zimage(const u8 *data, u32 size)
{
	return size >= 0x28 && data[0x24] == 0x18 && data[0x25] == 0x28 && data[0x26] == 0x6f &&
	       data[0x27] == 0x01;
}

TEST(images)
{
	u32 i, j, b, size;
	u8 digest[SHA256_SIZE];

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		for (j = 0; j < p->image_count; j++) {
			const struct cfg_image *im = &p->images[j];
			const struct cfg_region *r = ram_at(p, im->ipa, im->size);

			EXPECT(r != NULL);
			if (r)
				EXPECT_EQ(im->pa - r->pa, im->ipa - r->ipa);
			u8 *data = read_image(im->name, &size);

			/* The copy in the store: page-aligned, inside it, from no partition's RAM. */
			EXPECT(!(im->store_pa % PAGE));
			EXPECT(im->store_pa >= cfg_system.store_pa &&
			       im->store_pa + im->size <=
				       cfg_system.store_pa + cfg_system.store_size);
			EXPECT(data != NULL);
			if (!data)
				continue;
			EXPECT_EQ(size, im->size);
			for (b = 0; b < size; b++) {
				if (b >= 0x24 && b < 0x80 && is_zimage(data, size))
					continue;
				if (data[b] != (u8)(b * 7 + size)) {
					TEST_FAIL_AT("image %u of %s differs at byte %u", j,
						     p->name, b);
					break;
				}
			}
			/* Each chunk's SHA-256, every chunk but the last whole. */
			EXPECT(im->chunk_size >= CFG_CHUNK_MIN && !(im->chunk_size % 64));
			EXPECT(im->chunk_count <= CFG_CHUNK_COUNT);
			EXPECT((u64)im->chunk_size * im->chunk_count >= size);
			EXPECT((u64)im->chunk_size * (im->chunk_count - 1) < size);
			for (b = 0; b < im->chunk_count; b++) {
				u32 at = b * im->chunk_size;

				sha256(data + at, MIN(size - at, im->chunk_size), digest);
				EXPECT(!memcmp(digest, im->chunk_sha256[b], SHA256_SIZE));
			}
			free(data);
			EXPECT(!overlap(im->ipa, im->size, p->dtb_ipa, p->dtb_size));
		}
	}
}

/* Only the hypervisor maps the store: no region of any partition, nor its own region. */
TEST(store)
{
	u32 i, k;

	EXPECT(!(cfg_system.store_pa % PAGE) && !(cfg_system.store_size % PAGE));
	EXPECT(!overlap(cfg_system.store_pa, cfg_system.store_size, PLAT_HYP_BASE, PLAT_HYP_SIZE));
	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		for (k = 0; k < p->region_count; k++)
			if (overlap(p->regions[k].pa, p->regions[k].size, cfg_system.store_pa,
				    cfg_system.store_size))
				TEST_FAIL_AT("region %u of %s overlaps the image store", k,
					     p->name);
	}
}

TEST(endpoints)
{
	u32 i, j, k;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		for (j = 0; j < p->endpoint_count; j++) {
			const struct cfg_endpoint *e = &p->endpoints[j];
			const struct cfg_channel *c = &cfg_system.channels[e->channel];
			const struct cfg_partition *q = &cfg_system.partitions[e->peer];
			const struct cfg_endpoint *back = NULL;
			bool mapped = false;

			EXPECT(e->channel < cfg_system.channel_count && e->peer != i);
			EXPECT((c->partition[0] == i && c->partition[1] == e->peer) ||
			       (c->partition[1] == i && c->partition[0] == e->peer));
			EXPECT_EQ(e->size, c->size);
			for (k = 0; k < q->endpoint_count; k++)
				if (q->endpoints[k].channel == e->channel)
					back = &q->endpoints[k];
			EXPECT(back != NULL);
			if (back) {
				EXPECT_EQ(back->irq, e->peer_irq);
				EXPECT_EQ(back->peer_irq, e->irq);
				EXPECT_EQ(back->peer, i);
			}
			for (k = 0; k < p->region_count; k++) {
				const struct cfg_region *r = &p->regions[k];

				/* Non-cacheable exactly when either end has a doorbell PL061. */
				if (r->kind == (e->gpio || e->peer_gpio ? CFG_REGION_SHARED_NC :
									  CFG_REGION_SHARED) &&
				    r->ipa == e->ipa && r->pa == c->pa && r->size == c->size &&
				    r->access == e->access && !r->flags)
					mapped = true;
				/* The PL061's page is trapped: nothing is mapped there. */
				if (e->gpio)
					EXPECT(!overlap(r->ipa, r->size, e->gpio_ipa, PAGE));
			}
			EXPECT(mapped);
			if (back)
				EXPECT(back->gpio == e->peer_gpio && back->peer_gpio == e->gpio);
			EXPECT(e->gpio <= CFG_GPIO_COUNT);
			if (e->gpio)
				EXPECT(e->gpio_ipa % PAGE == 0 && e->gpio_ipa != p->gicd_ipa &&
				       e->gpio_ipa != p->uart_ipa);
			if (j)
				EXPECT(p->endpoints[j - 1].channel < e->channel);
		}
	}
}

TEST(virq_count)
{
	u32 i, j;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		u32 max = p->uart_irq;

		for (j = 0; j < p->irq_count; j++)
			max = MAX(max, p->irqs[j].intid);
		for (j = 0; j < p->endpoint_count; j++)
			max = MAX(max, p->endpoints[j].irq);
		EXPECT(p->virq_count % 32 == 0 && p->virq_count >= 64);
		EXPECT(p->virq_count > max && p->virq_count - 32U <= MAX(max, 63U));
	}
}

/* Add 'slot' to a set of slot addresses; false if the set is full. */
static bool slot_add(u64 *set, u32 *n, u32 cap, u64 slot)
{
	u32 k;

	for (k = 0; k < *n; k++)
		if (set[k] == slot)
			return true;
	if (*n == cap)
		return false;
	set[(*n)++] = slot;
	return true;
}

/* Does region r map all of [s, s + span) with an output address aligned to span? */
static bool block(const struct cfg_region *r, u64 s, u64 span)
{
	return r->ipa <= s && r->ipa + r->size >= s + span && !((r->pa + (s - r->ipa)) % span);
}

/*
 * The oracle: a 1 GiB slot that a region touches without filling it as a
 * block needs a level-2 table; inside it, a 2 MiB slot touched without a
 * block needs a level-3 table.  Regions never overlap, so slots are exact.
 */
TEST(s2_tables)
{
	static u64 l2[1024], l3[16384];
	u32 i, j;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		u32 n2 = 0, n3 = 0;
		bool fits = true;

		for (j = 0; j < p->region_count; j++) {
			const struct cfg_region *r = &p->regions[j];
			u64 s, t;

			for (s = r->ipa & ~(L1_SPAN - 1); s < r->ipa + r->size; s += L1_SPAN) {
				if (block(r, s, L1_SPAN))
					continue;
				fits &= slot_add(l2, &n2, ARRAY_SIZE(l2), s);
				for (t = MAX(s, r->ipa & ~(L2_SPAN - 1));
				     t < MIN(s + L1_SPAN, r->ipa + r->size); t += L2_SPAN)
					if (!block(r, t, L2_SPAN))
						fits &= slot_add(l3, &n3, ARRAY_SIZE(l3), t);
			}
		}
		EXPECT(fits);
		EXPECT_EQ(p->s2_table_count, 1 + n2 + n3);
	}
}

/* Tables for mm/pt.c on the host: "physical" addresses are table numbers. */
static pte_t *builder_tables[4096];
static u32 builder_used;

static pte_t *builder_alloc(struct pt_alloc *self, u64 *pa)
{
	(void)self;
	if (builder_used == sizeof(builder_tables) / sizeof(builder_tables[0]))
		return NULL;
	builder_tables[builder_used] = calloc(512, sizeof(pte_t));
	*pa = (u64)(builder_used + 1) << 12;
	return builder_tables[builder_used++];
}

static pte_t *builder_table(struct pt_alloc *self, u64 pa)
{
	(void)self;
	return builder_tables[(pa >> 12) - 1];
}

/* The hypervisor's builder maps every region and takes exactly the tables tcfg counted. */
TEST(s2_tables_builder)
{
	struct pt_alloc alloc = { builder_alloc, builder_table };
	u32 i, j;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		struct pt pt;

		builder_used = 0;
		EXPECT_EQ(pt_init(&pt, &alloc), PT_OK);
		for (j = 0; j < p->region_count; j++) {
			const struct cfg_region *r = &p->regions[j];

			/* tcfg's attributes are mm/pt.c's */
			EXPECT_EQ(r->s2_attrs, pt_s2_attrs(r->kind, r->access));
			EXPECT_EQ(pt_map(&pt, r->ipa, r->pa, r->size, r->s2_attrs), PT_OK);
		}
		EXPECT_EQ(pt.table_count, p->s2_table_count);
		for (j = 0; j < builder_used; j++)
			free(builder_tables[j]);
	}
}

/*
 * The hypervisor's own map of this configuration (mm/hyp_map.c, as boot/mmu.c builds it)
 * fits the pool it is given, HYP_PT_POOL_PAGES, with its sections at the worst place: each
 * of their edges off a 2 MiB boundary, each in a block of its own.
 */
TEST(hyp_map_fits_its_pool)
{
	struct pt_alloc alloc = { builder_alloc, builder_table };
	const uintptr_t b = PLAT_HYP_BASE + 0x1000, step = 1U << 21;
	const struct hyp_range ranges[] = {
		{ PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, HYP_DEVICE },
		{ PLAT_RAM_BASE, b, HYP_RAM },
		{ b + step, b + 2 * step, PT_HYP_ATTRS(true, false, true) },
		{ b + 3 * step, b + 4 * step, PT_HYP_ATTRS(true, false, false) },
		{ b + 4 * step, b + 5 * step, HYP_RAM },
		{ b + 5 * step, PLAT_RAM_BASE + PLAT_RAM_SIZE, HYP_RAM },
	};
	struct pt pt;
	u32 j;

	EXPECT(b + 5 * step <= PLAT_HYP_BASE + PLAT_HYP_SIZE);
	builder_used = 0;
	EXPECT_EQ(pt_init(&pt, &alloc), PT_OK);
	EXPECT_EQ(hyp_map_build(&pt, ranges, ARRAY_SIZE(ranges)), PT_OK);
	EXPECT(pt.table_count <= HYP_PT_POOL_PAGES);
	for (j = 0; j < builder_used; j++)
		free(builder_tables[j]);
}

/*
 * tcfg's per-register values are what the hypervisor derived from the tables before: the
 * emulated pages as HPFAR reports them, and the cleared RAM boot/mmu.c keeps non-cacheable.
 */
TEST(derived_values)
{
	u32 i, j, n = 0;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];

		EXPECT_EQ(p->gicd_hpfar, (u32)(p->gicd_ipa >> 12) << 4);
		EXPECT_EQ(p->uart_hpfar, (u32)(p->uart_ipa >> 12) << 4);
		for (j = 0; j < p->region_count; j++) {
			const struct cfg_region *r = &p->regions[j];

			if (r->kind != CFG_REGION_RAM || !(r->flags & CFG_REGION_CLEAR))
				continue;
			EXPECT(n < cfg_system.cleared_ram_count);
			if (n >= cfg_system.cleared_ram_count)
				return;
			EXPECT_EQ(cfg_system.cleared_ram[n].pa, r->pa);
			EXPECT_EQ(cfg_system.cleared_ram[n].size, r->size);
			n++;
		}
	}
	EXPECT_EQ(n, cfg_system.cleared_ram_count);
}

static const void *node_prop(const void *fdt, int node, const char *name, int *len)
{
	const void *v = fdt_getprop(fdt, node, name, len);

	if (!v)
		*len = -1;
	return v;
}

static u64 cells64(const fdt32_t *c)
{
	return (u64)fdt32_to_cpu(c[0]) << 32 | fdt32_to_cpu(c[1]);
}

/*
 * A partition entered at a zImage boots Linux: Documentation/arch/arm/booting.rst. The
 * kernel's RAM starts at the entry rounded down to 128 MiB (AUTO_ZRELADDR) and is RAM; the
 * zImage lies above its first 32 MiB and inside its first 128 MiB; the device tree is 8-byte
 * aligned and clear of [RAM start, zImage end) where the kernel decompresses itself; an initrd
 * named in /chosen is one of the images, whole, and clear of the kernel and the device tree.
 */
/*
 * What tcfg derives for the hypervisor.  What a (re)start clears (cfg_partition.clears): every byte of each region with
 * CFG_REGION_CLEAR, but those inside an image's whole 64-byte lines (the copy writes them),
 * and nothing else; ranges in address order.  Re-derived byte by byte at 64-byte steps
 * (every boundary here is a multiple of 64).  And each image's sharing: the partitions that
 * load its file, and whether an earlier image of the same partition is that file.  And the
 * name the log gives the partition (cfg_partition.tag).
 */
static bool in_image_lines(const struct cfg_partition *p, u64 pa)
{
	u32 j;

	for (j = 0; j < p->image_count; j++) {
		u64 s = (p->images[j].pa + 63) & ~63ULL;
		u64 e = (p->images[j].pa + p->images[j].size) & ~63ULL;

		if (pa >= s && pa < e)
			return true;
	}
	return false;
}

static bool in_clears(const struct cfg_partition *p, u64 pa)
{
	u32 j;

	for (j = 0; j < p->clear_count; j++)
		if (pa >= p->clears[j].pa && pa - p->clears[j].pa < p->clears[j].size)
			return true;
	return false;
}

TEST(derived)
{
	u32 i, j, k, q;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		u64 cleared = 0, expected = 0;
		char tag[64];

		/* How the log names it (cfg_partition.tag). */
		snprintf(tag, sizeof(tag), "partition %u (%s)", p->id, p->name);
		EXPECT(p->tag && !strcmp(p->tag, tag));

		for (j = 0; j < p->clear_count; j++) {
			EXPECT(p->clears[j].size > 0 && !(p->clears[j].pa % 64) &&
			       !(p->clears[j].size % 64));
			if (j)
				EXPECT(p->clears[j].pa >=
				       p->clears[j - 1].pa + p->clears[j - 1].size);
			cleared += p->clears[j].size;
		}
		for (j = 0; j < p->region_count; j++) {
			const struct cfg_region *r = &p->regions[j];
			u64 pa;

			if (!(r->flags & CFG_REGION_CLEAR))
				continue;
			for (pa = r->pa; pa < r->pa + r->size; pa += 64) {
				bool image = in_image_lines(p, pa);

				EXPECT(in_clears(p, pa) == !image);
				expected += image ? 0 : 64;
			}
		}
		EXPECT_EQ(cleared, expected); /* so nothing outside the cleared regions */
		for (j = 0; j < p->image_count; j++) {
			const struct cfg_image *im = &p->images[j];
			u32 loaders = 0;
			bool repeat = false;

			for (q = 0; q < cfg_system.partition_count; q++)
				for (k = 0; k < cfg_system.partitions[q].image_count; k++)
					if (cfg_system.partitions[q].images[k].file == im->file)
						loaders |= 1U << q;
			for (k = 0; k < j; k++)
				repeat |= p->images[k].file == im->file;
			EXPECT_EQ(im->loaders, loaders);
			EXPECT_EQ(im->repeat, repeat);
		}
	}
}

TEST(linux_boot)
{
	u32 i, j;
	int len;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		const struct cfg_image *k = NULL, *rd = NULL;
		const fdt64_t *start, *end;
		u64 base = p->entry & ~((128ULL << 20) - 1);
		int chosen = fdt_path_offset(p->dtb, "/chosen");

		for (j = 0; j < p->image_count; j++) {
			u32 size;
			u8 *data = read_image(p->images[j].name, &size);

			if (p->images[j].ipa == p->entry && data && is_zimage(data, size))
				k = &p->images[j];
			free(data);
		}
		start = fdt_getprop(p->dtb, chosen, "linux,initrd-start", &len);
		end = fdt_getprop(p->dtb, chosen, "linux,initrd-end", NULL);
		if (!k) {
			EXPECT(!start);
			continue;
		}
		EXPECT(ram_at(p, base, k->ipa + k->size - base) != NULL);
		EXPECT(ram_at(p, base, 1) && ram_at(p, base, 1)->ipa == base);
		EXPECT(k->ipa - base >= (32ULL << 20));
		EXPECT(k->ipa + k->size <= base + (128ULL << 20));
		EXPECT(!(p->dtb_ipa % 8));
		EXPECT(!overlap(base, k->ipa + k->size - base, p->dtb_ipa, p->dtb_size));
		if (!start)
			continue;
		EXPECT(len == 8 && end);
		if (len != 8 || !end)
			continue;
		for (j = 0; j < p->image_count; j++)
			if (p->images[j].ipa == fdt64_to_cpu(*start))
				rd = &p->images[j];
		EXPECT(rd != NULL);
		if (!rd)
			continue;
		EXPECT_EQ(fdt64_to_cpu(*end), rd->ipa + rd->size);
		EXPECT(!overlap(base, k->ipa + k->size - base, rd->ipa, rd->size));
		EXPECT(!overlap(p->dtb_ipa, p->dtb_size, rd->ipa, rd->size));
	}
}

TEST(device_tree)
{
	u32 i, j;

	for (i = 0; i < cfg_system.partition_count; i++) {
		const struct cfg_partition *p = &cfg_system.partitions[i];
		const void *fdt = p->dtb;
		const fdt32_t *c;
		const char *s;
		int node, len, count;
		char path[64];

		EXPECT(fdt_check_header(fdt) == 0);
		EXPECT_EQ(fdt_totalsize(fdt), p->dtb_size);
		EXPECT(!(p->dtb_ipa % 8));
		EXPECT(ram_at(p, p->dtb_ipa, p->dtb_size) != NULL);
		if (ram_at(p, p->dtb_ipa, p->dtb_size))
			EXPECT_EQ(p->dtb_pa - ram_at(p, p->dtb_ipa, 1)->pa,
				  p->dtb_ipa - ram_at(p, p->dtb_ipa, 1)->ipa);

		node = fdt_path_offset(fdt, "/hypervisor");
		c = node_prop(fdt, node, "partition-id", &len);
		EXPECT(c && len == 4 && fdt32_to_cpu(*c) == i);
		s = node_prop(fdt, node, "partition-name", &len);
		EXPECT(s && !strcmp(s, p->name));
		s = node_prop(fdt, 0, "model", &len);
		EXPECT(s && !strncmp(s, "tessera,", 8) && !strcmp(s + 8, p->name));

		/* One memory node per RAM region, one cpu node per vCPU. */
		count = 0;
		fdt_for_each_subnode(node, fdt, 0)
		{
			s = node_prop(fdt, node, "device_type", &len);
			if (!s || strcmp(s, "memory"))
				continue;
			c = node_prop(fdt, node, "reg", &len);
			EXPECT(c && len == 16 && ram_at(p, cells64(c), cells64(c + 2)));
			count++;
		}
		for (j = 0; j < p->region_count; j++)
			count -= p->regions[j].kind == CFG_REGION_RAM;
		EXPECT_EQ(count, 0);
		count = 0;
		fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/cpus"))
		{
			const char *cpu = fdt_getprop(fdt, node, "compatible", NULL);
			int pmu = fdt_path_offset(fdt, "/pmu");
			char want[64];

			/* The cores the board names, and the PMU of those same cores. */
			EXPECT(cpu != NULL);
			snprintf(want, sizeof(want), "%s-pmu", cpu ? cpu : "");
			EXPECT(pmu < 0 || !fdt_node_check_compatible(fdt, pmu, want));
			count++;
		}
		EXPECT_EQ(count, p->cpu_count);

		snprintf(path, sizeof(path), "/pl011@%llx", (unsigned long long)p->uart_ipa);
		s = node_prop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", &len);
		EXPECT(s && !strcmp(s, path));
		c = node_prop(fdt, fdt_path_offset(fdt, path), "interrupts", &len);
		EXPECT(c && len == 12 && fdt32_to_cpu(c[1]) + 32 == p->uart_irq);

		snprintf(path, sizeof(path), "/intc@%llx", (unsigned long long)p->gicd_ipa);
		c = node_prop(fdt, fdt_path_offset(fdt, path), "reg", &len);
		EXPECT(c && len == 32 && cells64(c) == p->gicd_ipa &&
		       cells64(c + 4) == p->gicc_ipa);

		c = node_prop(fdt, fdt_path_offset(fdt, "/timer"), "interrupts", &len);
		EXPECT(c && len == 48 &&
		       fdt32_to_cpu(c[2]) == ((((1U << p->cpu_count) - 1) << 8) | 4));

		/* Channel j of the partition is its j-th endpoint. */
		count = 0;
		fdt_for_each_subnode(node, fdt, 0)
		{
			const struct cfg_endpoint *e;

			if (fdt_node_check_compatible(fdt, node, "tessera,channel"))
				continue;
			c = node_prop(fdt, node, "tessera,channel-id", &len);
			EXPECT(c && len == 4 && fdt32_to_cpu(*c) < p->endpoint_count);
			if (!c || fdt32_to_cpu(*c) >= p->endpoint_count)
				continue;
			e = &p->endpoints[fdt32_to_cpu(*c)];
			EXPECT_EQ(fdt32_to_cpu(*c), count);
			c = node_prop(fdt, node, "reg", &len);
			EXPECT(c && len == 16 && cells64(c) == e->ipa && cells64(c + 2) == e->size);
			if (e->gpio) {
				/* The doorbell is the PL061's interrupt, probed by Linux's AMBA bus. */
				char gpio[48];
				int g;

				EXPECT(!fdt_getprop(fdt, node, "interrupts", NULL));
				snprintf(gpio, sizeof(gpio), "/pl061@%llx",
					 (unsigned long long)e->gpio_ipa);
				g = fdt_path_offset(fdt, gpio);
				EXPECT(g >= 0 && !fdt_node_check_compatible(fdt, g, "arm,pl061") &&
				       !fdt_node_check_compatible(fdt, g, "arm,primecell") &&
				       fdt_getprop(fdt, g, "gpio-controller", NULL) &&
				       fdt_getprop(fdt, g, "clocks", NULL));
				c = node_prop(fdt, g, "reg", &len);
				EXPECT(c && len == 16 && cells64(c) == e->gpio_ipa &&
				       cells64(c + 2) == PAGE);
				c = node_prop(fdt, g, "interrupts", &len);
				EXPECT(c && len == 12 && fdt32_to_cpu(c[1]) + 32 == e->irq &&
				       fdt32_to_cpu(c[2]) == 1); /* edge, rising */
				s = node_prop(fdt, g, "gpio-line-names", &len);
				EXPECT(s &&
				       len == (int)(2 * strlen(cfg_system.channels[e->channel].name) +
						    sizeof("-doorbell-in-doorbell-out") + 1 + 6) &&
				       !strncmp(s, cfg_system.channels[e->channel].name,
						strlen(cfg_system.channels[e->channel].name)));
			} else {
				c = node_prop(fdt, node, "interrupts", &len);
				EXPECT(c && len == 12 && fdt32_to_cpu(c[1]) + 32 == e->irq);
			}
			EXPECT_EQ(!!fdt_getprop(fdt, node, "read-only", NULL),
				  !(e->access & CFG_ACCESS_W));
			s = node_prop(fdt, node, "tessera,peer", &len);
			EXPECT(s && !strcmp(s, cfg_system.partitions[e->peer].name));
			count++;
		}
		EXPECT_EQ(count, p->endpoint_count);
	}
}

int main(int argc, char **argv)
{
	static char name[128];

	snprintf(name, sizeof(name), "config.%s", argc > 1 ? argv[1] : "tables");
	test_suite_name = name;
	if (argc > 2)
		images_dir = argv[2];
	RUN(counts);
	RUN(regions);
	RUN(images);
	RUN(store);
	RUN(endpoints);
	RUN(virq_count);
	RUN(s2_tables);
	RUN(s2_tables_builder);
	RUN(hyp_map_fits_its_pool);
	RUN(derived_values);
	RUN(derived);
	RUN(linux_boot);
	RUN(device_tree);
	return test_summary();
}
