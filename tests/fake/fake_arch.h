/*
 * The fake architecture layer for host builds of the hypervisor (Hafnium's
 * arch/fake): compiled with -DTESSERA_HOST_FAKE, include/arch/sysreg.h and hyp/core/cpu.h
 * declare their accessors as ordinary functions, and this layer defines them
 * over a fake register file, one per fake physical CPU.
 *
 * Everything the hypervisor reaches through inline assembly or a hardware
 * address is here or in fake_platform.c: CP15 and banked registers, ELR_hyp
 * and SPSR, barriers, WFI, address translation (ATS*, answered by a hook the
 * test supplies, so guest stage-1 tables come from the fuzz input), the
 * counter, and the noreturn ways out of the hypervisor (entering a guest,
 * sleeping in the idle loop), which return to the test through longjmp.
 */
#ifndef TESSERA_FAKE_ARCH_H
#define TESSERA_FAKE_ARCH_H

#include <setjmp.h>

#include "hyp/arch/inject.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/mmio.h"
#include "hyp/dev/vuart.h"

#define FAKE_CPU_COUNT PLAT_CPU_COUNT
#define FAKE_TICKS_PER_MS 1000ULL /* CNTFRQ of the fake counter: 1 MHz */

/* Everything zero, CPU 0 current, time 0, no translation hook. */
void fake_arch_reset(void);

/* The physical CPU the hypervisor runs on (this_cpu(), the register file). */
void fake_arch_set_cpu(u32 cpu);
u32 fake_arch_cpu(void);

/*
 * A register of the current CPU (or of 'cpu') by accessor name: "hsr",
 * "par", "elr_hyp", "spsr", "SP_svc", "r8_fiq", ...  Valid until the next
 * fake_arch_reset().
 */
u64 *fake_reg(const char *name);
u64 *fake_reg_on(u32 cpu, const char *name);

/*
 * Address translation: an ATS1CPR, ATS12NSOPR or ATS12NSOPW write of 'va' on
 * 'cpu' leaves the returned value in that CPU's PAR (64-bit format).  Without
 * a hook every translation faults (PAR.F).
 */
typedef u64 (*fake_ats_fn)(u32 cpu, const char *op, u32 va);
void fake_arch_set_ats(fake_ats_fn fn);

/* Cache geometry the set/way checks read: CLIDR and CCSIDR per level (CSSELR). */
void fake_arch_set_caches(u32 clidr, const u32 ccsidr[7]);

/* The physical counter (CNTPCT), advanced only by the test. */
void fake_time_advance(u64 ticks);
u64 fake_time(void);

/*
 * Leaving the hypervisor.  The test sets an exit point with setjmp() before
 * it calls into the hypervisor; hyp_enter_guest() (a vCPU enters its guest)
 * and wfi() in the idle loop with nothing pending (the CPU sleeps) longjmp
 * there with FAKE_EXIT_GUEST or FAKE_EXIT_IDLE.  A plain return from a trap
 * handler is a return to the guest too.
 */
enum fake_exit { FAKE_EXIT_NONE, FAKE_EXIT_GUEST, FAKE_EXIT_IDLE };
extern jmp_buf *fake_exit_point;
noreturn void fake_exit(enum fake_exit how);

/* Does this CPU have an interrupt waiting (wfi() returns rather than sleep)?  fake_platform.c. */
bool fake_irq_waiting(u32 cpu);

/* Counters of what the fake saw, for tests. */
struct fake_arch_stats {
	u32 ats; /* address translations */
	u32 dccisw; /* set/way clean+invalidate operations performed */
	u32 tlbi; /* TLB invalidations */
	u32 guest_entries;
	u32 broadcast_inval; /* ICIALLUIS and BPIALLIS: every CPU's I-cache or branch predictor */
	u32 local_inval[FAKE_CPU_COUNT]; /* a CPU's own (tlb_flush_guest_local: ICIALLU, BPIALL) */
};
extern struct fake_arch_stats fake_arch_stats;

#endif /* TESSERA_FAKE_ARCH_H */
