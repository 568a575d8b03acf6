/*
 * Calls from guests (smccc.c, psci.c): the SMC Calling Convention entry for
 * HVC and trapped SMC, PSCI, and Tessera's own calls (abi/hypercall.h).
 */
#ifndef TESSERA_HYP_HYPERCALL_H
#define TESSERA_HYP_HYPERCALL_H

#include "hyp/arch/regs.h"
#include "tessera/types.h"

struct vcpu;

/*
 * A call from this CPU's vCPU: r0 = function ID, r1-r3 arguments; results in r0-r3.  No
 * argument can make it fault.
 */
void smccc_dispatch(struct regs *r);

/* The trap table's handler for HVC (HSR.EC 0x12): smccc_dispatch, counted. */
void smccc_trap_hvc(struct regs *r, u32 hsr);

/* A PSCI call (owner: standard service); returns the PSCI status for r0. */
s32 psci_call(struct vcpu *v, struct regs *r, u32 fid);

#endif /* TESSERA_HYP_HYPERCALL_H */
