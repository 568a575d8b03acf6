/*
 * The hypervisor's own stage-1 translation (Hyp regime, HTTBR), built once
 * by the boot CPU with the MMU still off, and shared by every CPU.
 *
 * An identity map: MMIO below RAM as Device memory, RAM as Normal
 * write-back memory, never executable except the hypervisor's .text, and
 * .text, .rodata and the image store read-only.  Tables come from a small
 * static pool.
 */
#include "boot/boot.h"
#include "hyp/core/log.h"
#include "mm/mm.h"
#include "mm/pt.h"
#include "abi/config.h"
#include "platform.h"

#define HYP_PT_POOL_PAGES 16

static pte_t hyp_pt_pool[HYP_PT_POOL_PAGES][LPAE_ENTRIES] __attribute__((aligned(LPAE_PAGE_SIZE)));
static struct pt_pool hyp_pool = PT_POOL(hyp_pt_pool); /* the MMU is off, and will map 1:1 */

/* Nothing works yet (no MMU, no locks, no console): print straight to the UART and stop. */
static noreturn void early_fail(const char *msg)
{
	boot_puts(msg);
	for (;;)
		__asm__ volatile("wfi");
}

/*
 * The map, lowest first: [start, end) and its attributes; an empty range maps nothing.  Holes
 * are cut in the writable Normal ranges (RAM outside the hypervisor's image).
 */
struct hyp_range {
	uintptr_t start, end;
	u64 attrs;
};

#define HYP_DEVICE PT_HYP_ATTRS(false, true, false)
#define HYP_RAM PT_HYP_ATTRS(true, true, false)

_Static_assert(PLAT_RAM_BASE + PLAT_RAM_SIZE < (1ULL << 32) &&
		       PLAT_MMIO_BASE + PLAT_MMIO_SIZE <= PLAT_RAM_BASE,
	       "hyp_ranges holds 32-bit addresses: RAM must end below 4 GiB, MMIO below RAM");

static const struct hyp_range hyp_ranges[] = {
	{ PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, HYP_DEVICE },
	{ PLAT_RAM_BASE, (uintptr_t)__hyp_start, HYP_RAM },
	{ (uintptr_t)__text_start, (uintptr_t)__text_end, PT_HYP_ATTRS(true, false, true) },
	{ (uintptr_t)__rodata_start, (uintptr_t)__rodata_end, PT_HYP_ATTRS(true, false, false) },
	{ (uintptr_t)__rodata_end, (uintptr_t)__hyp_reserved_end, HYP_RAM },
	{ (uintptr_t)__hyp_reserved_end, PLAT_RAM_BASE + PLAT_RAM_SIZE, HYP_RAM },
};

/*
 * The piece of the map that starts at s and ends at most at *e, with attributes *a: inside
 * the hole [hs, he) it takes the hole's attributes ha and ends with it; below the hole, it
 * ends where the hole starts.  Holes never overlap (tcfg refuses overlapping RAM regions
 * and a store inside one), and all lie in the board's RAM, below 4 GiB (the assertion above,
 * and tcfg's checks of the regions and the store against the board's RAM).
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
	u32 i;

	cut(s, e, a, cfg_system.store_pa, cfg_system.store_size, PT_HYP_ATTRS(true, false, false));
	for (i = 0; i < cfg_system.cleared_ram_count; i++)
		cut(s, e, a, cfg_system.cleared_ram[i].pa, cfg_system.cleared_ram[i].size, nc);
}

void mmu_build_tables(void)
{
	/*
	 * Writable RAM but its holes.  The image store is read-only: the hypervisor only ever
	 * reads it (hashes it at boot, copies from it at each start), and what it holds is what
	 * every restart reloads, so no stray write of the hypervisor's may change it (HAP[2:1],
	 * ARM ARM B3.6.1); tcfg keeps it out of the hypervisor's own region.  Each partition's
	 * cleared RAM is Normal non-cacheable (HMAIR index 2, outer shareable as B3-1377 asks of
	 * Normal non-cacheable) until its first load: no CPU may hold a line of it, even one a
	 * speculative access brought in (B2.2.2), so that bytes cleared through this map are
	 * what the guest sees with its caches off and on alike with no clean
	 * (hyp/core/partition.c, first_load()).
	 */
	struct pt pt;
	u32 i;

	if (pt_init(&pt, &hyp_pool.ops) != PT_OK)
		early_fail("tessera: no memory for the Hyp stage-1 tables\n");
	for (i = 0; i < ARRAY_SIZE(hyp_ranges); i++) {
		const struct hyp_range *r = &hyp_ranges[i];
		uintptr_t s = r->start, e;

		for (; s < r->end; s = e) {
			u64 a = r->attrs;

			e = r->end;
			if (a == HYP_RAM)
				cut_at_holes(s, &e, &a);
			if (pt_map(&pt, s, s, e - s, a) != PT_OK)
				early_fail("tessera: cannot build the Hyp stage-1 tables\n");
		}
	}
	hyp_pt_root_pa = pt.root_pa;
}
