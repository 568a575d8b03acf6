/*
 * The static system description, as compiled into the image.
 *
 * tools/tcfg reads a system description (configs/<name>.dts, compiled to a
 * DTB) and the board description (platform/<board>/platform.dts), validates
 * them, and generates C tables of the types below (build/.../gen/config.c).
 * This header is the contract between the two: the hypervisor only ever reads
 * these tables, and nothing here changes after boot.
 *
 * All addresses are in bytes; every region is 4 KiB aligned in base and size
 * (tcfg refuses anything else).
 */
#ifndef TESSERA_CONFIG_H
#define TESSERA_CONFIG_H

#include "tessera/types.h"

#define CFG_NAME_MAX 16 /* including the NUL */
#define CFG_CPU_MAX 8 /* physical CPUs a platform may have */

/* Access rights of a region, as granted by stage 2 (ARM ARM B3.6.3). */
#define CFG_ACCESS_R 0x1U
#define CFG_ACCESS_W 0x2U
#define CFG_ACCESS_X 0x4U

enum cfg_region_kind {
	CFG_REGION_RAM, /* Normal write-back memory owned by the partition */
	CFG_REGION_SHARED, /* Normal write-back memory of a channel */
	CFG_REGION_DEVICE, /* Device-nGnRE: a passthrough device */
	CFG_REGION_GICV, /* Device: the GIC virtual CPU interface, at the guest's GICC */
	/*
	 * Normal non-cacheable memory of a channel one of whose ends is a doorbell GPIO (a
	 * Linux end reaching it through /dev/mem, which maps it Strongly-ordered): stage 2
	 * makes the other end non-cacheable too, whatever its stage 1 says, so neither side's
	 * data waits in a cache the other does not look in (mm/pt.c, pt_s2_attrs).
	 */
	CFG_REGION_SHARED_NC,
};

/* Region flags. */
#define CFG_REGION_CLEAR 0x1U /* zeroed whenever the partition (re)starts */

struct cfg_region {
	u64 pa;
	u64 ipa;
	u64 size;
	u32 access; /* CFG_ACCESS_* */
	u32 kind; /* enum cfg_region_kind */
	u32 flags; /* CFG_REGION_* */
	u64 s2_attrs; /* its stage-2 descriptor attributes: LPAE_S2_ATTRS(kind, access) (tcfg) */
};

/*
 * A guest image: its pristine copy lies in the image store (physical memory
 * only the hypervisor maps, outside its own region: cfg_system.store_pa),
 * placed there by the boot loader (QEMU's generic loader, U-Boot's FIT
 * loadables).  Before the partition's first start the hypervisor checks the
 * copy against 'chunk_sha256' (tcfg computed it from the image file; the
 * whole file's SHA-256 is in images.txt); at every start it copies 'size'
 * bytes from 'store_pa' to 'pa' (inside one of the partition's RAM regions,
 * which tcfg checks).
 *
 * The file is checked in 'chunk_count' chunks of 'chunk_size' bytes (the
 * last one shorter), each against its own SHA-256, so that the boot CPUs of
 * every partition that loads it share the work (hyp/core/partition.c).  tcfg
 * cuts a file into CFG_CHUNK_COUNT chunks of a multiple of 64 bytes (SHA-256
 * blocks: the padding comes once a chunk), none below CFG_CHUNK_MIN bytes:
 * 16 chunks share evenly among 1, 2, 4, 8 or 16 CPUs.
 */
#define CFG_CHUNK_COUNT 16U
#define CFG_CHUNK_MIN 4096U /* a chunk's padding block and call: about 1.5% more */

struct cfg_image {
	const char *name; /* the image's file name, for messages */
	u64 store_pa;
	u64 pa;
	u64 ipa;
	u32 size;
	u32 file; /* the store's file number: the images of one file share it */
	u32 chunk_size;
	u32 chunk_count;
	const u8 (*chunk_sha256)[32]; /* one SHA-256 for each chunk */
	u32 loaders; /* bit n: partition n loads this file (who shares its chunks) */
	bool repeat; /* an earlier image of the same partition is this file: checked there */
};

/*
 * A range of a partition's RAM its (re)starts clear: the cleared regions less each image's
 * whole 64-byte lines (mem_zero's granule), which the image's copy overwrites (tcfg).
 */
struct cfg_range {
	u64 pa;
	u64 size;
};

/* A physical interrupt passed through to a partition: virtual INTID == physical INTID. */
struct cfg_irq {
	u16 intid;
};

/*
 * One end of a channel, seen from the partition that owns it: ringing the
 * doorbell of channel 'id' raises 'peer_irq' in partition 'peer'.
 *
 * An end with a doorbell GPIO (gpio != 0: an emulated PL061 at gpio_ipa,
 * state vgpios[gpio - 1]) takes the peer's rings as edges on its input
 * line, 'irq' being the PL061's interrupt, and rings the peer when its output
 * line is written 1.  A ring towards a peer with one (peer_gpio) goes
 * through the peer's PL061, which raises peer_irq only if the line's
 * interrupt is enabled.
 */
