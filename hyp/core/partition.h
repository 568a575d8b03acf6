/*
 * Partitions and their vCPUs (partition.c, vcpu.c): the state the
 * configuration describes, brought to life, stopped and restarted.
 *
 * Lock order: partition.lock, then vgic locks, then the console lock.
 * Lifecycle calls may come from any CPU; stopping takes effect as each vCPU
 * parks on its own CPU.
 */
#ifndef TESSERA_HYP_PARTITION_H
#define TESSERA_HYP_PARTITION_H

#include <stdnoreturn.h>

#include "abi/config.h"
#include "abi/hypercall.h"
#include "arch/spinlock.h"
#include "config_gen.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/dev/vuart.h"
#include "mm/mm.h"
#include "tessera/types.h"
#include "vgic/vgic.h"

enum vcpu_power { VCPU_OFF, VCPU_ON };

struct vcpu {
	struct partition *part;
	u32 index; /* vCPU number in the partition = its MPIDR Aff0 */
	u32 cpu; /* the physical CPU it owns */
	u32 power; /* enum vcpu_power: ON from CPU_ON/start until it parks */
	bool start_pending; /* ON, but not yet entered */
	u32 start_pc;
	u32 start_r0;
	u32 start_r1;
	u32 start_r2;
	struct vgic_cpu vgic;
};

enum partition_state {
	PART_STOPPED, /* not running; can be started */
	PART_RUNNING,
	PART_HALTED, /* stopped for good: its restart bound was exceeded */
};

#define RESTART_HISTORY CFG_RESTART_MAX

/*
 * The most a partition's load clears, copies or cleans before its CPU next looks at its
 * requests and serves the console (partition.c, serve_flush_requests): the longest stretch
 * of that work with interrupts masked.  The host tests make it small (tests/fuzz/fuzz.mk).
 */
#ifndef PARTITION_LOAD_CHUNK
#define PARTITION_LOAD_CHUNK (1U << 20)
#endif

/*
 * The same for the boot check's hashing, which costs some 35 instructions a byte against a
 * clear's fraction of one: 32 KiB is about 1 ms on a 1 GHz core, under the 1.4 ms a 16-byte
 * receive FIFO holds at 115200 baud (1 MiB would be 37 ms).
 */
#ifndef PARTITION_HASH_STEP
#define PARTITION_HASH_STEP (32U << 10)
#endif

enum images_verdict { IMAGES_PENDING, IMAGES_OK, IMAGES_BAD };

/* When the last RESTART_HISTORY restarts of one kind happened ('count' of them ever). */
struct restart_history {
	u64 at[RESTART_HISTORY];
	u32 count;
};

struct partition {
	spinlock_t lock; /* first: &p->lock is p, no address to compute at each lock site */
	const struct cfg_partition *cfg;
	bool restart_pending;
	bool loading;
	bool parking; /* its last vCPU is off, partition_vcpu_parked() not done: no start yet */
	bool stop_after_load; /* stopped while loading: it stays stopped */
	bool switched_off; /* stopped by its own PSCI SYSTEM_OFF (since its last start) */
	bool denied_told; /* a refused manager call was logged (once) */
	bool busy_told; /* a refused manager start or restart was logged (until one goes through) */
	bool cannot_run; /* a CPU of it never came up, or an image failed its check */
	bool share_checked; /* its boot CPU hashed its share of its images' chunks */
	bool ram_wb; /* its cleared RAM is write-back in the Hyp map: loaded once (load_memory) */
	u32 state; /* enum partition_state */
	u32 entries_told; /* vCPUs whose first entry of this run was logged, a bit each */
	u32 vcpus_on; /* vCPUs with power ON */
	u32 gicd_hpfar; /* the emulated pages' IPAs as HPFAR reports them (IPA[39:12] << 4) */
	u32 uart_hpfar;
	u32 images_verdict; /* IMAGES_*: its images in the store against their SHA-256 */
	u32 starts; /* times it was started since boot */
	u32 faults; /* guest faults since boot, logged or not */
	const char *last_fault; /* what the last one was, or NULL */
	struct vcpu *vcpus[CFG_CPU_MAX];
	struct vgic_cpu *vgics[CFG_CPU_MAX]; /* &vcpus[i]->vgic, as vgic_dist_init() takes them */
	struct ratelimit fault_rl;
	u64 started_at; /* counter value at its last start */
	u64 watchdog_deadline; /* when its watchdog fires; ~0 until the first kick of a run */
	struct vmid vmid;
	struct pt s2;
	struct vgic_dist vgic;
	struct vuart vuart;
	struct restart_history restarts; /* fault restarts */
	struct restart_history resets; /* guest-requested restarts (SYSTEM_RESET) */
	struct restart_history commands; /* a manager's starts and restarts, never forgotten */
};

