/*
 * QEMU "virt" (-M virt,virtualization=on,gic-version=2 -cpu cortex-a15).
 *
 * Addresses from QEMU's hw/arm/virt.c memory map; the same facts for tcfg
 * are in platform.dts, and the generated configuration asserts that both agree.
 */
#ifndef TESSERA_PLATFORM_QEMU_VIRT_H
#define TESSERA_PLATFORM_QEMU_VIRT_H

#define PLAT_NAME "qemu-virt"
#define PLAT_CPU_COUNT 4

#define PLAT_RAM_BASE 0x40000000ULL
#define PLAT_RAM_SIZE 0x40000000ULL
#define PLAT_HYP_BASE 0x48000000 /* where the linker places the image */
#define PLAT_HYP_SIZE 0x01000000

#define PLAT_GICD_BASE 0x08000000ULL
#define PLAT_GICC_BASE 0x08010000ULL
#define PLAT_GICH_BASE 0x08030000ULL
#define PLAT_GICV_BASE 0x08040000ULL
#define PLAT_GIC_MAINT_IRQ 25

#define PLAT_UART_BASE 0x09000000ULL
#define PLAT_UART_IRQ 33

/*
 * QEMU's GICv2 model does not re-evaluate a physical interrupt after a guest
 * deactivates it through a list register with the HW bit: one that became
 * pending again meanwhile (a timer re-armed late) is never signalled until
 * something else touches the GIC.  Real GICs do not need this; under QEMU a
 * periodic Hyp-timer interrupt on CPUs that run guests is that "something".
 * This is its period: the tick runs only where vgic/gic.c identifies QEMU's
 * GIC at boot, unless GIC_REPOKE_MS=<ms> on the make command line forces it
 * (0: never).
 */
#ifndef PLAT_GIC_REPOKE_MS
#define PLAT_GIC_REPOKE_MS 1
#endif

/* MMIO the hypervisor maps for itself: everything below RAM, as Device memory. */
#define PLAT_MMIO_BASE 0x00000000ULL
#define PLAT_MMIO_SIZE 0x40000000ULL

#endif /* TESSERA_PLATFORM_QEMU_VIRT_H */