struct cfg_endpoint {
	u32 channel; /* index in cfg_system.channels */
	u32 peer; /* partition index of the other end */
	u16 irq; /* virtual INTID raised in this partition by the peer */
	u16 peer_irq; /* virtual INTID raised in the peer by this partition */
	u64 ipa; /* where the shared memory is mapped in this partition */
	u64 size;
	u32 access; /* CFG_ACCESS_* for this partition */
	u16 gpio; /* 0: none; else 1 + its index in vgpios (hyp/dev/vgpio.h) */
	u16 peer_gpio; /* the same for the peer's end */
	u64 gpio_ipa; /* the emulated PL061's page, if gpio != 0 */
};

/* restart-limit and reset-limit: at most this many restarts per window (a history kept). */
#define CFG_RESTART_MAX 16
/* reset-limit when the description gives none: 10 SYSTEM_RESETs within 1000 ms. */
#define CFG_RESET_MAX_DEFAULT 10
#define CFG_RESET_WINDOW_MS_DEFAULT 1000

/* watchdog = <ms>: at most an hour. */
#define CFG_WATCHDOG_MAX_MS 3600000U

enum cfg_fault_policy {
	CFG_FAULT_STOP, /* stop every CPU of the partition */
	CFG_FAULT_RESTART, /* restart it, at most restart_max times in restart_window_ms */
	CFG_FAULT_INJECT, /* inject a synchronous external abort into the guest */
};

struct cfg_partition {
	/*
	 * The name, the counts and pointers, then the 64-bit addresses: Thumb-2's 16-bit loads
	 * reach 124 bytes (word) and 62 (halfword) from their base.
	 */
	char name[CFG_NAME_MAX];
	u32 id;
	const char *tag; /* "partition <id> (<name>)": how the hypervisor's log names it */

	/* Physical CPU indices; cpus[0] runs the boot vCPU (vCPU 0). */
	u32 cpu_count;
	u8 cpus[CFG_CPU_MAX];

	u16 uart_irq; /* its virtual INTID */
	u16 virq_count; /* INTIDs the partition's distributor reports: multiple of 32 */

	const u8 *dtb;
	u32 dtb_size;

	/* Every mapping of the partition's stage 2, shared memory and GICV included. */
	const struct cfg_region *regions;
	u32 region_count;

	const struct cfg_image *images;
	u32 image_count;

	const struct cfg_range *clears; /* what a (re)start clears, in address order */
	u32 clear_count;

	const struct cfg_irq *irqs; /* passthrough */
	u32 irq_count;

	const struct cfg_endpoint *endpoints;
	u32 endpoint_count;

	/* gicd_ipa and uart_ipa as HPFAR reports them, IPA[39:12] in [31:4] (B4.1.70): tcfg */
	u32 gicd_hpfar;
	u32 uart_hpfar;

	u32 fault_policy; /* enum cfg_fault_policy */
	u32 restart_max; /* 1..CFG_RESTART_MAX */
	u32 restart_window_ms;
	/* Restarts the guest asks for (PSCI SYSTEM_RESET): at most reset_max in the window. */
	u32 reset_max; /* 1..CFG_RESTART_MAX */
	u32 reset_window_ms;

	u32 watchdog_ms; /* health watchdog timeout, 0: none (TESSERA_FID_WATCHDOG_KICK) */
	u32 manages; /* bit n: may query, stop, start and restart partition n (never itself) */
	/*
	 * Console lines in the order the UART gets the bytes, one line buffer for all its vCPUs:
	 * for a guest whose driver serializes its output and whose processes move between CPUs
	 * (Linux: tcfg sets it for a kernel partition).  Otherwise each vCPU has a line of its own,
	 * so two vCPUs printing at once never mix (hyp/dev/vuart.c).
	 */
	u32 console_device_order;

	/* Stage-2 tables this partition needs, as counted by tcfg with mm/pt.c. */
	u32 s2_table_count;

	u64 entry; /* IPA of the first instruction, entered in SVC mode */
	u64 dtb_ipa; /* where the partition's device tree is placed; r2 at entry */
	u64 dtb_pa;

	/* The virtual machine layout: emulated (trapped) devices. */
	u64 gicd_ipa; /* emulated distributor, 4 KiB */
	u64 gicc_ipa; /* GICV mapped here (also a CFG_REGION_GICV region) */
	u64 uart_ipa; /* emulated PL011, 4 KiB */

	const char *cpu_list; /* cpus as the console monitor lists them: "1,2" */
};

struct cfg_channel {
	char name[CFG_NAME_MAX];
	u64 pa;
	u64 size;
	u32 partition[2];
};

struct cfg_system {
	const char *name; /* the system description's file name */
	const char *platform; /* must equal the built platform's name */
	const struct cfg_partition *partitions;
	u32 partition_count;
	const struct cfg_channel *channels;
	u32 channel_count;
	u32 console_partition; /* partition that owns console input at boot */
	u32 s2_table_count; /* sum over partitions: size of the stage-2 pool */
	/* The image store: every distinct image once, each at a 4 KiB boundary. */
	u64 store_pa;
	u64 store_size;
	/*
	 * Every partition's cleared RAM (CFG_REGION_RAM with CFG_REGION_CLEAR), in one list: the
	 * Hyp map keeps it Normal non-cacheable until its partition's first load (boot/mmu.c).
	 */
	const struct cfg_range *cleared_ram;
	u32 cleared_ram_count;
};

extern const struct cfg_system cfg_system;

#endif /* TESSERA_CONFIG_H */
