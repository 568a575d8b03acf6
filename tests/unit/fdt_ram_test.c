/*
 * Host tests of the boot's RAM check (boot/fdt_ram.c): device trees made by dtc from
 * source, as U-Boot hands them over (QEMU virt's 2/2 cells, an H3 board's 1/1), with RAM
 * that covers what the system uses, falls short, has a gap, is split in banks; trees that
 * are not trees, or are cut short, are never read past their end.
 */
#define _XOPEN_SOURCE 700 /* mkstemp, popen */

#include <unistd.h>

#include "test.h"
#include "boot/fdt_ram.h"

static u32 blob[FDT_RAM_MAX_SIZE / 4];

/* 'body' (the root node's contents) through dtc into blob; its size, 0 if dtc failed. */
static size_t dtb(const char *body)
{
	char src[] = "/tmp/fdt_ram_test_XXXXXX";
	char cmd[256];
	int fd = mkstemp(src);
	FILE *f;
	size_t n = 0;

	if (fd < 0)
		return 0;
	f = fdopen(fd, "w");
	fprintf(f, "/dts-v1/;\n/ {\n%s\n};\n", body);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "dtc -q -I dts -O dtb %s", src);
	f = popen(cmd, "r");
	if (f) {
		memset(blob, 0, sizeof(blob));
		n = fread(blob, 1, sizeof(blob), f);
		if (pclose(f) != 0)
			n = 0;
	}
	unlink(src);
	return n;
}

#define VIRT_CELLS "#address-cells = <2>; #size-cells = <2>;"
#define H3_CELLS "#address-cells = <1>; #size-cells = <1>;"
#define GIB 0x40000000ULL
#define MIB 0x100000ULL

static enum fdt_ram_result check(u64 base, u64 size, struct fdt_ram_info *info)
{
	return fdt_ram_check(blob, base, size, info);
}

TEST(virt_covered)
{
	struct fdt_ram_info info;

	EXPECT(dtb(VIRT_CELLS "memory@40000000 { reg = <0 0x40000000 0 0x40000000>; "
			      "device_type = \"memory\"; }; chosen { };") > 0);
	EXPECT(check(GIB, GIB, &info) == FDT_RAM_COVERED);
	EXPECT(info.bank_count == 1 && info.first_base == GIB && info.first_size == GIB);
	EXPECT(info.covered_end == 2 * GIB);
	EXPECT(check(GIB, 0x11800000, &info) == FDT_RAM_COVERED);
}

TEST(virt_short)
{
	struct fdt_ram_info info;

	EXPECT(dtb(VIRT_CELLS "memory@40000000 { reg = <0 0x40000000 0 0x10000000>; "
			      "device_type = \"memory\"; };") > 0);
	EXPECT(check(GIB, 0x11800000, &info) == FDT_RAM_SHORT);
	EXPECT(info.covered_end == GIB + 256 * MIB);
	EXPECT(check(GIB, 256 * MIB, &info) == FDT_RAM_COVERED);
}

