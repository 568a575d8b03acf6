/*
 * A partition that boots a kernel (kernel, initrd): where its zImage, initrd and device tree
 * go in its RAM, following the 32-bit ARM boot protocol (Linux's
 * Documentation/arch/arm/booting.rst), and the checks that they fit.  The hypervisor then
 * loads them like any other image and enters the kernel with r0 = 0, r1 = ~0 (no machine
 * type: the device tree describes the machine) and r2 = the device tree's IPA
 * (hyp/core/partition.c).
 *
 * The layout, in the memory@N with the lowest IPA (where the kernel's RAM starts):
 *
 *   +0               the decompressed kernel (the decompressor writes it at +0x8000)
 *   +32 MiB          the zImage (higher if the decompressed kernel would reach it)
 *   4 MiB after it   the initrd, 1 MiB aligned (the decompressor's bss, stack and heap
 *                    lie just past the zImage)
 *   +128 MiB         the device tree, if the region is larger; else its last 64 KiB
 *
 * The decompressed size comes from the zImage's "KLSZ" header extension (the inflated size
 * and the kernel's bss), which kernels since 4.x carry; without it, 5 times the zImage.
 */
#include <stdlib.h>
#include <string.h>

#include "tcfg.h"

#define MIB (1024ULL * 1024ULL)
/*
 * With AUTO_ZRELADDR (every multi-platform kernel) the decompressor takes its own address
 * rounded down to 128 MiB as the start of RAM and writes the kernel there + TEXT_OFFSET.
 */
#define ZRELADDR_ALIGN (128 * MIB)
#define TEXT_OFFSET 0x8000ULL
/* booting.rst: load the zImage above 32 MiB to spare the decompressor a relocation. */
#define ZIMAGE_MIN_OFFSET (32 * MIB)
/* Without a KLSZ extension, a decompressed kernel with its bss is taken as 5x its zImage. */
#define ZIMAGE_RATIO 5ULL
/* What the decompressor uses past the end of the zImage: bss, stack, 64 KiB heap. */
#define ZIMAGE_SCRATCH (4 * MIB)
/* arch/arm/boot/compressed/head.S and vmlinux.lds.S: the header, little-endian words. */
#define ZIMAGE_MAGIC 0x016f2818U /* at 0x24 */
#define ZIMAGE_MAGIC_OFFSET 0x24
#define ZIMAGE_EXT_MAGIC 0x45454545U /* at 0x34: then 0x38 holds the extension table */
#define ZIMAGE_KLSZ 0x5a534c4bU /* "KLSZ": piggy size word offset, kernel bss size */

static u32 le32(const u8 *b, size_t size, u64 off)
{
	if (off > size || size - off < 4)
		return 0;
	b += off;
	return b[0] | b[1] << 8 | b[2] << 16 | (u32)b[3] << 24;
}

/*
 * Is 'file' an ARM zImage?  Its header carries the magic number at 0x24.  Sets *footprint
 * to what its decompressed kernel takes from the start of RAM (TEXT_OFFSET, the inflated
 * image and its bss).  The extension table (vmlinux.lds.S): its word count, "KLSZ", the
 * offset of the inflated size, the bss size, then (5 words or more) the kernel's own
 * TEXT_OFFSET, which a multi-platform kernel may raise (Debian's armmp-lpae: 0x208000).
 */
static bool zimage_probe(const char *file, u64 file_size, u64 *footprint)
{
	size_t size;
	u8 *z = tcfg_read_file(file, &size);
	u64 text_offset = TEXT_OFFSET;
	u32 table;
	bool ok;

	*footprint = TEXT_OFFSET + ZIMAGE_RATIO * file_size;
	if (!z)
		return false;
	ok = le32(z, size, ZIMAGE_MAGIC_OFFSET) == ZIMAGE_MAGIC;
	table = le32(z, size, 0x38);
	if (ok && le32(z, size, 0x34) == ZIMAGE_EXT_MAGIC &&
	    le32(z, size, table + 4) == ZIMAGE_KLSZ) {
		if (le32(z, size, table) >= 5)
			text_offset = le32(z, size, table + 16);
		*footprint = text_offset + (u64)le32(z, size, le32(z, size, table + 8)) +
			     le32(z, size, table + 12);
	}
	free(z);
	return ok;
}

static const struct memory *lowest_memory(const struct partition *p)
{
	const struct memory *m = &p->mems[0];
	u32 i;

	for (i = 1; i < p->mem_count; i++)
		if (p->mems[i].ipa < m->ipa)
			m = &p->mems[i];
	return m;
}

/* Does [ipa, ipa + size) overlap an image a memory@N names?  Reports it. */
static void check_overlaps(const struct partition *p, const char *what, u64 ipa, u64 size)
{
	struct range r = { ipa, size };
	u32 i;

	for (i = 0; i < p->mem_count; i++) {
		const struct memory *m = &p->mems[i];
		struct range img = { m->ipa + m->image_offset, m->image_size };

		if (m->image && m->image_file && ranges_overlap(r, img))
			tcfg_error(p->path,
				   "the %s at IPA [0x%08llx, 0x%08llx) overlaps image \"%s\" of %s "
				   "at [0x%08llx, 0x%08llx)",
				   what, (unsigned long long)ipa, (unsigned long long)(ipa + size),
				   m->image, m->path, (unsigned long long)img.base,
				   (unsigned long long)range_end(img));
	}
}

