/*
 * The RAM the boot loader's device tree describes, against the RAM this build uses.
 *
 * A build is for one RAM size (platform.h PLAT_RAM_BASE/SIZE, platform.dts /memory): on a
 * board with less, the hypervisor's map, the image store and partitions' memory would lie
 * over RAM that is not there, or (the H3's DRAM controller aliases a smaller DRAM across
 * its window) over the hypervisor's own memory.  U-Boot's bootm writes the RAM it found
 * into the /memory node of the device tree it passes in r2; the boot reads it with the
 * MMU still off and refuses to go on if it does not cover the build's RAM.
 */
#ifndef TESSERA_BOOT_FDT_RAM_H
#define TESSERA_BOOT_FDT_RAM_H

#include "tessera/types.h"

/* Bytes of a device tree the check reads at most (U-Boot's control trees are tens of KiB). */
#define FDT_RAM_MAX_SIZE 0x100000U

enum fdt_ram_result {
	FDT_RAM_COVERED, /* the tree's memory covers [base, base + size) */
	FDT_RAM_SHORT, /* it does not: 'covered_end' says how far it goes from base */
	FDT_RAM_NO_TREE, /* no device tree, or not one this check can read */
	FDT_RAM_NO_MEMORY, /* a device tree without a memory node with a reg */
};

struct fdt_ram_info {
	u64 covered_end; /* RAM from base up to here is in the tree's memory (base if none) */
	u32 bank_count; /* memory ranges the tree gives (every reg entry of its memory nodes) */
	u64 first_base, first_size; /* the first of them (set only when bank_count > 0) */
};

/*
 * Read the flattened device tree at 'fdt' (4-byte aligned; its first FDT_RAM_MAX_SIZE bytes at
 * most, where its blocks must lie, whatever free space follows them; only aligned loads are
 * made, words and bytes, as with the MMU off) and say whether its memory nodes cover
 * [base, base + size).
 */
enum fdt_ram_result fdt_ram_check(const void *fdt, u64 base, u64 size, struct fdt_ram_info *info);

#endif /* TESSERA_BOOT_FDT_RAM_H */
