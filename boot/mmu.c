/*
 * The hypervisor's own stage-1 translation (Hyp regime, HTTBR), built once
 * by the boot CPU with the MMU still off, and shared by every CPU.
 *
 * An identity map: MMIO below RAM as Device memory, RAM as Normal
 * write-back memory, never executable except the hypervisor's .text, and
 * .text and .rodata read-only.  Tables come from a small static pool.
 */
#include "boot/boot.h"
#include "hyp/core/log.h"
#include "mm/mm.h"
#include "mm/pt.h"
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

static void map(struct pt *pt, u64 start, u64 end, u64 attrs)
{
	if (end > start && pt_map(pt, start, start, end - start, attrs) != PT_OK)
		early_fail("tessera: cannot build the Hyp stage-1 tables\n");
}

void mmu_build_tables(void)
{
	struct pt pt;
	u64 ram = pt_hyp_attrs(true, true, false);
	u64 hyp_base = (uintptr_t)__hyp_start, hyp_top = (uintptr_t)__hyp_reserved_end;

	if (pt_init(&pt, &hyp_alloc) != PT_OK)
		early_fail("tessera: no memory for the Hyp stage-1 tables\n");

	map(&pt, PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, pt_hyp_attrs(false, true, false));
	map(&pt, PLAT_RAM_BASE, hyp_base, ram);
	map(&pt, (uintptr_t)__text_start, (uintptr_t)__text_end, pt_hyp_attrs(true, false, true));
	map(&pt, (uintptr_t)__rodata_start, (uintptr_t)__rodata_end,
	    pt_hyp_attrs(true, false, false));
	map(&pt, (uintptr_t)__rodata_end, hyp_top, ram);
	map(&pt, hyp_top, PLAT_RAM_BASE + PLAT_RAM_SIZE, ram);
	hyp_pt_root_pa = pt.root_pa;
}
