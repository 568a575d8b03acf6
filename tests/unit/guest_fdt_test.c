/*
 * Host unit tests of the guest library's device tree reader (guests/lib/fdt.c).
 *
 * The oracle is an independent writer of flattened device trees (below, from the DT spec
 * chapter 5 layout): each case builds the tree it needs.  Also: refusal of bad headers, and
 * randomised corruption of a valid blob (seed printed), which must never make a query read
 * outside the blob (built with AddressSanitizer by guests/guests.mk).
 */
#include "fdt.h"
#include "test.h"

/* ---- a minimal FDT writer ---- */

struct fdt_writer {
	uint8_t structs[8192];
	size_t slen;
	char strings[2048];
	size_t strlen_;
	uint8_t blob[16384];
	size_t size;
};

static struct fdt_writer w;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void w_token(uint32_t t)
{
	put32(w.structs + w.slen, t);
	w.slen += 4;
}

static void w_bytes(const void *data, size_t len)
{
	if (len)
		memcpy(w.structs + w.slen, data, len);
	w.slen += len;
	while (w.slen % 4)
		w.structs[w.slen++] = 0;
}

static uint32_t w_string(const char *s)
{
	size_t off = 0;

	while (off < w.strlen_) {
		if (strcmp(w.strings + off, s) == 0)
			return (uint32_t)off;
		off += strlen(w.strings + off) + 1;
	}
	off = w.strlen_;
	strcpy(w.strings + off, s);
	w.strlen_ += strlen(s) + 1;
	return (uint32_t)off;
}

static void w_begin(const char *name)
{
	w_token(1);
	w_bytes(name, strlen(name) + 1);
}

static void w_end(void)
{
	w_token(2);
}

static void w_prop(const char *name, const void *data, size_t len)
{
	w_token(3);
	w_token((uint32_t)len);
	w_token(w_string(name));
	w_bytes(data, len);
}

static void w_prop_str(const char *name, const char *s)
{
	w_prop(name, s, strlen(s) + 1);
}

static void w_prop_cells(const char *name, int n, const uint32_t *cells)
{
	uint8_t buf[64];
	int i;

	for (i = 0; i < n; i++)
		put32(buf + 4 * i, cells[i]);
	w_prop(name, buf, (size_t)n * 4);
}

static void w_prop_u32(const char *name, uint32_t v)
{
	w_prop_cells(name, 1, &v);
}

static void w_start(void)
{
	memset(&w, 0, sizeof(w));
}

/* Header (40 bytes), empty reservation map (16), structure block, strings block. */
static const void *w_finish(void)
{
	size_t off_rsv = 40, off_struct = off_rsv + 16, off_strings;

	w_token(9);
	off_strings = off_struct + w.slen;
	w.size = off_strings + w.strlen_;
	memset(w.blob, 0, sizeof(w.blob));
	put32(w.blob + 0, FDT_MAGIC);
	put32(w.blob + 4, (uint32_t)w.size);
	put32(w.blob + 8, (uint32_t)off_struct);
	put32(w.blob + 12, (uint32_t)off_strings);
	put32(w.blob + 16, (uint32_t)off_rsv);
	put32(w.blob + 20, 17);
	put32(w.blob + 24, 16);
	put32(w.blob + 32, (uint32_t)w.strlen_);
	put32(w.blob + 36, (uint32_t)w.slen);
	memcpy(w.blob + off_struct, w.structs, w.slen);
	memcpy(w.blob + off_strings, w.strings, w.strlen_);
	return w.blob;
}

