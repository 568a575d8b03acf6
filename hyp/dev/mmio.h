/*
 * Emulated device pages (mmio.c, the hot path at -O2; mmio_emulate.c, the rest): a stage-2
 * translation fault on the partition's distributor, PL011 or doorbell PL061 page, decoded
 * from the syndrome (ARM ARM B3.13.6, ISV = 1) and handed to the device's emulation.
 */
#ifndef TESSERA_HYP_MMIO_H
#define TESSERA_HYP_MMIO_H

#include "hyp/arch/hsr.h"
#include "hyp/arch/regs.h"
#include "tessera/types.h"

struct vcpu;

#define EMULATED_PAGE 0x1000U

enum mmio_device { MMIO_NONE, MMIO_GICD, MMIO_UART };

/*
 * Emulate an access to an emulated device page; false if ipa is not one.  For a stage-2
 * translation fault: 'ipa' is HPFAR's page and HDFAR's offset (fault_ipa), which the
 * emulation reads again.
 */
bool mmio_abort(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa);

/* The data abort trap (hyp/core/trap.c's table, by HSR.EC): emulated pages first. */
void mmio_trap_dabt(struct regs *r, u32 hsr);

/*
 * An access to the distributor's or the PL011's page that mmio_trap_dabt's fast paths did
 * not take: emulated, or refused with a guest fault.  Cold: the fast paths' callers lay
 * their code out for the common case (make bench).
 */
__attribute__((cold)) void mmio_emulate(struct vcpu *v, struct regs *r, u32 hsr,
					enum mmio_device device);

/* A data abort the hypervisor does not emulate: the partition's fault policy. */
void mmio_fault(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa, u32 va, const char *what);

/* An emulated-device access, as a data abort's syndrome describes it. */
struct mmio_access {
	u32 offset;
	u32 size; /* bytes: 1, 2 or 4 */
	bool write;
	bool sign_extend;
	u32 reg;
};

/* Decode the syndrome; false if it does not describe the access (ISV = 0, PC, doubleword). */
static inline bool mmio_decode(u32 hsr, u32 offset, struct mmio_access *a)
{
	u32 sas = (hsr & HSR_DABT_SAS_MASK) >> HSR_DABT_SAS_SHIFT;

	a->reg = (hsr & HSR_DABT_SRT_MASK) >> HSR_DABT_SRT_SHIFT;
	if (!(hsr & HSR_DABT_ISV) || sas == 3 || a->reg == 15)
		return false; /* not described; a doubleword; or the PC: never emulated */
	a->offset = offset;
	a->size = 1U << sas;
	a->write = hsr & HSR_DABT_WNR;
	a->sign_extend = hsr & HSR_DABT_SSE;
	return true;
}

/* The value a load of 'size' bytes leaves in its register (zero- or sign-extended). */
static inline u32 mmio_load_value(u32 value, u32 size, bool sign_extend)
{
	u32 shift = 32 - size * 8; /* the bits above the access's */

	/* GCC's >> of a negative int is arithmetic (GCC manual 4.5): the sign bit spreads. */
	return sign_extend ? (u32)((s32)(value << shift) >> shift) : value << shift >> shift;
}

#endif /* TESSERA_HYP_MMIO_H */
