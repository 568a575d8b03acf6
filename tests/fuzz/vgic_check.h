/*
 * Invariants of the virtual GIC that every fuzz target checks after each
 * step: the list registers of a physical CPU (tests/unit/fake_gic.c) agree
 * with the books of the vCPU it runs (vgic/vgic.h), and an interrupt the
 * books place in a list register is there.  Each check aborts with a message
 * on a violation (FUZZ_CHECK).
 */
#ifndef TESSERA_VGIC_CHECK_H
#define TESSERA_VGIC_CHECK_H

#include "../unit/fake_gic.h"

/* The LRs of 'pcpu' against 'vc' (NULL: the CPU runs no vCPU, so no LR may be live). */
void vgic_check_lrs(u32 pcpu, const struct vgic_dist *d, const struct vgic_cpu *vc);

/*
 * Every SPI of 'd' that claims a list register is in that vCPU's books; the distributor's
 * mirrored words (vgicd_read_word) read as the flags say.
 */
void vgic_check_spis(const struct vgic_dist *d);

/*
 * No lost wake-up: right after 'vc' was flushed (or had nothing to flush) on
 * 'pcpu', no interrupt it could take waits while a list register is empty,
 * and one that waits has the underflow maintenance interrupt armed to bring
 * the CPU back (with two list registers or more).
 */
void vgic_check_waiting(u32 pcpu, const struct vgic_dist *d, const struct vgic_cpu *vc);

#endif
