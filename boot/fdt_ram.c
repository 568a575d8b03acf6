/*
 * The RAM the boot loader's device tree describes (boot/fdt_ram.h): a walk of the tree's
 * structure block (Devicetree Specification v0.4, chapter 5) for the root's
 * #address-cells and #size-cells and the reg of every node named memory or memory@...
 * or whose device_type is "memory".  Runs with the MMU off, where Strongly-ordered
 * memory takes no unaligned access: words are read as aligned 32-bit loads, strings a byte
 * at a time (a byte access is always aligned: ARM ARM A3.2, "Alignment support").
 */
#include "boot/fdt_ram.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U
#define FDT_MAX_BANKS 64U /* reg entries looked at: more than any board has */

/* The word at byte offset 'at' (a multiple of 4, inside the tree): big-endian (5.2). */
static u32 word(const u32 *t, u32 at)
{
	return __builtin_bswap32(*(const u32 *)((uintptr_t)t + at)); /* ('at' is not rounded) */
}

/* The byte at offset 'at'. */
static u8 byte(const u32 *t, u32 at)
{
	return ((const u8 *)t)[at];
}

/*
 * The byte that follows s in the string at 'at' (which ends before 'end'), or NOT_S if that
 * string does not begin with s.
 */
#define NOT_S 256U
static u32 after(const u32 *t, u32 at, u32 end, const char *s)
{
	for (;; s++, at++) {
		u32 c;

		if (at >= end)
			return NOT_S;
		c = byte(t, at);
		if (!*s)
			return c;
		if (c != (u8)*s)
			return NOT_S;
	}
}

/* RAM from 'base' up: as far as the banks reach without a gap. */
static u64 covered_from(const u64 (*banks)[2], u32 count, u64 base)
{
	u64 end = base;
	bool moved = true;

	while (moved) {
		moved = false;
		for (u32 i = 0; i < count; i++)
			if (banks[i][0] <= end && banks[i][1] > end) {
				end = banks[i][1];
				moved = true;
			}
	}
	return end;
}

/* The properties the check reads: the root's first two, a memory node's last two. */
static const char *const names[] = { "#address-cells", "#size-cells", "device_type", "reg" };

/*
 * Inline (always_inline) into its one caller, boot_read_ram, with the constants it passes:
 * GCC would not inline a function with so large a frame by itself.
 */
__attribute__((always_inline)) inline enum fdt_ram_result
fdt_ram_check(const void *fdt, u64 base, u64 size, struct fdt_ram_info *info)
{
	const u32 *t = fdt;
	u64 banks[FDT_MAX_BANKS][2];
	u32 at, end, tree_size, strings, strings_size, depth = 0, count = 0;
	u32 cells[2], node_count = 0, k; /* #address-cells, #size-cells */
	u32 memory = 0; /* a depth-2 node's: 0 or '@' if it is a memory node (below) */

	info->covered_end = base;
	info->bank_count = 0; /* (and first_base and first_size untouched: there is no first) */
	if (!fdt || ((uintptr_t)fdt & 3U) || word(t, 0) != FDT_MAGIC)
		return FDT_RAM_NO_TREE;
	/*
	 * totalsize, but no more than the check reads: the blocks lie at the front and the free
	 * space after them is never read.  A loader may pass a tree with room to grow (libfdt's
	 * fdt_open_into, U-Boot's "fdt resize"), past FDT_RAM_MAX_SIZE for QEMU virt's 1 MiB
	 * tree: refused as "no tree", its RAM went unchecked.
	 */
	tree_size = MIN(word(t, 4), FDT_RAM_MAX_SIZE);
	at = word(t, 8); /* off_dt_struct */
	strings = word(t, 12); /* off_dt_strings */
	end = at + word(t, 36); /* size_dt_struct (version 17) */
	strings_size = word(t, 32); /* size_dt_strings */
	/* (40 <= at <= end <= tree_size: the header fits) */
	if (word(t, 20) < 17 || (at & 3U) || at < 40 || end < at || end > tree_size ||
	    strings > tree_size || strings_size > tree_size - strings)
		return FDT_RAM_NO_TREE;
	cells[0] = 2; /* #address-cells and #size-cells until the root's say otherwise */
	cells[1] = 1;

	/*
	 * A node's properties come before its children (5.4.2), so the root's cells are known at
	 * a reg.  Every depth-2 node's reg goes into banks at once, its last reg only (each reg
	 * starts again from node_count, the banks before the node); at the node's end they are
	 * dropped again if it is not a memory node, whose device_type may follow its reg, and
	 * after the walk if the node never ended.
	 */
	while (at + 4 <= end) {
		u32 token = word(t, at), next = at + 4, name; /* next: past the token */

		at = next;
		if (token == FDT_END)
			break;
		if (token == FDT_NOP)
			continue;
		if (token == FDT_BEGIN_NODE) {
			for (; at < end && byte(t, at); at++)
				;
			if (at >= end)
				return FDT_RAM_NO_TREE; /* no NUL before the end */
			if (++depth == 2) {
				/* After the name's "memory": 0 (memory) or '@' (memory@...) */
				memory = after(t, next, end, "memory");
				node_count = count;
			}
			at = ALIGN_UP(at + 1, 4U);
			continue;
		}
		if (token == FDT_END_NODE) {
			if (depth == 0)
				return FDT_RAM_NO_TREE;
			if (depth-- == 2 && (memory & ~(u32)'@')) /* neither 0 nor '@' */
				count = node_count;
			continue;
		}
		if (token != FDT_PROP)
			return FDT_RAM_NO_TREE;

		u32 len, value = at + 8;

		if (value > end)
			return FDT_RAM_NO_TREE;
		len = word(t, at);
		name = word(t, at + 4); /* nameoff */
		/* Past the strings block: at its end, where no name below matches. */
		name = strings + MIN(name, strings_size);
		if (len > end - value)
			return FDT_RAM_NO_TREE;
		at = ALIGN_UP(value + len, 4U);
		for (k = 0; k < ARRAY_SIZE(names); k++)
			if (!after(t, name, strings + strings_size, names[k]))
				break;
		if (depth == 1 && len == 4 && k < 2) {
			cells[k] = word(t, value);
			if (cells[k] - 1 > 1)
				return FDT_RAM_NO_TREE; /* neither 1 nor 2 */
		} else if (depth == 2 && k == 2 && !after(t, value, value + len, "memory")) {
			memory = 0; /* device_type "memory" */
		} else if (depth == 2 && k == 3) {
			u32 entry = 4 * (cells[0] + cells[1]);

			/* The reg read entry by entry. */
			for (count = node_count; entry <= len && count < FDT_MAX_BANKS;
			     len -= entry) {
				/* Its address and size: 1 or 2 cells each, most significant first. */
				u64 v[2];

				for (k = 0; k < 2; k++) {
					v[k] = word(t, value);
					value += 4 * cells[k];
					if (cells[k] > 1)
						v[k] = v[k] << 32 | word(t, value - 4);
				}
				if (v[0] + v[1] <= v[0])
					continue; /* empty, or past 2^64 */
				banks[count][0] = v[0];
				banks[count++][1] = v[0] + v[1];
			}
		}
	}
	if (depth > 1)
		count = node_count; /* a depth-2 node without its end: not counted */
	info->bank_count = count;
	if (!count)
		return FDT_RAM_NO_MEMORY;
	info->first_base = banks[0][0];
	info->first_size = banks[0][1] - banks[0][0];
	info->covered_end = covered_from((const u64(*)[2])banks, count, base);
	return info->covered_end >= base + size ? FDT_RAM_COVERED : FDT_RAM_SHORT;
}
