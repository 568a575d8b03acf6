/*
 * The RAM the boot loader's device tree describes (boot/fdt_ram.h): a walk of the tree's
 * structure block (Devicetree Specification v0.4, chapter 5) for the root's
 * #address-cells and #size-cells and the reg of every node named memory or memory@...
 * or whose device_type is "memory".  Runs with the MMU off, where Strongly-ordered
 * memory takes no unaligned access: everything is read as aligned 32-bit words.
 */
#include "boot/fdt_ram.h"

#define FDT_MAGIC 0xd00dfeedU
#define FDT_BEGIN_NODE 1U
#define FDT_END_NODE 2U
#define FDT_PROP 3U
#define FDT_NOP 4U
#define FDT_END 9U
#define FDT_MAX_BANKS 64U /* reg entries looked at: more than any board has */

struct fdt_reader {
	const u32 *words; /* the whole tree */
	u32 size; /* its bytes */
	u32 strings; /* offset of the strings block */
	u32 strings_size;
};

static u32 be32(u32 v)
{
	return ((v & 0xffU) << 24) | ((v & 0xff00U) << 8) | ((v >> 8) & 0xff00U) | (v >> 24);
}

/* The word at byte offset 'at' (a multiple of 4, inside the tree). */
static u32 word(const struct fdt_reader *r, u32 at)
{
	return be32(r->words[at / 4]);
}

/* The byte at offset 'at', from its aligned word. */
static u8 byte(const struct fdt_reader *r, u32 at)
{
	return (u8)(r->words[at / 4] >> (8 * (at % 4))); /* little-endian load */
}

/* Whether the NUL-terminated string at 'at' (ending before 'end') equals s; len its bytes. */
static bool str_is(const struct fdt_reader *r, u32 at, u32 end, const char *s, bool prefix)
{
	for (; *s; s++, at++)
		if (at >= end || byte(r, at) != (u8)*s)
			return false;
	if (prefix)
		return at < end && (byte(r, at) == '\0' || byte(r, at) == '@');
	return at < end && byte(r, at) == '\0';
}

/* The end of the string at 'at' (the offset of its NUL), or 0 if it reaches 'end'. */
static u32 str_end(const struct fdt_reader *r, u32 at, u32 end)
{
	for (; at < end; at++)
		if (byte(r, at) == '\0')
			return at;
	return 0;
}

/* A property's name is 'name'. */
static bool prop_is(const struct fdt_reader *r, u32 nameoff, const char *name)
{
	return nameoff < r->strings_size &&
	       str_is(r, r->strings + nameoff, r->strings + r->strings_size, name, false);
}

/* The value of 'cells' cells (1 or 2) at 'at'. */
static u64 cells_value(const struct fdt_reader *r, u32 at, u32 cells)
{
	return cells == 2 ? ((u64)word(r, at) << 32) | word(r, at + 4) : word(r, at);
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

enum fdt_ram_result fdt_ram_check(const void *fdt, u64 base, u64 size, struct fdt_ram_info *info)
{
	struct fdt_reader r = { .words = fdt, .size = 0 };
	u64 banks[FDT_MAX_BANKS][2];
	u32 at, end, depth = 0, address_cells = 2, size_cells = 1, count = 0;
	u32 reg_at = 0, reg_len = 0;
	bool memory = false;

	info->covered_end = base;
	info->bank_count = 0;
	info->first_base = info->first_size = 0;
	if (!fdt || ((uintptr_t)fdt & 3U) || be32(r.words[0]) != FDT_MAGIC)
		return FDT_RAM_NO_TREE;
	r.size = be32(r.words[1]); /* totalsize */
	at = be32(r.words[2]); /* off_dt_struct */
	r.strings = be32(r.words[3]);
	end = at + be32(r.words[9]); /* size_dt_struct (version 17) */
	r.strings_size = be32(r.words[8]);
	if (r.size < 40 || r.size > FDT_RAM_MAX_SIZE || be32(r.words[5]) < 17 || (at & 3U) ||
	    at < 40 || end < at || end > r.size || r.strings > r.size ||
	    r.strings_size > r.size - r.strings)
		return FDT_RAM_NO_TREE;

	while (at + 4 <= end) {
		u32 token = word(&r, at);

		at += 4;
		if (token == FDT_BEGIN_NODE) {
			u32 name_end = str_end(&r, at, end);

			if (!name_end)
				return FDT_RAM_NO_TREE;
			depth++;
			if (depth == 2) {
				memory = str_is(&r, at, end, "memory", true);
				reg_len = 0;
			}
			at = ALIGN_UP(name_end + 1, 4U);
		} else if (token == FDT_END_NODE) {
			if (depth == 0)
				return FDT_RAM_NO_TREE;
			if (depth == 2 && memory) {
				u32 entry = 4 * (address_cells + size_cells), i;

				for (i = 0; i + entry <= reg_len && count < FDT_MAX_BANKS;
				     i += entry) {
					u64 b = cells_value(&r, reg_at + i, address_cells);
					u64 s = cells_value(&r, reg_at + i + 4 * address_cells,
							    size_cells);

					if (!s || b + s < b)
						continue;
					banks[count][0] = b;
					banks[count][1] = b + s;
					if (!count) {
						info->first_base = b;
						info->first_size = s;
					}
					count++;
				}
			}
			depth--;
		} else if (token == FDT_PROP) {
			u32 len, nameoff;

			if (at + 8 > end)
				return FDT_RAM_NO_TREE;
			len = word(&r, at);
			nameoff = word(&r, at + 4);
			at += 8;
			if (len > end - at)
				return FDT_RAM_NO_TREE;
			if (depth == 1 && len == 4 && prop_is(&r, nameoff, "#address-cells"))
				address_cells = word(&r, at);
			else if (depth == 1 && len == 4 && prop_is(&r, nameoff, "#size-cells"))
				size_cells = word(&r, at);
			else if (depth == 2 && prop_is(&r, nameoff, "device_type") &&
				 str_is(&r, at, at + len, "memory", false))
				memory = true;
			else if (depth == 2 && prop_is(&r, nameoff, "reg")) {
				reg_at = at;
				reg_len = len;
			}
			at = ALIGN_UP(at + len, 4U);
		} else if (token == FDT_END) {
			break;
		} else if (token != FDT_NOP) {
			return FDT_RAM_NO_TREE;
		}
		if ((address_cells != 1 && address_cells != 2) ||
		    (size_cells != 1 && size_cells != 2))
			return FDT_RAM_NO_TREE;
	}
	info->bank_count = count;
	if (!count)
		return FDT_RAM_NO_MEMORY;
	info->covered_end = covered_from((const u64(*)[2])banks, count, base);
	return info->covered_end >= base + size ? FDT_RAM_COVERED : FDT_RAM_SHORT;
}
