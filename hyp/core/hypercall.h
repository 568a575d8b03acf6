/*
 * Calls from guests (smccc.c, hypercall.c, psci.c): the SMC Calling Convention entry for
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

/*
 * Tessera's calls no measured path takes (hypercall.c), each returning the value for r0;
 * 'v' is the calling vCPU, 'r' its registers where the call returns more than r0.
 */
s32 hypercall_console_write(struct vcpu *v, u32 va, u32 len);
s32 hypercall_partition_name(struct vcpu *v, u32 va, u32 size);
s32 hypercall_channel_info(struct vcpu *v, struct regs *r, u32 index);
s32 hypercall_partition_id(struct vcpu *v, struct regs *r);
s32 hypercall_cpu_stats(struct regs *r);
s32 hypercall_manage(struct vcpu *v, struct regs *r, u32 target, bool control);

/* A PSCI call (owner: standard service); returns the PSCI status for r0. */
s32 psci_call(struct vcpu *v, struct regs *r, u32 fid);

#endif /* TESSERA_HYP_HYPERCALL_H */
