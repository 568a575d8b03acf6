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
#include "mm/hyp_map.h"
#include "mm/mm.h"
#include "mm/pt.h"
#include "abi/config.h"
#include "platform.h"

static pte_t hyp_pt_pool[HYP_PT_POOL_PAGES][LPAE_ENTRIES] __attribute__((aligned(LPAE_PAGE_SIZE)));
static struct pt_pool hyp_pool = PT_POOL(hyp_pt_pool); /* the MMU is off, and will map 1:1 */

/* Nothing works yet (no MMU, no locks, no console): print straight to the UART and stop. */
static noreturn void early_fail(const char *msg)
{
	boot_puts(msg);
	boot_halt();
}

_Static_assert(PLAT_RAM_BASE + PLAT_RAM_SIZE < (1ULL << 32) &&
		       PLAT_MMIO_BASE + PLAT_MMIO_SIZE <= PLAT_RAM_BASE,
	       "hyp_ranges holds 32-bit addresses: RAM must end below 4 GiB, MMIO below RAM");
/* MMIO and RAM start and end on 2 MiB blocks: HYP_PT_POOL_PAGES counts no table for them. */
#define BLOCK_ALIGNED(x) ((x) % (1ULL << LPAE_L2_SHIFT) == 0)
_Static_assert(BLOCK_ALIGNED(PLAT_MMIO_BASE), "MMIO starts on a 2 MiB block");
_Static_assert(BLOCK_ALIGNED(PLAT_MMIO_SIZE), "MMIO ends on a 2 MiB block");
_Static_assert(BLOCK_ALIGNED(PLAT_RAM_BASE), "RAM starts on a 2 MiB block");
_Static_assert(BLOCK_ALIGNED(PLAT_RAM_SIZE), "RAM ends on a 2 MiB block");

/* The map, lowest first: its HYP_MAP_IMAGE_EDGES edges inside RAM are the image's sections. */
static const struct hyp_range hyp_ranges[] = {
	{ PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, HYP_DEVICE },
	{ PLAT_RAM_BASE, (uintptr_t)__hyp_start, HYP_RAM },
	{ (uintptr_t)__text_start, (uintptr_t)__text_end, PT_HYP_ATTRS(true, false, true) },
	{ (uintptr_t)__rodata_start, (uintptr_t)__rodata_end, PT_HYP_ATTRS(true, false, false) },
	{ (uintptr_t)__rodata_end, (uintptr_t)__hyp_reserved_end, HYP_RAM },
	{ (uintptr_t)__hyp_reserved_end, PLAT_RAM_BASE + PLAT_RAM_SIZE, HYP_RAM },
};

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
	if (pt_init(&hyp_pt, &hyp_pool.ops) != PT_OK ||
	    hyp_map_build(&hyp_pt, hyp_ranges, ARRAY_SIZE(hyp_ranges)) != PT_OK)
		early_fail("tessera: cannot build the Hyp stage-1 tables\r\n");
	hyp_pt_root_pa = hyp_pt.root_pa;
}
