/*
 * Allwinner H3 boards (Orange Pi PC / Plus, NanoPi NEO; QEMU -M orangepi-pc):
 * 4x Cortex-A7, GIC-400, DRAM from 0x40000000, booted by U-Boot (SPL at 8 KiB
 * on the SD card), which also provides PSCI from secure SRAM A2 (0x44000).
 *
 * Addresses from the H3 datasheet (memory map, GIC-400 at 0x01C80000) and
 * QEMU's hw/arm/allwinner-h3.c; the same facts for tcfg are in platform.dts,
 * and the generated configuration asserts that both agree.
 */
#ifndef TESSERA_PLATFORM_ALLWINNER_H3_H
#define TESSERA_PLATFORM_ALLWINNER_H3_H

#define PLAT_NAME "allwinner-h3"
#define PLAT_CPU_COUNT 4

/*
 * RAM the hypervisor uses: 512 MiB from 0x40000000, so one image runs on the
 * 512 MiB NanoPi NEO as on the 1 GiB Orange Pi PC (whose upper 512 MiB stay
 * unused).  A 256 MiB NEO needs PLAT_RAM_SIZE and platform.dts's /memory halved,
 * and the image store moved below 0x50000000 (platform.dts's default window, or
 * a system's own image-store node).  The boot reads the RAM U-Boot found from the
 * device tree it passes and refuses to start a system that does not fit in it
 * (boot/fdt_ram.h): the H3's DRAM controller repeats a smaller DRAM across its window.
 */
#define PLAT_RAM_BASE 0x40000000ULL
#define PLAT_RAM_SIZE 0x20000000ULL
#define PLAT_HYP_BASE 0x48000000 /* where the linker places the image */
#define PLAT_HYP_SIZE 0x01000000

/* GIC-400: GICD at +0x1000, GICC +0x2000, GICH +0x4000, GICV +0x6000. */
#define PLAT_GICD_BASE 0x01C81000ULL
#define PLAT_GICC_BASE 0x01C82000ULL
#define PLAT_GICH_BASE 0x01C84000ULL
#define PLAT_GICV_BASE 0x01C86000ULL
#define PLAT_GIC_MAINT_IRQ 25

/* UART0, the debug console: a 16550 (DesignWare APB UART), SPI 0. */
#define PLAT_UART_BASE 0x01C28000ULL
#define PLAT_UART_IRQ 32
#define PLAT_UART_REG_SHIFT 2 /* 32-bit registers, 4 bytes apart */

/*
 * MMIO the hypervisor maps for itself, as Device memory: the H3's peripheral
 * block 0x01C00000-0x01FFFFFF (UART0, the GIC, and the rest of the SoC's
 * devices).  Not the boot ROM or the SRAMs: secure SRAM A2 holds U-Boot's PSCI.
 */
/*
 * The QEMU GIC workaround of platform/qemu-virt/platform.h applies to QEMU's
 * orangepi-pc machine too.  A real board's GIC-400 does not need it and does
 * not get it: the tick runs only where QEMU's GIC is identified at boot.
 */
#ifndef PLAT_GIC_REPOKE_MS
#define PLAT_GIC_REPOKE_MS 1
#endif

#define PLAT_MMIO_BASE 0x01C00000ULL
#define PLAT_MMIO_SIZE 0x00400000ULL

#endif /* TESSERA_PLATFORM_ALLWINNER_H3_H */