/* An H3 board's tree after U-Boot's fix-up: 1/1 cells, a 256 MiB NanoPi NEO. */
TEST(h3_short)
{
	struct fdt_ram_info info;

	EXPECT(dtb(H3_CELLS "cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { reg = <0>; "
			    "}; }; memory@40000000 { device_type = \"memory\"; "
			    "reg = <0x40000000 0x10000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_SHORT);
	EXPECT(info.covered_end == GIB + 256 * MIB && info.first_size == 256 * MIB);
}

/* The cpus node's #address-cells (1) and #size-cells (0) are not the root's. */
TEST(only_root_cells)
{
	struct fdt_ram_info info;

	EXPECT(dtb(VIRT_CELLS "cpus { #address-cells = <1>; #size-cells = <0>; cpu@0 { "
			      "reg = <0>; }; }; memory@40000000 { reg = <0 0x40000000 0 "
			      "0x20000000>; device_type = \"memory\"; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_COVERED);
}

TEST(banks_and_gaps)
{
	struct fdt_ram_info info;

	/* Two ranges in one reg, listed high first, then a node of its own. */
	EXPECT(dtb(H3_CELLS "memory@50000000 { device_type = \"memory\"; reg = <0x50000000 "
			    "0x08000000 0x40000000 0x10000000>; }; memory@58000000 { "
			    "device_type = \"memory\"; reg = <0x58000000 0x08000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_COVERED);
	EXPECT(info.bank_count == 3);
	/* A hole at 0x50000000. */
	EXPECT(dtb(H3_CELLS "memory { device_type = \"memory\"; reg = <0x40000000 0x10000000 "
			    "0x51000000 0x10000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_SHORT);
	EXPECT(info.covered_end == 0x50000000ULL);
	/* RAM somewhere else altogether. */
	EXPECT(dtb(H3_CELLS "memory@80000000 { device_type = \"memory\"; "
			    "reg = <0x80000000 0x40000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_SHORT);
	EXPECT(info.covered_end == GIB);
}

/* By device_type alone, by name alone; a node named memory-controller is not memory. */
TEST(which_nodes)
{
	struct fdt_ram_info info;

	EXPECT(dtb(H3_CELLS "ram@40000000 { device_type = \"memory\"; "
			    "reg = <0x40000000 0x20000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_COVERED);
	EXPECT(dtb(H3_CELLS "memory@40000000 { reg = <0x40000000 0x20000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_COVERED);
	EXPECT(dtb(H3_CELLS "memory-controller@1c62000 { reg = <0x40000000 0x20000000>; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_NO_MEMORY);
	/* A memory node's child is not RAM. */
	EXPECT(dtb(H3_CELLS "soc { #address-cells = <1>; #size-cells = <1>; memory@40000000 { "
			    "device_type = \"memory\"; reg = <0x40000000 0x20000000>; }; };") > 0);
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_NO_MEMORY);
}

TEST(not_a_tree)
{
	struct fdt_ram_info info;
	size_t n;

	EXPECT(fdt_ram_check(NULL, GIB, GIB, &info) == FDT_RAM_NO_TREE);
	n = dtb(H3_CELLS "memory { device_type = \"memory\"; reg = <0x40000000 0x20000000>; };");
	EXPECT(n > 0);
	EXPECT(fdt_ram_check((const u8 *)blob + 2, GIB, 512 * MIB, &info) == FDT_RAM_NO_TREE);
	blob[0] ^= 1;
	EXPECT(check(GIB, 512 * MIB, &info) == FDT_RAM_NO_TREE);
	EXPECT(info.covered_end == GIB && info.bank_count == 0);
}

/*
 * Every bit of the tree flipped in turn, header included: never a read past the
 * FDT_RAM_MAX_SIZE bytes the check may read (ASan), never more than the tree's one range.
 */
TEST(damaged)
{
	static u32 good[FDT_RAM_MAX_SIZE / 4], room[FDT_RAM_MAX_SIZE / 4];
	struct fdt_ram_info info;
	size_t n = dtb(H3_CELLS "memory@40000000 { device_type = \"memory\"; "
				"reg = <0x40000000 0x10000000>; };");
	u32 *copy = room;

	EXPECT(n > 0);
	memcpy(good, blob, n);
	for (size_t at = 0; at < n; at++) {
		for (u32 v = 1; v < 256; v <<= 1) {
			enum fdt_ram_result r;

			memcpy(copy, good, n);
			((u8 *)copy)[at] ^= (u8)v;
			r = fdt_ram_check(copy, GIB, 512 * MIB, &info);
			EXPECT(r <= FDT_RAM_NO_MEMORY && info.bank_count <= 1);
		}
	}
	/* A totalsize that cuts the structure block short is refused. */
	memcpy(copy, good, n);
	copy[1] = __builtin_bswap32(48);
	EXPECT(fdt_ram_check(copy, GIB, 512 * MIB, &info) == FDT_RAM_NO_TREE);
}

/*
 * Free space after the blocks, past FDT_RAM_MAX_SIZE: U-Boot's bootm, when it relocates the tree
 * (fdt_high), opens it into totalsize + CONFIG_SYS_FDT_PAD (0x3000) bytes, and QEMU virt's tree
 * is 1 MiB (0x100000) with its free space.  The blocks lie at the front: they are read, and the
 * RAM is checked, not skipped as "no tree".
 */
TEST(free_space_past_max)
{
	static u32 big[2 * FDT_RAM_MAX_SIZE / 4];
	struct fdt_ram_info info;
	size_t n = dtb(VIRT_CELLS "memory@40000000 { reg = <0 0x40000000 0 0x10000000>; "
				  "device_type = \"memory\"; };");

	EXPECT(n > 0);
	memcpy(big, blob, n);
	big[1] = __builtin_bswap32(FDT_RAM_MAX_SIZE + 0x3000); /* totalsize */
	EXPECT(fdt_ram_check(big, GIB, 0x11800000, &info) == FDT_RAM_SHORT);
	EXPECT(info.covered_end == GIB + 256 * MIB);
	/* Blocks that reach past the bytes the check may read are still refused. */
	big[9] = __builtin_bswap32(FDT_RAM_MAX_SIZE); /* size_dt_struct */
	EXPECT(fdt_ram_check(big, GIB, 0x11800000, &info) == FDT_RAM_NO_TREE);
}

int main(void)
{
	test_suite_name = "fdt_ram";
	RUN(virt_covered);
	RUN(virt_short);
	RUN(h3_short);
	RUN(only_root_cells);
	RUN(banks_and_gaps);
	RUN(which_nodes);
	RUN(not_a_tree);
	RUN(damaged);
	RUN(free_space_past_max);
	return test_summary();
}
