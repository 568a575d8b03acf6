/*
 * LPAE translation table descriptor format (ARM ARM B3.6, "Long-descriptor
 * translation table format"), for the 4 KiB granule.
 *
 * Level 1 entries map 1 GiB, level 2 entries 2 MiB, level 3 entries 4 KiB.
 * A 32-bit input address space (T0SZ = 0) starts at level 1 with a 4-entry
 * table; tables at levels 2 and 3 have 512 entries.
 */
#ifndef TESSERA_LPAE_H
#define TESSERA_LPAE_H

#include "tessera/bits.h"

#define LPAE_PAGE_SHIFT 12
#define LPAE_PAGE_SIZE (1U << LPAE_PAGE_SHIFT)
#define LPAE_ENTRIES 512U
#define LPAE_L1_SHIFT 30 /* 1 GiB */
#define LPAE_L2_SHIFT 21 /* 2 MiB */
#define LPAE_L3_SHIFT 12 /* 4 KiB */
#define LPAE_ROOT_ENTRIES 4U /* level 1 with T0SZ = 0 */

/* Descriptor type, bits[1:0] (B3.6.1). */
#define LPAE_VALID BIT64(0)
#define LPAE_TYPE_TABLE BIT64(1) /* at levels 1 and 2; 0 there means block */
#define LPAE_TYPE_PAGE BIT64(1) /* at level 3 a valid entry must have it set */
#define LPAE_ADDR_MASK GENMASK64(39, 12)

/* Lower attributes of block and page descriptors (B3.6.2). */
#define LPAE_ATTRINDX(n) ((u64)(n) << 2) /* stage 1: index into (H)MAIR */
#define LPAE_S2_MEMATTR(n) ((u64)(n) << 2) /* stage 2: MemAttr[3:0] */
#define LPAE_AP_RO BIT64(7) /* stage 1 AP[2]: read-only */
#define LPAE_AP_SBO BIT64(6) /* stage 1 AP[1]: SBO in the Hyp regime (B3.6.3) */
#define LPAE_S2_HAP_R BIT64(6) /* stage 2 HAP[1]: read */
#define LPAE_S2_HAP_W BIT64(7) /* stage 2 HAP[2]: write */
#define LPAE_SH_OUTER (2ULL << 8)
#define LPAE_SH_INNER (3ULL << 8)
#define LPAE_SH_MASK (3ULL << 8)
#define LPAE_ATTRINDX_MASK (7ULL << 2)
#define LPAE_AF BIT64(10)

/* Upper attributes. */
#define LPAE_XN BIT64(54)

#define LPAE_ATTR_MASK (GENMASK64(11, 2) | GENMASK64(63, 52))

/*
 * Stage-2 MemAttr[3:0] (B3.6.5): [3:2] outer, [1:0] inner; 0b00 in [3:2]
 * selects Strongly-ordered (00) or Device (01) memory.
 */
#define S2_MEMATTR_DEVICE 0x1U
#define S2_MEMATTR_NORMAL_NC 0x5U /* outer and inner non-cacheable */
#define S2_MEMATTR_NORMAL_WB 0xfU

/* HMAIR0 attribute indices used by the hypervisor's own stage 1 (B4.1.104). */
#define HMAIR_IDX_DEVICE 0 /* 0x04: Device memory */
#define HMAIR_IDX_NORMAL 1 /* 0xff: Normal, inner/outer write-back write-allocate */
#define HMAIR_IDX_NORMAL_NC 2 /* 0x44: Normal, inner/outer non-cacheable */
#define HMAIR0_VALUE 0x0044ff04

/*
 * A partition's stage-2 descriptor attributes for a region of kind 'kind' (enum
 * cfg_region_kind) and access 'access' (CFG_ACCESS_*, abi/config.h, which the user
 * includes): a constant expression, so that tcfg works it out at build time
 * (cfg_region.s2_attrs) and mm/pt.c's pt_s2_attrs() states the same rule.
 *
 * A channel with a Linux end (CFG_REGION_SHARED_NC): stage 2 overlays the guest's stage 1,
 * the more restrictive type and cacheability win, so a guest's Normal write-back becomes
 * Normal non-cacheable and Linux's Strongly-ordered stays so (DDI 0406C.c B3-1376, combining
 * stage 1 and stage 2 attributes); Normal non-cacheable must be Outer Shareable or its
 * shareability is UNPREDICTABLE (B3-1377).  Channels are never executable (tcfg refuses "x").
 * RAM and shared memory: Normal write-back, executable if "x".  Never execute from a device
 * (B3.7.2: speculative fetches).
 */
#define LPAE_S2_ATTRS(kind, access)                                                                \
	(LPAE_AF | (((access)&CFG_ACCESS_R) ? LPAE_S2_HAP_R : 0) |                                 \
	 (((access)&CFG_ACCESS_W) ? LPAE_S2_HAP_W : 0) |                                           \
	 ((kind) == CFG_REGION_SHARED_NC ?                                                         \
		  LPAE_S2_MEMATTR(S2_MEMATTR_NORMAL_NC) | LPAE_SH_OUTER | LPAE_XN :                \
	  (kind) == CFG_REGION_RAM || (kind) == CFG_REGION_SHARED ?                                \
		  LPAE_S2_MEMATTR(S2_MEMATTR_NORMAL_WB) | LPAE_SH_INNER |                          \
			  (((access)&CFG_ACCESS_X) ? 0 : LPAE_XN) :                                \
		  LPAE_S2_MEMATTR(S2_MEMATTR_DEVICE) | LPAE_XN))

#endif /* TESSERA_LPAE_H */
