/*
 * Per-partition stage-2 translation tables (ARM ARM B3.6, B4.1.159-160).
 *
 * Built once at boot from the configuration, from a static pool whose size
 * the config compiler computed by running this same builder; afterwards they
 * never change.  The hypervisor's memory, the GIC hypervisor interface and
 * every address not in a partition's regions stay unmapped for it.
 */
#include "mm/mm.h"
#include "arch/armv7.h"

#ifndef CFG_S2_TABLE_COUNT
#include "config_gen.h"
#endif

enum pt_err s2_build(struct pt *pt, struct pt_alloc *alloc, const struct cfg_partition *cfg)
{
	const struct cfg_region *r = cfg->regions, *end = r + cfg->region_count;
	enum pt_err err = pt_init(pt, alloc);

	for (; r < end && err == PT_OK; r++)
		err = pt_map(pt, r->ipa, r->pa, r->size, r->s2_attrs);
	return err;
}

u32 s2_vtcr(void)
{
	return VTCR_RES1 | VTCR_SL0_L1 | TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA;
}

#ifdef __arm__
#include "arch/sysreg.h"

static pte_t s2_tables[CFG_S2_TABLE_COUNT][LPAE_ENTRIES] __attribute__((aligned(LPAE_PAGE_SIZE)));
static struct pt_pool s2_tables_pool = PT_POOL(s2_tables); /* the hypervisor maps RAM 1:1 */

struct pt_alloc *s2_pool(void)
{
	return &s2_tables_pool.ops;
}

u32 s2_pool_used(void)
{
	return s2_tables_pool.used;
}

u32 s2_pool_size(void)
{
	return CFG_S2_TABLE_COUNT;
}

u64 hyp_pt_root_pa;
struct pt hyp_pt;

void hyp_map_cacheable(u64 pa, u64 size)
{
	u64 wb = pt_hyp_attrs(true, true, false);
	u32 va = (u32)pa, bytes = (u32)size; /* partition RAM: inside the board's, below 4 GiB */

	/*
	 * Break before make (B3.10.1): a change of memory type or shareability goes through an
	 * invalid descriptor and a TLB invalidation that reaches every CPU (the tables are
	 * shared), or two CPUs' TLBs could hold both kinds of entry at once.  Nothing reads or
	 * writes the range meanwhile: its partition does not run yet.  The tables are Normal
	 * write-back, walked inner shareable write-back (HTCR): a DSB makes a store visible to the
	 * walks (B3.10.1, "Ordering of translation table changes").
	 */
	pt_update(&hyp_pt, va, bytes, LPAE_VALID, 0);
	dsb_ish();
	write_tlbiallhis(0);
	dsb_ish();
	pt_update(&hyp_pt, va, bytes, LPAE_ATTR_MASK, wb | LPAE_VALID);
	dsb_ish();
	isb();
}

void tlb_flush_guest_local(void)
{
	dsb_ish();
	write_tlbiallnsnh(0);
	write_iciallu(0);
	write_bpiall(0);
	dsb_ish();
	isb();
}
#endif
