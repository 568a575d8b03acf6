/*
 * The hypervisor's own stage-1 map (Hyp regime, HTTBR): an identity map of the
 * board's MMIO and RAM, cut at the hypervisor's sections and at the holes the
 * configuration makes, and how many tables it can take.
 */
#ifndef TESSERA_HYP_MAP_H
#define TESSERA_HYP_MAP_H

#include "abi/config.h"
#include "config_gen.h"
#include "mm/pt.h"
#include "platform.h"

/* A piece of the map: [start, end) with its attributes; an empty range maps nothing. */
struct hyp_range {
	uintptr_t start, end;
	u64 attrs;
};

#define HYP_DEVICE PT_HYP_ATTRS(false, true, false)
#define HYP_RAM PT_HYP_ATTRS(true, true, false)

/* Edges of the hypervisor's sections a map may cut at (boot/mmu.c, hyp_ranges). */
#define HYP_MAP_IMAGE_EDGES 6

#define HYP_MAP_GIB (1ULL << 30)
#define HYP_MAP_GIBS(base, size) (((base) + (size)-1) / HYP_MAP_GIB - (base) / HYP_MAP_GIB + 1)

/*
 * The tables the map takes at most (mm/pt.c): the root; a level-2 table for each GiB
 * of MMIO and of RAM; a level-3 table for each 2 MiB block an edge cuts, of the
 * hypervisor's sections or of a hole: the image store and each partition's cleared
 * RAM, whose blocks tcfg counts (CFG_HYP_HOLE_BLOCKS).  The MMIO and RAM ranges
 * themselves start and end on 2 MiB blocks (boot/mmu.c asserts it).
 */
#define HYP_PT_POOL_PAGES                                                                          \
	(1 + HYP_MAP_GIBS(PLAT_MMIO_BASE, PLAT_MMIO_SIZE) +                                        \
	 HYP_MAP_GIBS(PLAT_RAM_BASE, PLAT_RAM_SIZE) + HYP_MAP_IMAGE_EDGES + CFG_HYP_HOLE_BLOCKS)

/*
 * Map each of 'ranges' (lowest first, 'count' of them) at VA == PA into 'pt'; the
 * writable RAM ones (HYP_RAM) are cut at the holes: the image store, read-only, and
 * each partition's cleared RAM, Normal non-cacheable until its first load.
 */
enum pt_err hyp_map_build(struct pt *pt, const struct hyp_range *ranges, u32 count);

#endif /* TESSERA_HYP_MAP_H */
