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

static void map(struct pt *pt, u64 start, u64 end, u64 attrs)
{
	if (end > start && pt_map(pt, start, start, end - start, attrs) != PT_OK)
		early_fail("tessera: cannot build the Hyp stage-1 tables\n");
}

/*
 * RAM in [start, end), but the image store read-only: the hypervisor only ever reads it
 * (hashes it at boot, copies from it at each start), and what it holds is what every restart
 * reloads, so no stray write of the hypervisor's may change it (HAP[2:1], ARM ARM B3.6.1).
 */
static void map_ram(struct pt *pt, u64 start, u64 end, u64 ram)
{
	u64 s = MAX(start, MIN(cfg_system.store_pa, end));
	u64 e = MAX(s, MIN(cfg_system.store_pa + cfg_system.store_size, end));

	map(pt, start, s, ram);
	map(pt, s, e, pt_hyp_attrs(true, false, false));
	map(pt, e, end, ram);
}

void mmu_build_tables(void)
{
	struct pt pt;
	u64 ram = pt_hyp_attrs(true, true, false);
	u64 hyp_base = (uintptr_t)__hyp_start, hyp_top = (uintptr_t)__hyp_reserved_end;

	if (pt_init(&pt, &hyp_alloc) != PT_OK)
		early_fail("tessera: no memory for the Hyp stage-1 tables\n");

	map(&pt, PLAT_MMIO_BASE, PLAT_MMIO_BASE + PLAT_MMIO_SIZE, pt_hyp_attrs(false, true, false));
	map_ram(&pt, PLAT_RAM_BASE, hyp_base, ram);
	map(&pt, (uintptr_t)__text_start, (uintptr_t)__text_end, pt_hyp_attrs(true, false, true));
	map(&pt, (uintptr_t)__rodata_start, (uintptr_t)__rodata_end,
	    pt_hyp_attrs(true, false, false));
	map(&pt, (uintptr_t)__rodata_end, hyp_top, ram);
	map_ram(&pt, hyp_top, PLAT_RAM_BASE + PLAT_RAM_SIZE, ram);
	hyp_pt_root_pa = pt.root_pa;
}
