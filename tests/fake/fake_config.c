/*
 * The fake system of fake_config.h: what tools/tcfg would generate for it,
 * written by hand, with guest RAM mapped at its physical addresses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_config.h"

#define P0_RAM FAKE_P0_RAM_PA
#define P1_RAM FAKE_P1_RAM_PA
#define P1_RO FAKE_P1_RO_PA
#define P2_RAM FAKE_P2_RAM_PA
#define P2_RAM_SIZE 0x3000
#define SHARED FAKE_SHARED_PA
#define GICV_REGION                                                                                \
	{                                                                                          \
		.pa = PLAT_GICV_BASE, .ipa = 0x08010000, .size = 0x2000,                           \
		.access = CFG_ACCESS_R | CFG_ACCESS_W, .kind = CFG_REGION_GICV                     \
	}
#define RWX (CFG_ACCESS_R | CFG_ACCESS_W | CFG_ACCESS_X)

static const u8 image[16] = { 0xfe, 0xff, 0xff, 0xea }; /* b . */
static const u8 dtb[64] = { 0xd0, 0x0d, 0xfe, 0xed };

static const struct cfg_region p0_regions[] = {
	{ .pa = P0_RAM,
	  .ipa = FAKE_GUEST_RAM_IPA,
	  .size = FAKE_PART_RAM_SIZE,
	  .access = RWX,
	  .kind = CFG_REGION_RAM,
	  .flags = CFG_REGION_CLEAR },
	{ .pa = SHARED,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W,
	  .kind = CFG_REGION_SHARED },
	{ .pa = FAKE_DEVICE_PA,
	  .ipa = 0x0a000000,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W,
	  .kind = CFG_REGION_DEVICE },
	GICV_REGION,
};

static const struct cfg_region p1_regions[] = {
	{ .pa = P1_RAM,
	  .ipa = FAKE_GUEST_RAM_IPA,
	  .size = FAKE_PART_RAM_SIZE,
	  .access = RWX,
	  .kind = CFG_REGION_RAM,
	  .flags = CFG_REGION_CLEAR },
	{ .pa = P1_RO,
	  .ipa = FAKE_RO_IPA,
	  .size = 0x2000,
	  .access = CFG_ACCESS_R,
	  .kind = CFG_REGION_RAM,
	  .flags = CFG_REGION_CLEAR },
	{ .pa = SHARED,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R,
	  .kind = CFG_REGION_SHARED },
	GICV_REGION,
};

static const struct cfg_region p2_regions[] = {
	{ .pa = P2_RAM,
	  .ipa = FAKE_GUEST_RAM_IPA,
	  .size = P2_RAM_SIZE,
	  .access = RWX,
	  .kind = CFG_REGION_RAM,
	  .flags = CFG_REGION_CLEAR },
	GICV_REGION,
};

/* The image's SHA-256: one chunk (CFG_CHUNK_MIN) holds it whole. */
static const u8 image_chunks[1][32] = { {
	0xef, 0xf9, 0x5d, 0x8f, 0x19, 0x03, 0x17, 0xc0, 0xa0, 0x39, 0xf1,
	0x2f, 0x4e, 0xc6, 0x60, 0x7c, 0x19, 0x72, 0x14, 0x5a, 0xe7, 0x31,
	0x80, 0xb8, 0x4d, 0x2b, 0x17, 0x49, 0xb8, 0x43, 0x5d, 0x19,
} };

/* The image's copy in the store (fake_config_reset puts it there). */
#define IMAGE(ram)                                                                                 \
	{                                                                                          \
		.name = "loop.bin", .store_pa = FAKE_STORE_PA, .pa = (ram),                        \
		.ipa = FAKE_GUEST_RAM_IPA, .size = sizeof(image), .file = 0,                       \
		.chunk_size = CFG_CHUNK_MIN, .chunk_count = 1, .chunk_sha256 = image_chunks,       \
		.loaders = 0x7 /* every partition loads it */                                      \
	}
static const struct cfg_image p0_images[] = { IMAGE(P0_RAM) };
static const struct cfg_image p1_images[] = { IMAGE(P1_RAM) };
static const struct cfg_image p2_images[] = { IMAGE(P2_RAM) };

/*
 * What the starts clear (tcfg's clear plan): the CLEAR regions whole, the image having no
 * whole 64-byte line.
 */
static const struct cfg_range p0_clears[] = { { P0_RAM, FAKE_PART_RAM_SIZE } };
static const struct cfg_range p1_clears[] = { { P1_RAM, FAKE_PART_RAM_SIZE }, { P1_RO, 0x2000 } };
static const struct cfg_range p2_clears[] = { { P2_RAM, P2_RAM_SIZE } };

static const struct cfg_irq p0_irqs[] = { { 40 }, { 41 } };
static const struct cfg_irq p1_irqs[] = { { 42 } };

static const struct cfg_endpoint p0_endpoints[] = {
	{ .channel = 0,
	  .peer = 1,
	  .irq = 50,
	  .peer_irq = 51,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W },
};
static const struct cfg_endpoint p1_endpoints[] = {
	{ .channel = 0,
	  .peer = 0,
	  .irq = 51,
	  .peer_irq = 50,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R },
};

/*
 * The same ends with a doorbell GPIO each (fake_config_use_gpio): an emulated PL061 at
 * FAKE_GPIO_IPA whose interrupt is the end's doorbell INTID, as tcfg lays out a channel
 * whose ends name doorbell-pl061.
 */
