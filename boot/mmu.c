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
static u32 hyp_pt_pool_used;
u64 hyp_pt_root_pa;

static pte_t *hyp_pt_alloc(struct pt_alloc *self, u64 *pa)
{
	pte_t *t;

	UNUSED(self);
	if (hyp_pt_pool_used == HYP_PT_POOL_PAGES)
		return NULL;
	t = hyp_pt_pool[hyp_pt_pool_used++];
	*pa = (uintptr_t)t; /* identity: the MMU is off, and will map 1:1 */
	return t;
}

static struct pt_alloc hyp_alloc = { .alloc = hyp_pt_alloc, .table = pt_identity_table };

/* Nothing works yet (no MMU, no locks, no console): print straight to the UART and stop. */
static noreturn void early_fail(const char *msg)
{
	boot_puts(msg);
	for (;;)
		__asm__ volatile("wfi");
}

/* The map, lowest first: [start, end) and its kind; an empty range is skipped. */
struct hyp_range {
	uintptr_t start, end;
	bool normal, writable, executable; /* pt_hyp_attrs() */
};

_Static_assert(PLAT_RAM_BASE + PLAT_RAM_SIZE < (1ULL << 32) &&
		       PLAT_MMIO_BASE + PLAT_MMIO_SIZE <= PLAT_RAM_BASE,
	       "hyp_ranges holds 32-bit addresses: RAM must end below 4 GiB, MMIO below RAM");

static const struct hyp_range hyp_ranges[] = {
	{ PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, false, true, false },
	{ PLAT_RAM_BASE, (uintptr_t)__hyp_start, true, true, false },
	{ (uintptr_t)__text_start, (uintptr_t)__text_end, true, false, true },
	{ (uintptr_t)__rodata_start, (uintptr_t)__rodata_end, true, false, false },
	{ (uintptr_t)__rodata_end, (uintptr_t)__hyp_reserved_end, true, true, false },
	{ (uintptr_t)__hyp_reserved_end, PLAT_RAM_BASE + PLAT_RAM_SIZE, true, true, false },
};

static void map(struct pt *pt, uintptr_t start, uintptr_t end, u64 attrs)
{
	if (end > start && pt_map(pt, start, start, end - start, attrs) != PT_OK)
		early_fail("tessera: cannot build the Hyp stage-1 tables\n");
}

void mmu_build_tables(void)
{
	/*
	 * Writable RAM but the image store, which is read-only: the hypervisor only ever reads
	 * it (hashes it at boot, copies from it at each start), and what it holds is what every
	 * restart reloads, so no stray write of the hypervisor's may change it (HAP[2:1], ARM
	 * ARM B3.6.1).  tcfg keeps the store out of the hypervisor's own region.
	 */
	uintptr_t store = (uintptr_t)cfg_system.store_pa;
	uintptr_t store_end = store + (uintptr_t)cfg_system.store_size;
	struct pt pt;
	u32 i;

	if (pt_init(&pt, &hyp_alloc) != PT_OK)
		early_fail("tessera: no memory for the Hyp stage-1 tables\n");
	for (i = 0; i < ARRAY_SIZE(hyp_ranges); i++) {
		const struct hyp_range *r = &hyp_ranges[i];
		u64 attrs = pt_hyp_attrs(r->normal, r->writable, r->executable);
		uintptr_t s = r->start, e = r->start;

		if (r->normal && r->writable) {
			s = MAX(r->start, MIN(store, r->end));
			e = MAX(s, MIN(store_end, r->end));
		}
		map(&pt, r->start, s, attrs);
		map(&pt, s, e, pt_hyp_attrs(true, false, false));
		map(&pt, e, r->end, attrs);
	}
	hyp_pt_root_pa = pt.root_pa;
}
