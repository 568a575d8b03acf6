/*
 * The boot/ interface: what the reset path leaves for the rest of the
 * hypervisor, and the cache and MMU helpers it owns.
 */
#ifndef TESSERA_BOOT_H
#define TESSERA_BOOT_H

#include "../hyp/types.h"

/* Device tree address the boot loader passed in r2 (0 from QEMU's ELF loader). */
extern uintptr_t boot_dtb;

/* Linker-script symbols: the hypervisor image and its reserved region. */
extern char __hyp_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __bss_start[], __bss_end[], __hyp_end[], __hyp_reserved_end[];

/* Physical address of the Hyp stage-1 root table (HTTBR), set by mmu_build_tables. */
extern u64 hyp_pt_root_pa;

/* Cache maintenance by VA to the Point of Coherency over [start, end) (boot/cache.S). */
void dcache_clean_range(uintptr_t start, uintptr_t end);
void mem_zero(void *start, size_t bytes); /* bytes: a multiple of 64 */
void dcache_inval_range(uintptr_t start, uintptr_t end);

/* Write to the UART directly, waiting for room: for before the console exists. */
void boot_puts(const char *s);

/* Time since reset from the physical counter, for timeouts and rate limits. */
u64 boot_counter(void);
u64 boot_ms_to_ticks(u32 ms);

#endif /* TESSERA_BOOT_H */