extern struct partition partitions[];

/* Ring the peer of channel end e (DOORBELL_RING, or a doorbell GPIO's output line). */
void partition_ring(const struct cfg_endpoint *e);

/*
 * Build every partition's tables and state (boot CPU), then have each partition's own boot
 * CPU check its images and start it, all in parallel (partition_boot).
 */
void partitions_init(void);

/*
 * The first start of p, on its boot CPU: its share of its images' chunks hashed, then, once
 * every chunk is checked (its CPU is asked back: CPU_REQ_PART_BOOT), partition_start().
 */
void partition_boot(struct partition *p);

/* Lifecycle; callable from any CPU.  Stopping takes effect as each vCPU parks. */
void partition_start(struct partition *p);
void partition_stop(struct partition *p, const char *why);

/* What the monitor lists and a manager reads (TESSERA_STATE_*, abi/hypercall.h). */
struct partition_info {
	u32 state;
	u32 starts;
	u32 faults;
	u32 uptime_ms; /* 0 unless running */
	u32 restarts_left; /* fault restarts its restart-limit allows now */
};
void partition_info(struct partition *p, struct partition_info *out);

/*
 * The operator's (console monitor, manager NULL) or a manager partition's
 * TESSERA_PARTITION_STOP, _START or _RESTART; a halted partition may be started again, its
 * restart and reset histories forgotten.  A manager's starts and restarts are bounded by p's
 * reset-limit in a history of their own that nothing clears: TESSERA_BUSY past it.
 */
s32 partition_command(struct partition *p, u32 op, const char *who,
		      const struct partition *manager);

#if CFG_WATCHDOG_COUNT
/* The partition's watchdog (TESSERA_FID_WATCHDOG_KICK): arm or push back its deadline. */
s32 partition_watchdog_kick(struct partition *p);

/* The Hyp timer on a CPU of p: has its watchdog fired?  Returns when to look again (~0: never). */
u64 partition_watchdog_check(struct partition *p, u64 now);
#else
/* No partition of this system has a watchdog (tcfg counts them): its code is left out. */
static inline s32 partition_watchdog_kick(struct partition *p)
{
	(void)p;
	return TESSERA_NOT_SUPPORTED; /* as for a partition without one */
}

static inline u64 partition_watchdog_check(struct partition *p, u64 now)
{
	(void)p, (void)now;
	return ~0ULL;
}
#endif

/* A fault under the restart policy: restart within the configured bound, else halt. */
void partition_fault_restart(struct partition *p);

/* PSCI SYSTEM_RESET from a guest: restart within the configured bound, else halt. */
void partition_reset(struct partition *p);

/* The last of p's vCPUs has parked (vcpu.c): finish a stop or restart. */
void partition_vcpu_parked(struct partition *p);

/* CPU_ON for a vCPU of p; returns a PSCI status. */
s32 partition_vcpu_on(struct partition *p, u32 index, u32 pc, u32 context);

/* Stop the calling vCPU now (CPU_OFF, or its partition stopping); never returns. */
noreturn void vcpu_park(struct vcpu *v);

/* Enter the guest for a vCPU that has start_pending set, on its own CPU; never returns. */
noreturn void vcpu_start(struct vcpu *v);

/* Act on this CPU's requests: refill list registers, load the VMID, park... */
void vcpu_handle_requests(struct cpu *c, struct vcpu *v);

/* Before every return to a guest: anything to do is a request bit (see vcpu.c). */
static inline void vcpu_before_entry(struct vcpu *v)
{
	struct cpu *c = this_cpu();

	if (__builtin_expect(__atomic_load_n(&c->requests, __ATOMIC_RELAXED) != 0, 0))
		vcpu_handle_requests(c, v);
}

#endif /* TESSERA_HYP_PARTITION_H */