/* The end (IPA) of what the zImage decompressor writes after the zImage (p placed). */
u64 linux_scratch_end(const struct partition *p)
{
	return ALIGN_UP(p->kernel.ipa + ALIGN_UP(p->kernel.size, TCFG_PAGE_SIZE) + ZIMAGE_SCRATCH,
			MIB);
}

void linux_place(struct partition *p, const struct options *o)
{
	const struct memory *r;
	u64 off, end, limit, footprint;
	bool found;
	u32 i;

	if (!p->ok || !p->kernel.name)
		return;
	for (i = 0; i < p->mem_count; i++)
		if (!p->mems[i].ok)
			return; /* already reported */
	r = lowest_memory(p);
	found = image_find(p->path, p->kernel.name, o, &p->kernel.file, &p->kernel.size);
	if (p->initrd.name)
		found &= image_find(p->path, p->initrd.name, o, &p->initrd.file, &p->initrd.size);
	if (!found)
		return;
	if (!zimage_probe(p->kernel.file, p->kernel.size, &footprint)) {
		tcfg_error(p->path,
			   "kernel \"%s\" is not an ARM zImage (no magic 0x%08x at offset 0x%x): "
			   "give arch/arm/boot/zImage (Debian: /boot/vmlinuz-*)",
			   p->kernel.name, ZIMAGE_MAGIC, ZIMAGE_MAGIC_OFFSET);
		return;
	}
	if ((r->access & (CFG_ACCESS_W | CFG_ACCESS_X)) != (CFG_ACCESS_W | CFG_ACCESS_X)) {
		tcfg_error(p->path,
			   "the kernel goes in %s (the lowest-IPA memory, where its RAM starts), "
			   "which is not %s",
			   r->path,
			   (r->access & CFG_ACCESS_X) ?
				   "writable (the decompressor writes the kernel there)" :
				   "executable");
		return;
	}
	if (r->ipa % ZRELADDR_ALIGN) {
		tcfg_error(p->path,
			   "the kernel's RAM %s starts at IPA 0x%08llx, not 128 MiB aligned: the "
			   "zImage decompressor takes its own address rounded down to 128 MiB as "
			   "the start of RAM (booting.rst, AUTO_ZRELADDR)",
			   r->path, (unsigned long long)r->ipa);
		return;
	}
	off = MAX(ZIMAGE_MIN_OFFSET, ALIGN_UP(footprint, 2 * MIB));
	end = off + ALIGN_UP(p->kernel.size, TCFG_PAGE_SIZE);
	limit = MIN(r->size, ZRELADDR_ALIGN);
	if (end > limit) {
		tcfg_error(p->path,
			   "kernel \"%s\" (0x%llx bytes) at +0x%llx of %s ends beyond its first "
			   "%llu MiB%s: the zImage must lie in the first 128 MiB of RAM, above the "
			   "kernel it decompresses (booting.rst)",
			   p->kernel.name, (unsigned long long)p->kernel.size,
			   (unsigned long long)off, r->path, (unsigned long long)(limit / MIB),
			   limit < ZRELADDR_ALIGN ? " (all of the region: make it larger)" : "");
		return;
	}
	p->kernel.ipa = r->ipa + off;
	p->kernel.pa = r->pa + off;
	/* From the start of RAM: what the decompressor writes, then the zImage itself. */
	check_overlaps(p, "kernel (decompressed, then its zImage)", r->ipa, end);
	end = linux_scratch_end(p) - r->ipa;
	if (end > r->size) {
		tcfg_error(
			p->path,
			"kernel \"%s\" ends at +0x%llx of %s (0x%llx bytes), leaving no room for "
			"the %llu MiB its decompressor writes after it (bss, stack, heap)",
			p->kernel.name,
			(unsigned long long)(p->kernel.ipa + p->kernel.size - r->ipa), r->path,
			(unsigned long long)r->size, (unsigned long long)(ZIMAGE_SCRATCH / MIB));
		return;
	}
	if (p->initrd.name) {
		if (p->initrd.size > r->size - end) {
			tcfg_error(p->path,
				   "initrd \"%s\" (0x%llx bytes) does not fit %s after the kernel "
				   "(at +0x%llx of 0x%llx bytes)",
				   p->initrd.name, (unsigned long long)p->initrd.size, r->path,
				   (unsigned long long)end, (unsigned long long)r->size);
			return;
		}
		p->initrd.ipa = r->ipa + end;
		p->initrd.pa = r->pa + end;
		check_overlaps(p, "initrd", p->initrd.ipa, p->initrd.size);
	}
	/* booting.rst: "A safe location is just above the 128MiB boundary from start of RAM". */
	if (!p->has_dtb_ipa && r->size >= ZRELADDR_ALIGN + TCFG_DTB_WINDOW) {
		p->has_dtb_ipa = true;
		p->dtb_ipa = r->ipa + ZRELADDR_ALIGN;
	}
	p->entry = p->kernel.ipa;
	p->has_entry = true;
	for (i = 0; i < p->mem_count; i++) {
		if (!(p->mems[i].access & CFG_ACCESS_W))
			tcfg_error(
				p->mems[i].path,
				"RAM without write rights in a partition that boots a kernel: "
				"Linux takes every memory node as RAM it writes (its first write "
				"there is a stage-2 fault, before it prints a line)");
		if (!(p->mems[i].access & CFG_ACCESS_X))
			tcfg_warn(
				p->mems[i].path,
				"RAM without execute rights in a partition that boots a kernel: "
				"Linux takes every memory node as RAM and may put its vectors page "
				"there (then a prefetch abort at its first interrupt)");
	}
}
