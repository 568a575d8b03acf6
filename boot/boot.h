/*
 * The boot/ interface: what the reset path leaves for the rest of the
 * hypervisor, and the cache and MMU helpers it owns.
 */
#ifndef TESSERA_BOOT_H
#define TESSERA_BOOT_H

#include <stdnoreturn.h>

#include "tessera/types.h"

/* Device tree address the boot loader passed in r2 (0 from QEMU's ELF loader). */
extern uintptr_t boot_dtb;

/* Linker-script symbols: the hypervisor image and its reserved region. */
extern char __hyp_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __hyp_end[], __hyp_reserved_end[];

/*
 * entry.S calls these: the boot CPU, each secondary, and a boot CPU that is not in Hyp mode or
 * was entered with the Hyp MMU or D-cache on.
 */
void boot_main(u32 cpu);
void boot_secondary_main(u32 cpu);
void boot_refuse_not_hyp(u32 cpsr);
void boot_refuse_caches_on(u32 hsctlr);
/* entry.S, MMU off: reads the RAM the boot loader's device tree gives (boot/fdt_ram.h). */
void boot_read_ram(void);
/* entry.S: where a secondary CPU starts (PSCI CPU_ON). */
extern void secondary_entry(void);

/* mmu.c: the Hyp stage-1 tables, built on the boot CPU before its MMU is on. */
void mmu_build_tables(void);

/* Write to the UART directly, waiting for room: for before the console exists. */
void boot_puts(const char *s);

/* entry.S: this CPU stops for good, interrupts masked (a refused boot). */
noreturn void boot_halt(void);

#endif /* TESSERA_BOOT_H */
