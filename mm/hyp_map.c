/*
 * The hypervisor's own stage-1 map (hyp_map.h): the ranges boot/mmu.c gives,
 * cut at the configuration's holes.  Plain C over mm/pt.c, so that the host
 * checks of every configuration build the same map (tests/config/check_tables.c).
 */
#include "mm/hyp_map.h"

/*
 * The piece of the map that starts at s and ends at most at *e, with attributes *a: inside
 * the hole [hs, hs + size) it takes the hole's attributes ha and ends with it; below the
 * hole, it ends where the hole starts.  Holes never overlap (tcfg refuses overlapping RAM
 * regions and a store inside one), and all lie in the board's RAM, below 4 GiB (tcfg's
 * checks of the regions and the store against the board's RAM).
 */
static void cut(uintptr_t s, uintptr_t *e, u64 *a, u64 hs, u64 size, u64 ha)
{
	uintptr_t start = (uintptr_t)hs, end = (uintptr_t)(hs + size);

	if (start <= s && s < end) {
		*a = ha;
		*e = MIN(*e, end);
	} else if (s < start && start < *e) {
		*e = start;
	}
}

/* Cut [s, *e) at the holes: the image store (read-only) and each partition's cleared RAM. */
static void cut_at_holes(uintptr_t s, uintptr_t *e, u64 *a)
{
	u64 nc = (HYP_RAM & ~(LPAE_ATTRINDX_MASK | LPAE_SH_MASK)) |
		 LPAE_ATTRINDX(HMAIR_IDX_NORMAL_NC) | LPAE_SH_OUTER;
	const struct cfg_range *c = cfg_system.cleared_ram;

	cut(s, e, a, cfg_system.store_pa, cfg_system.store_size, PT_HYP_ATTRS(true, false, false));
	for (; c < cfg_system.cleared_ram + cfg_system.cleared_ram_count; c++)
		cut(s, e, a, c->pa, c->size, nc);
}

enum pt_err hyp_map_build(struct pt *pt, const struct hyp_range *ranges, u32 count)
{
	u32 i;

	for (i = 0; i < count; i++) {
		const struct hyp_range *r = &ranges[i];
		uintptr_t s = r->start, e;

		for (; s < r->end; s = e) {
			u64 a = r->attrs;
			enum pt_err err;

			e = r->end;
			if (a == HYP_RAM)
				cut_at_holes(s, &e, &a);
			err = pt_map(pt, s, s, e - s, a);
			if (err != PT_OK)
				return err;
		}
	}
	return PT_OK;
}