/* A tree shaped like the one Tessera generates for a partition. */
static const void *partition_tree(void)
{
	static const uint32_t mem_reg[] = { 0, 0x40000000, 0, 0x01000000 };
	static const uint32_t ch0_reg[] = { 0, 0x50000000, 0, 0x1000 };
	static const uint32_t ch1_reg[] = { 0x1, 0x20000000, 0, 0x2000 };
	static const uint32_t ch0_irq[] = { 0, 8, 1 };
	static const uint32_t ch1_irq[] = { 0, 9, 4 };
	static const uint32_t dev_reg[] = { 0x9000000, 0x1000 };
	static const char compat2[] = "vendor,other\0tessera,channel";

	w_start();
	w_begin("");
	w_prop_u32("#address-cells", 2);
	w_prop_u32("#size-cells", 2);
	w_prop_str("compatible", "linux,dummy-virt");
	w_begin("chosen");
	w_prop_str("bootargs", "role=consumer count=3");
	w_end();
	w_begin("memory@40000000");
	w_prop_str("device_type", "memory");
	w_prop_cells("reg", 4, mem_reg);
	w_end();
	w_begin("psci");
	w_prop_str("method", "hvc");
	w_end();
	w_begin("hypervisor");
	w_prop_str("compatible", "tessera,hypervisor");
	w_end();
	w_begin("bus");
	w_prop_u32("#address-cells", 1);
	w_prop_u32("#size-cells", 1);
	w_begin("uart@9000000");
	w_prop_cells("reg", 2, dev_reg);
	w_end();
	w_end();
	w_begin("channel@50000000");
	w_prop_str("compatible", "tessera,channel");
	w_prop_cells("reg", 4, ch0_reg);
	w_prop_cells("interrupts", 3, ch0_irq);
	w_prop_u32("tessera,channel-id", 3);
	w_prop_str("tessera,peer", "sensor");
	w_token(4); /* a NOP between properties */
	w_end();
	w_begin("channel@120000000");
	w_prop("compatible", compat2, sizeof(compat2));
	w_prop_cells("reg", 4, ch1_reg);
	w_prop_cells("interrupts", 3, ch1_irq);
	w_prop("read-only", NULL, 0);
	w_end();
	w_end();
	return w_finish();
}

TEST(rejects_missing_and_bad_headers)
{
	struct fdt fdt;
	uint8_t bad[64] = { 0 };
	const uint8_t *good = partition_tree();

	EXPECT(!fdt_init(&fdt, NULL));
	EXPECT(!fdt_init(&fdt, bad));
	memcpy(bad, good, sizeof(bad));
	put32(bad + 20, 15); /* version too old */
	EXPECT(!fdt_init(&fdt, bad));
	memcpy(bad, good, sizeof(bad));
	put32(bad + 4, 20); /* totalsize smaller than a header */
	EXPECT(!fdt_init(&fdt, bad));
	memcpy(bad, good, sizeof(bad));
	put32(bad + 36, 0x100000); /* structure block past totalsize */
	EXPECT(!fdt_init(&fdt, bad));
	memcpy(bad, good, sizeof(bad));
	put32(bad + 4, 0x2000000); /* absurd totalsize */
	EXPECT(!fdt_init(&fdt, bad));
	/* A reader that failed to initialise finds nothing. */
	EXPECT(fdt_path_offset(&fdt, "/") < 0);
	EXPECT(fdt_init(&fdt, good));
}

TEST(paths_and_unit_addresses)
{
	struct fdt fdt;
	int root, mem;

	EXPECT(fdt_init(&fdt, partition_tree()));
	root = fdt_path_offset(&fdt, "/");
	EXPECT(root >= 0);
	EXPECT_STREQ(fdt_node_name(&fdt, root), "");
	mem = fdt_path_offset(&fdt, "/memory");
	EXPECT(mem >= 0);
	EXPECT(mem == fdt_path_offset(&fdt, "/memory@40000000"));
	EXPECT_STREQ(fdt_node_name(&fdt, mem), "memory@40000000");
	EXPECT(fdt_path_offset(&fdt, "/memory@50000000") < 0);
	EXPECT(fdt_path_offset(&fdt, "/bus/uart") >= 0);
	EXPECT(fdt_path_offset(&fdt, "/bus/uart@9000000") >= 0);
	EXPECT(fdt_path_offset(&fdt, "/uart") < 0);
	EXPECT(fdt_path_offset(&fdt, "/mem") < 0);
	EXPECT(fdt_path_offset(&fdt, "chosen") < 0);
	EXPECT(fdt_parent(&fdt, fdt_path_offset(&fdt, "/bus/uart")) ==
	       fdt_path_offset(&fdt, "/bus"));
	EXPECT(fdt_parent(&fdt, root) < 0);
}

