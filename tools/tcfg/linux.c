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
 *   +32 MiB          the zImage (higher if 4x its size would reach it)
 *   after it         the initrd, 4 KiB aligned
 *   +128 MiB         the device tree, if the region is larger; else its last 64 KiB
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
/* A decompressed kernel, with its bss, is taken to be at most 4 times its zImage. */
#define ZIMAGE_RATIO 4ULL
#define ZIMAGE_MAGIC 0x016f2818U /* at offset 0x24 (arch/arm/boot/compressed/head.S) */
#define ZIMAGE_MAGIC_OFFSET 0x24

/* Is 'file' an ARM zImage?  Its header carries the magic number at 0x24, little-endian. */
static bool is_zimage(const char *file)
{
	u8 h[ZIMAGE_MAGIC_OFFSET + 4];
	FILE *f = fopen(file, "rb");
	bool ok;

	if (!f)
		return false;
	ok = fread(h, 1, sizeof(h), f) == sizeof(h) &&
	     (h[0x24] | h[0x25] << 8 | h[0x26] << 16 | (u32)h[0x27] << 24) == ZIMAGE_MAGIC;
	fclose(f);
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

void linux_place(struct partition *p, const struct options *o)
{
	const struct memory *r;
	u64 off, end, limit;
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
	if (!is_zimage(p->kernel.file)) {
		tcfg_error(p->path,
			   "kernel \"%s\" is not an ARM zImage (no magic 0x%08x at offset 0x%x): "
			   "give arch/arm/boot/zImage (Debian: /boot/vmlinuz-*)",
			   p->kernel.name, ZIMAGE_MAGIC, ZIMAGE_MAGIC_OFFSET);
		return;
	}
	if (!(r->access & CFG_ACCESS_X)) {
		tcfg_error(p->path,
			   "the kernel goes in %s (the lowest-IPA memory, where its RAM starts), "
			   "which is not executable",
			   r->path);
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
	off = MAX(ZIMAGE_MIN_OFFSET,
		  ALIGN_UP(TEXT_OFFSET + ZIMAGE_RATIO * p->kernel.size, 2 * MIB));
	end = off + ALIGN_UP(p->kernel.size, TCFG_PAGE_SIZE);
	limit = MIN(r->size, ZRELADDR_ALIGN);
	if (end > limit) {
		tcfg_error(p->path,
			   "kernel \"%s\" (0x%llx bytes) at +0x%llx of %s ends beyond its first "
			   "%llu MiB: the zImage must lie in the first 128 MiB of RAM, above the "
			   "kernel it decompresses (booting.rst)",
			   p->kernel.name, (unsigned long long)p->kernel.size,
			   (unsigned long long)off, r->path, (unsigned long long)(limit / MIB));
		return;
	}
	p->kernel.ipa = r->ipa + off;
	p->kernel.pa = r->pa + off;
	/* From the start of RAM: what the decompressor writes, then the zImage itself. */
	check_overlaps(p, "kernel (decompressed, then its zImage)", r->ipa, end);
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
	for (i = 0; i < p->mem_count; i++)
		if (!(p->mems[i].access & CFG_ACCESS_X))
			tcfg_warn(
				p->mems[i].path,
				"RAM without execute rights in a partition that boots a kernel: "
				"Linux takes every memory node as RAM and may put its vectors page "
				"there (then a prefetch abort at its first interrupt)");
}