static const struct cfg_endpoint p0_gpio_endpoints[] = {
	{ .channel = 0,
	  .peer = 1,
	  .irq = 50,
	  .peer_irq = 51,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R | CFG_ACCESS_W,
	  .gpio = 1,
	  .peer_gpio = 2,
	  .gpio_ipa = FAKE_GPIO_IPA },
};
static const struct cfg_endpoint p1_gpio_endpoints[] = {
	{ .channel = 0,
	  .peer = 0,
	  .irq = 51,
	  .peer_irq = 50,
	  .ipa = FAKE_SHARED_IPA,
	  .size = 0x1000,
	  .access = CFG_ACCESS_R,
	  .gpio = 2,
	  .peer_gpio = 1,
	  .gpio_ipa = FAKE_GPIO_IPA },
};

#define PARTITION(n, label, ram, ram_size, virqs, count, cpu_text, ...)                            \
	{                                                                                          \
		.name = label, .id = n, .tag = "partition " #n " (" label ")", .cpu_count = count, \
		.cpus = { __VA_ARGS__ }, .cpu_list = cpu_text, .entry = FAKE_GUEST_RAM_IPA,        \
		.dtb_ipa = FAKE_GUEST_RAM_IPA + (ram_size)-0x1000,                                 \
		.dtb_pa = (ram) + (ram_size)-0x1000, .dtb = dtb, .dtb_size = sizeof(dtb),          \
		.regions = p##n##_regions, .region_count = ARRAY_SIZE(p##n##_regions),             \
		.images = p##n##_images, .image_count = 1, .clears = p##n##_clears,                \
		.clear_count = ARRAY_SIZE(p##n##_clears), .gicd_ipa = 0x08000000,                  \
		.gicc_ipa = 0x08010000, .uart_ipa = 0x09000000, .uart_irq = 33,                    \
		.gicd_hpfar = 0x08000000 >> 8, .uart_hpfar = 0x09000000 >> 8, .virq_count = virqs, \
		.s2_table_count = 4, .reset_max = CFG_RESET_MAX_DEFAULT,                           \
		.reset_window_ms = CFG_RESET_WINDOW_MS_DEFAULT                                     \
	}

static const struct cfg_partition defaults[CFG_PARTITION_COUNT] = {
	PARTITION(0, "alpha", P0_RAM, FAKE_PART_RAM_SIZE, 64, 1, "0", 0),
	PARTITION(1, "beta", P1_RAM, FAKE_PART_RAM_SIZE, 96, 2, "1,2", 1, 2),
	PARTITION(2, "gamma", P2_RAM, P2_RAM_SIZE, 64, 1, "3", 3),
};

static struct cfg_partition parts[CFG_PARTITION_COUNT];

static const struct cfg_channel channels[] = {
	{ .name = "link", .pa = SHARED, .size = 0x1000, .partition = { 0, 1 } },
};

const struct cfg_system cfg_system = {
	.name = "fake",
	.platform = PLAT_NAME,
	.partitions = parts,
	.partition_count = CFG_PARTITION_COUNT,
	.channels = channels,
	.channel_count = ARRAY_SIZE(channels),
	.console_partition = 0,
	.s2_table_count = 12,
	.store_pa = FAKE_STORE_PA,
	.store_size = 0x1000,
};

static u8 *ram;

void fake_config_reset(void)
{
	if (!ram) {
		void *p = mmap((void *)(uintptr_t)FAKE_RAM_PA, FAKE_RAM_SIZE,
			       PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

		if (p != (void *)(uintptr_t)FAKE_RAM_PA) {
			fprintf(stderr, "fake_config: cannot map guest RAM at 0x%llx\n",
				FAKE_RAM_PA);
			abort();
		}
		ram = p;
	}
	memset(ram, 0, FAKE_RAM_SIZE);
	memcpy(ram + (FAKE_STORE_PA - FAKE_RAM_PA), image, sizeof(image));
	memcpy(parts, defaults, sizeof(parts));
	parts[0].irqs = p0_irqs;
	parts[0].irq_count = ARRAY_SIZE(p0_irqs);
	parts[0].endpoints = p0_endpoints;
	parts[0].endpoint_count = ARRAY_SIZE(p0_endpoints);
	parts[1].irqs = p1_irqs;
	parts[1].irq_count = ARRAY_SIZE(p1_irqs);
	parts[1].endpoints = p1_endpoints;
	parts[1].endpoint_count = ARRAY_SIZE(p1_endpoints);
	parts[0].manages = BIT(2); /* alpha manages gamma */
	parts[2].watchdog_ms = 100;
}

void fake_config_set_policy(u32 partition, u32 policy, u32 restart_max, u32 window_ms)
{
	parts[partition].fault_policy = policy;
	parts[partition].restart_max = restart_max;
	parts[partition].restart_window_ms = window_ms;
}

void fake_config_use_gpio(void)
{
	parts[0].endpoints = p0_gpio_endpoints;
	parts[1].endpoints = p1_gpio_endpoints;
}

struct cfg_partition *fake_config_partition(u32 partition)
{
	return &parts[partition];
}

u8 *fake_ram(u64 pa, u64 len)
{
	if (pa < FAKE_RAM_PA || pa - FAKE_RAM_PA > FAKE_RAM_SIZE ||
	    len > FAKE_RAM_SIZE - (pa - FAKE_RAM_PA))
		return NULL;
	return ram + (pa - FAKE_RAM_PA);
}