TEST(properties)
{
	struct fdt fdt;
	uint32_t v = 0, len = 0;
	int node;

	EXPECT(fdt_init(&fdt, partition_tree()));
	node = fdt_path_offset(&fdt, "/channel@50000000");
	EXPECT(fdt_getprop_u32(&fdt, node, "tessera,channel-id", &v));
	EXPECT_EQ(v, 3);
	EXPECT(fdt_getprop_cell(&fdt, node, "interrupts", 1, &v));
	EXPECT_EQ(v, 8);
	EXPECT(!fdt_getprop_cell(&fdt, node, "interrupts", 3, &v));
	EXPECT_STREQ(fdt_getprop_string(&fdt, node, "tessera,peer"), "sensor");
	EXPECT(fdt_getprop(&fdt, node, "missing", &len) == NULL);
	/* Properties of children are not the node's. */
	EXPECT(fdt_getprop(&fdt, fdt_path_offset(&fdt, "/"), "bootargs", &len) == NULL);
	EXPECT(fdt_getprop(&fdt, fdt_path_offset(&fdt, "/channel@120000000"), "read-only", &len) !=
	       NULL);
	EXPECT_EQ(len, 0);
}

TEST(compatible_string_lists)
{
	struct fdt fdt;
	int node;

	EXPECT(fdt_init(&fdt, partition_tree()));
	node = fdt_path_offset(&fdt, "/channel@120000000");
	EXPECT(fdt_node_is_compatible(&fdt, node, "tessera,channel"));
	EXPECT(fdt_node_is_compatible(&fdt, node, "vendor,other"));
	EXPECT(!fdt_node_is_compatible(&fdt, node, "tessera,chan"));
	EXPECT(!fdt_node_is_compatible(&fdt, node, "tessera,channel2"));
	EXPECT(fdt_next_compatible(&fdt, -1, "linux,dummy-virt") == fdt_path_offset(&fdt, "/"));
}

TEST(reg_follows_the_parents_cells)
{
	struct fdt fdt;
	uint64_t addr = 0, size = 0;

	EXPECT(fdt_init(&fdt, partition_tree()));
	EXPECT(fdt_reg(&fdt, fdt_path_offset(&fdt, "/bus/uart"), 0, &addr, &size));
	EXPECT_EQ(addr, 0x9000000);
	EXPECT_EQ(size, 0x1000);
	EXPECT(fdt_reg(&fdt, fdt_path_offset(&fdt, "/channel@120000000"), 0, &addr, &size));
	EXPECT_EQ(addr, 0x120000000ULL);
	EXPECT_EQ(size, 0x2000);
	EXPECT(!fdt_reg(&fdt, fdt_path_offset(&fdt, "/bus/uart"), 1, &addr, &size));
}

TEST(machine_queries)
{
	struct fdt fdt;
	uint64_t base = 0, size = 0;

	EXPECT(fdt_init(&fdt, partition_tree()));
	EXPECT(fdt_memory(&fdt, &base, &size));
	EXPECT_EQ(base, 0x40000000);
	EXPECT_EQ(size, 0x01000000);
	EXPECT_STREQ(fdt_bootargs(&fdt), "role=consumer count=3");
	EXPECT(fdt_is_tessera(&fdt));
	EXPECT_STREQ(fdt_psci_method(&fdt), "hvc");
}

