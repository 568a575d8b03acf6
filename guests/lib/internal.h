/*
 * Private interface between the parts of guests/lib: entry points called from start.S and
 * state recorded at reset.  Not for guests: they include guest.h.
 */
#ifndef GUEST_INTERNAL_H
#define GUEST_INTERNAL_H

#include <stdint.h>

#include "guest.h"

/* Written by start.S before guest_c_start(). */
extern uintptr_t guest_boot_r2_value;
extern uint32_t guest_boot_in_hyp;
extern uint64_t guest_boot_count_value;

/* Called from start.S. */
void guest_c_start(void);
void guest_c_secondary(uint32_t context);
void exc_dispatch(struct exc_frame *frame, uint32_t kind);
struct exc_frame *irq_dispatch(struct exc_frame *frame);

/* Raw console output that takes no lock (exception reports, panics). */
void guest_raw_puts(const char *s);

/* syscalls.c: the heap starts empty. */
void guest_syscalls_init(void);

/* mmu.c: turn the MMU on on a secondary CPU with the boot CPU's table. */
void mmu_enable_secondary(void);

#endif /* GUEST_INTERNAL_H */
