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

/* One search of the regions for guest_copy's pages and for PSCI CPU_ON's entry point. */
bool guest_region_holds(const struct cfg_partition *cfg, u32 need, u64 addr)
{
	const struct cfg_region *r = cfg->regions, *end = r + cfg->region_count;

	for (; r < end; r++) {
		u64 base = (need & GUEST_REGION_BY_IPA) ? r->ipa : r->pa;

		if ((need & GUEST_REGION_KIND(r->kind)) && (r->access & need) && addr >= base &&
		    addr - base < r->size)
			return true;
	}
	return false;
}

static bool translate(struct vcpu *v, u32 va, bool write, u64 *pa)
{
	/* Both stages, at the guest's PL1 (ATS12NSO, B4.2.6). */
	if (!guest_translate(write ? GUEST_AT_S12_PL1_WRITE : GUEST_AT_S12_PL1_READ, va, pa))
		return false;
	/* Not a device, and the partition's. */
	return guest_region_holds(v->part->cfg,
				  GUEST_REGION_KIND(CFG_REGION_RAM) |
					  GUEST_REGION_KIND(CFG_REGION_SHARED) |
					  (write ? CFG_ACCESS_W : CFG_ACCESS_R),
				  *pa);
}

/*
 * [va, va + len) translated page by page (it must not wrap the address space), and with a
 * buffer copied.  A write to the guest takes two passes, the first only checks every page:
 * a refused write leaves guest memory untouched.  A read takes one, check and copy together
 * (a refusal may fill part of buf).  One function for all three calls of hypercall.c.
 */
bool guest_copy(struct vcpu *v, u32 va, void *buf, u32 len, bool write)
{
	u8 *b = write ? NULL : buf; /* what this pass copies: a write's first copies nothing */

	if (len && va + len - 1 < va)
		return false;
	for (;;) {
		for (u32 done = 0; done < len;) {
			u32 chunk = MIN(len - done, 0x1000 - ((va + done) & 0xfff));
			u64 pa;
			void *g;

			if (!translate(v, va + done, write, &pa))
				return false;
			g = (void *)(uintptr_t)pa; /* RAM, 1:1 below 4 GiB (tcfg: the board's RAM) */
			if (b)
				memcpy(write ? g : b + done, write ? b + done : g, chunk);
			done += chunk;
		}
		if (b == buf)
			return true;
		b = buf;
	}
}