TEST(tessera_channels_in_document_order)
{
	struct fdt fdt;
	struct fdt_channel ch[4];

	EXPECT(fdt_init(&fdt, partition_tree()));
	EXPECT_EQ(fdt_channels(&fdt, ch, 4), 2);
	EXPECT_EQ(ch[0].index, 0);
	EXPECT_STREQ(ch[0].name, "channel@50000000");
	EXPECT_EQ(ch[0].ipa, 0x50000000);
	EXPECT_EQ(ch[0].size, 0x1000);
	EXPECT_EQ(ch[0].intid, 40);
	EXPECT(ch[0].edge);
	EXPECT_EQ(ch[0].id, 3);
	EXPECT_STREQ(ch[0].peer, "sensor");
	EXPECT(!ch[0].read_only);
	EXPECT_EQ(ch[1].index, 1);
	EXPECT_EQ(ch[1].intid, 41);
	EXPECT(!ch[1].edge);
	EXPECT(ch[1].read_only);
	EXPECT_STREQ(ch[1].peer, "");
	EXPECT_EQ(fdt_channels(&fdt, ch, 1), 2); /* the count even when out is short */
	EXPECT(fdt_channel(&fdt, 1, &ch[2]));
	EXPECT_EQ(ch[2].ipa, 0x120000000ULL);
	EXPECT(!fdt_channel(&fdt, 2, &ch[2]));
}

TEST(a_tree_without_the_optional_nodes)
{
	struct fdt fdt;
	struct fdt_channel ch;
	uint64_t base, size;

	w_start();
	w_begin("");
	w_begin("chosen");
	w_end();
	w_end();
	EXPECT(fdt_init(&fdt, w_finish()));
	EXPECT(fdt_bootargs(&fdt) == NULL);
	EXPECT(!fdt_is_tessera(&fdt));
	EXPECT(fdt_psci_method(&fdt) == NULL);
	EXPECT(!fdt_memory(&fdt, &base, &size));
	EXPECT_EQ(fdt_channels(&fdt, &ch, 1), 0);
}

TEST(truncated_property_is_not_read)
{
	struct fdt fdt;
	uint8_t *blob;
	int node;
	uint32_t len;

	blob = (uint8_t *)partition_tree();
	EXPECT(fdt_init(&fdt, blob));
	node = fdt_path_offset(&fdt, "/chosen");
	/* Make bootargs claim a length past the end of the structure block. */
	put32(blob + fdt.struct_off + (uint32_t)node + 12, 0x7fffffff);
	EXPECT(fdt_getprop(&fdt, node, "bootargs", &len) == NULL);
	EXPECT(fdt_bootargs(&fdt) == NULL);
}

TEST(random_corruption_never_reads_outside)
{
	unsigned seed = test_seed();
	const uint8_t *good = partition_tree();
	size_t size = w.size;
	uint8_t *copy = malloc(size);
	int round, loops = 0;

	srand(seed);
	for (round = 0; round < 3000; round++) {
		struct fdt fdt;
		struct fdt_channel ch[4];
		uint64_t a, b;
		int flips = 1 + rand() % 8, i, off = -1, depth = 0, guard = 0;

		memcpy(copy, good, size);
		for (i = 0; i < flips; i++)
			copy[40 + (size_t)rand() % (size - 40)] ^= (uint8_t)(1U << (rand() % 8));
		if (!fdt_init(&fdt, copy))
			continue;
		(void)fdt_bootargs(&fdt);
		(void)fdt_is_tessera(&fdt);
		(void)fdt_memory(&fdt, &a, &b);
		(void)fdt_channels(&fdt, ch, 4);
		while ((off = fdt_next_node(&fdt, off, &depth)) >= 0 && guard++ < 1000)
			(void)fdt_node_name(&fdt, off);
		/* The tree has a few dozen nodes: a walk past 1000 goes round in a loop. */
		if (guard >= 1000)
			loops++;
	}
	free(copy);
	EXPECT_EQ(loops, 0);
}

int main(void)
{
	test_suite_name = "guest_fdt";
	RUN(rejects_missing_and_bad_headers);
	RUN(paths_and_unit_addresses);
	RUN(properties);
	RUN(compatible_string_lists);
	RUN(reg_follows_the_parents_cells);
	RUN(machine_queries);
	RUN(tessera_channels_in_document_order);
	RUN(a_tree_without_the_optional_nodes);
	RUN(truncated_property_is_not_read);
	RUN(random_corruption_never_reads_outside);
	return test_summary();
}
