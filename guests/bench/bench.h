/*
 * The bench guest's timed primitives (bench_asm.S) and what they share with bench.c.
 *
 * Each primitive reads CNTVCT (after an ISB), does one operation, reads CNTVCT again (after an
 * ISB) and returns the difference: with QEMU's -icount shift=0 and CNTFRQ = 1 GHz the counter
 * advances once per executed instruction, in every mode, so the result is the path length of
 * the operation plus the fixed cost of the measurement itself (bench_null()).
 */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

/* Empty measurement: the cost of the two counter reads around nothing. */
uint32_t bench_null(void);
/* HVC #0 with r0 = fid (SMCCC; on bare hardware the library's Hyp stub returns at once). */
uint32_t bench_hvc(uint32_t fid);
/* Xen: HVC #0xEA1 with r12 = 17 (xen_version), r0 = XENVER_version, r1 = NULL. */
uint32_t bench_xen_version(void);
/* One 32-bit load from a device register. */
uint32_t bench_read32(uintptr_t addr);
/* One 32-bit or 8-bit store to a device register. */
uint32_t bench_write32(uintptr_t addr, uint32_t value);
uint32_t bench_write8(uintptr_t addr, uint32_t value);
/* CNTPCT - CNTVCT, the offset between the physical and the virtual count. */
uint64_t bench_counter_offset(void);
/* MRC of ACTLR (trapped by HCR.TAC under a hypervisor). */
uint32_t bench_actlr(void);

/*
 * Store value at addr (an SGI to GICD_SGIR) or make an HVC with r0 = fid, r1 = a1 (a doorbell),
 * then WFI at once (IRQs masked by the caller); return the counter read just before the store
 * or HVC.  Under QEMU's single-threaded -icount another CPU runs only while this one is
 * halted: halting hands the simulation to the receiver.
 */
uint64_t bench_write32_wfi(uintptr_t addr, uint32_t value);
uint64_t bench_hvc_wfi(uint32_t fid, uint32_t a1);

/* The bench guest's vector table: the library's, except that IRQ reads CNTVCT first. */
extern const uint32_t bench_vectors[];
/* CNTVCT as read in the IRQ vector, per CPU (MPIDR.Aff0 & 3). */
extern volatile uint64_t bench_irq_stamps[4];
/* The zImage header words (at image offset 0x24), for a check at run time. */
extern const uint32_t bench_zimage_magic[];
/* The library's vector table: the start of the image. */
extern const uint32_t guest_vectors[];

#define BENCH_ZIMAGE_MAGIC 0x016f2818U
#define BENCH_ZIMAGE_MAGIC_OFFSET 0x24U

#endif /* BENCH_H */
