/*
 * Stage 1 MMU: a flat (VA == IPA) map with the short-descriptor format, 1 MiB sections
 * (ARM ARM B3.5.1), so that RAM is normal cacheable memory.
 *
 * With the MMU off every data access is Strongly-ordered (B3.2.1): slow on hardware, and an
 * unaligned access faults there, which newlib's memcpy makes.  Map: below 0x40000000 shareable
 * Device memory, never executable (the QEMU virt device area); from 0x40000000 normal memory,
 * inner and outer write-back write-allocate, shareable, read/write at PL1 and PL0.  Channel
 * regions the device tree places below 0x40000000 are mapped normal too, so that both sides of
 * a channel use the same attributes.
 *
 * Cache state at entry is the boot contract of design.md: the image is clean to the point of
 * coherency and no stale lines cover the partition's RAM (as for Linux).  Table walks are
 * non-cacheable (TTBR0.IRGN/RGN = 0): the table, written with the MMU off, is never changed
 * afterwards.
 */
#include <string.h>

#include "guest.h"

#include "internal.h"

#define SECTION_SHIFT 20U
#define SECTION_COUNT 4096U
#define DEVICE_LIMIT 0x40000000U

/* Section descriptor fields (B3.5.1, figure B3-4). */
#define SECT_TYPE BIT(1)
#define SECT_B BIT(2)
#define SECT_C BIT(3)
#define SECT_XN BIT(4)
#define SECT_AP_RW (0x3U << 10) /* AP[2:0] = 0b011: read/write, PL0 and PL1 */
#define SECT_TEX(x) ((uint32_t)(x) << 12)
#define SECT_S BIT(16)

/* Normal, write-back write-allocate inner and outer: TEX = 0b001, C = 1, B = 1 (B3.8.2). */
#define SECT_NORMAL (SECT_TYPE | SECT_TEX(1) | SECT_C | SECT_B | SECT_S | SECT_AP_RW)
/* Shareable Device: TEX = 0b000, C = 0, B = 1. */
#define SECT_DEVICE (SECT_TYPE | SECT_B | SECT_XN | SECT_AP_RW)

/* DACR: domain 0 client, accesses checked against the descriptors (B4.1.43). */
#define DACR_D0_CLIENT 0x1U

static uint32_t l1_table[SECTION_COUNT] __attribute__((aligned(16384)));
static bool table_ready;

static void map_normal(uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	uint64_t a;

	if (size == 0 || base >= BIT64(32))
		return;
	if (end > BIT64(32))
		end = BIT64(32);
	for (a = base & ~(uint64_t)GENMASK(19, 0); a < end; a += BIT(SECTION_SHIFT))
		l1_table[a >> SECTION_SHIFT] = (uint32_t)a | SECT_NORMAL;
}

static void build_table(void)
{
	const struct fdt *fdt = guest_fdt();
	uint32_t i;

	for (i = 0; i < SECTION_COUNT; i++) {
		uint32_t va = i << SECTION_SHIFT;

		l1_table[i] = va | (va < DEVICE_LIMIT ? SECT_DEVICE : SECT_NORMAL);
	}
	if (fdt) {
		struct fdt_channel ch;
		uint32_t n;
		int node = 0, depth = 0;

		for (n = 0; fdt_channel(fdt, n, &ch); n++)
			map_normal(ch.ipa, ch.size);
		/* Every memory node is normal memory, wherever it is (RAM or XIP below 1 GiB). */
		while ((node = fdt_next_node(fdt, node, &depth)) >= 0) {
			const char *type = fdt_getprop_string(fdt, node, "device_type");
			uint64_t base, size;

			if (depth != 1 || !type || strcmp(type, "memory") != 0)
				continue;
			for (n = 0; fdt_reg(fdt, node, n, &base, &size); n++)
				map_normal(base, size);
		}
	}
	table_ready = true;
}

/* Promises: the MMU and caches are on with l1_table (built by the boot CPU). */
static void turn_on(void)
{
	uint32_t sctlr;

	dsb_sy();
	write_ttbcr(0); /* short descriptors, TTBR0 for the whole address space */
	write_ttbr0((uint32_t)(uintptr_t)l1_table);
	write_dacr(DACR_D0_CLIENT);
	write_tlbiall(0);
	write_iciallu(0);
	write_bpiall(0);
	dsb_sy();
	isb();
	sctlr = read_sctlr();
	sctlr &= ~(SCTLR_A | SCTLR_TRE | SCTLR_AFE);
	sctlr |= SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z;
	write_sctlr(sctlr);
	isb();
}

void mmu_enable(void)
{
	if (mmu_is_enabled())
		return;
	build_table();
	turn_on();
}

void mmu_enable_secondary(void)
{
	if (table_ready && !mmu_is_enabled())
		turn_on();
}

bool mmu_is_enabled(void)
{
	return (read_sctlr() & SCTLR_M) != 0;
}
