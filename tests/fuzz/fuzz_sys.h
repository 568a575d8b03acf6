/*
 * A whole Tessera system on the host, for the fuzz targets that reach the
 * hypervisor through its trap entry points: the real hyp/, mm/ and vgic/
 * code on the fake architecture (tests/fake), booted with the fake
 * configuration (tests/fake/fake_config.h), four physical CPUs that each run
 * their partition's vCPU or sit in the idle loop.
 *
 * The test plays the guests and the hardware: it sets the syndrome registers
 * and the trap frame of a CPU and calls the trap handler, raises physical
 * interrupts, acknowledges and completes virtual ones through the fake GICV,
 * and answers the guests' address translations from its own table.  After
 * every step sys_check() tests the hypervisor's invariants (list registers
 * against the vGIC's books, partition and vCPU state, memory outside the
 * partitions untouched) and aborts on a violation.
 */
#ifndef TESSERA_FUZZ_SYS_H
#define TESSERA_FUZZ_SYS_H

#include "../fake/fake_arch.h"
#include "../fake/fake_config.h"
#include "../fake/fake_platform.h"
#include "../unit/fake_gic.h"
#include "fuzz_input.h"

#define SYS_CPUS FAKE_CPU_COUNT
#define SYS_ATS_MAX 16

enum sys_cpu_state { SYS_IDLE, SYS_GUEST, SYS_OFFLINE /* never came up at boot */ };

/* A guest stage-1 mapping the fuzz input made: ATS of a VA in this page gives 'par'. */
struct sys_ats {
	u32 va_page;
	u64 par;
	bool stage1_only; /* answers ATS1CPR (IPA), else ATS12NSO* (PA) */
};

struct sys {
	enum sys_cpu_state state[SYS_CPUS];
	struct sys_ats ats[SYS_ATS_MAX];
	u32 ats_count;
	bool console_used; /* console input sent: the monitor's state is to be left clean */
	u32 steps;
};

extern struct sys sys;

/*
 * Boot afresh: every global of the hypervisor cleared, the fake hardware
 * reset with 'lr_count' list registers per CPU, each partition given its
 * fault policy, then boot as the hypervisor does, until every CPU runs its
 * guest or idles.
 */
void sys_reset(u32 lr_count, const u32 policy[CFG_PARTITION_COUNT]);

/* CPUs the next sys_reset() leaves offline, as if U-Boot never started them (then 0). */
extern u32 sys_offline_cpus;

/* The next sys_reset() finds the image store's copy of the image corrupt (then false). */
extern bool sys_store_corrupt;

/* The next sys_reset() gives channel 0's ends doorbell GPIOs (fake_config_use_gpio; then false). */
extern bool sys_gpio;

/* Called by the next sys_reset() after partitions_init(), before any CPU acts (then NULL). */
extern void (*sys_after_init)(void);

/*
 * Configure the whole system (list registers, fault policies, doorbell GPIOs) from the
 * input.
 */
void sys_reset_from(struct fin *f);

/* The vCPU a CPU runs, if it is in its guest; NULL if it idles. */
struct vcpu *sys_guest_vcpu(u32 cpu);

/*
 * Run fn(frame of 'cpu') as the hypervisor on 'cpu', as an exception entry:
 * whether it returns (to the guest) or leaves through a noreturn path, the
 * CPU ends in its guest or asleep in the idle loop.
 */
void sys_enter(u32 cpu, void (*fn)(struct regs *));

/* The hypervisor's entry points, on 'cpu' (which must be in its guest for the first three). */
void sys_trap(u32 cpu);
void sys_irq(u32 cpu);
void sys_async_abort(u32 cpu);
void sys_idle(u32 cpu);

/* CPU takes its pending interrupt: in its guest (sys_irq), or waking its idle loop (sys_idle). */
void sys_interrupt(u32 cpu);

/* Deliver what is pending (IPIs, device interrupts, requests) until nothing is. */
void sys_settle(void);

/* Invariants; aborts with a message on a violation. */
void sys_check(void);

/* End of an input: settle, check, and leave process-wide state (the console) clean. */
void sys_finish(void);

/* The PA an ATS operation on 'cpu' gives the guest for 'va' (~0 if it faults), as the test answers it. */
u64 sys_translate(u32 cpu, const char *op, u32 va);

/* Physical registers a trap reads, on 'cpu'. */
void sys_set_trap_regs(u32 cpu, u32 hsr, u32 far, u32 hpfar, u32 elr, u32 spsr);

/* A guest stage-1 mapping from the input: the answer to later ATS of a page. */
void sys_add_ats(struct fin *f);

/* One step a fuzz input can ask for on some CPU; the targets share it. */
void sys_step(struct fin *f, u32 cpu, u32 kind);
#define SYS_STEP_KINDS 8

/* Frequently useful values: guest modes for SPSR, interesting INTIDs. */
u32 sys_guest_spsr(struct fin *f);
u32 sys_pick_intid(struct fin *f);

#endif /* TESSERA_FUZZ_SYS_H */
