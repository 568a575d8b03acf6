/*
 * Reading and writing a guest's memory on its behalf (hypercall buffers),
 * by guest virtual address.  Each page is translated with the guest's own
 * stage 1 and its stage 2 (ATS12NSOPR/ATS12NSOPW, ARM ARM B4.2.2), at PL1
 * privilege, and the result must lie in RAM the partition owns with the
 * right access: a bad pointer gets an error, never a fault in Hyp mode.
 */
#include <string.h>

#include "arch/sysreg.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/partition.h"

static bool translate(struct vcpu *v, u32 va, bool write, u64 *pa)
{
	const struct cfg_partition *cfg = v->part->cfg;
	u32 i;

	/* Both stages, at the guest's PL1 (ATS12NSO, B4.2.6). */
	if (!guest_translate(write ? GUEST_AT_S12_PL1_WRITE : GUEST_AT_S12_PL1_READ, va, pa))
		return false;
	for (i = 0; i < cfg->region_count; i++) {
		const struct cfg_region *r = &cfg->regions[i];

		if ((r->kind == CFG_REGION_RAM || r->kind == CFG_REGION_SHARED) && *pa >= r->pa &&
		    *pa - r->pa < r->size && (r->access & (write ? CFG_ACCESS_W : CFG_ACCESS_R)))
			return true;
	}
	return false; /* a device, or not the partition's: refuse */
}

/*
 * Translate [va, va + len) page by page; with a buffer, copy each page too (to the guest if
 * 'write').  One walk for the check and the copy.
 */
static bool walk(struct vcpu *v, u32 va, u8 *buf, u32 len, bool write)
{
	for (u32 done = 0; done < len;) {
		u32 chunk = MIN(len - done, 0x1000 - ((va + done) & 0xfff));
		u64 pa;
		void *g;

		if (!translate(v, va + done, write, &pa))
			return false;
		g = (void *)(uintptr_t)pa; /* RAM, 1:1 below 4 GiB (tcfg: the board's RAM) */
		if (buf)
			memcpy(write ? g : buf + done, write ? buf + done : g, chunk);
		done += chunk;
	}
	return true;
}

/* Does [va, va + len) wrap the address space? */
static bool wraps(u32 va, u32 len)
{
	return len && va + len - 1 < va;
}

__attribute__((noinline)) bool guest_range_ok(struct vcpu *v, u32 va, u32 len, bool write)
{
	return !wraps(va, len) && walk(v, va, NULL, len, write);
}

bool guest_copy_from(struct vcpu *v, void *dst, u32 va, u32 len)
{
	/* Guest memory is only read: no first pass over the pages (a refusal may fill part of dst). */
	return !wraps(va, len) && walk(v, va, dst, len, false);
}

bool guest_copy_to(struct vcpu *v, u32 va, const void *src, u32 len)
{
	/* Check every page first: a refused call must leave guest memory untouched. */
	return guest_range_ok(v, va, len, true) && walk(v, va, (void *)(uintptr_t)src, len, true);
}
