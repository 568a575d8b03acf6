/*
 * VMID allocation, the way the original KVM/ARM design did it: VMIDs are
 * handed out consecutively, round-robin, to partitions as they are run; a
 * partition keeps its VMID while its generation is current.  When the VMID
 * space is used up, the generation advances: every CPU must invalidate its
 * non-secure non-Hyp TLB entries, I-cache and branch predictor for the new
 * generation, and no CPU enters a guest under a new-generation VMID until all
 * online CPUs have done so.  CPUs are brought along with a flush request (an
 * IPI), never by waiting on something a guest controls.
 *
 * The logic here has no hardware access: the caller supplies the local flush
 * and the flush request, so the host tests can model-check it.
 */
#ifndef TESSERA_VMID_H
#define TESSERA_VMID_H

#include "arch/spinlock.h"
#include "tessera/types.h"

#define VMID_CPU_MAX 8
#define VMID_INVALID_GEN 0

struct vmid_ops {
	void (*flush_local)(u32 cpu); /* TLBIALLNSNH, ICIALLU, BPIALL on this CPU */
	void (*request_flush)(u32 cpu); /* ask another CPU to flush (IPI) */
	/*
	 * Optional observers, called with the allocator's lock held: a lock all
	 * partitions share, so they may only record (never log, never wait for a
	 * device).  The hypervisor leaves them NULL; the host tests record.
	 */
	void (*assigned)(u32 owner, u32 vmid, u64 generation);
	void (*wrapped)(u64 generation);
};

struct vmid_alloc {
	spinlock_t lock;
	u32 bits; /* VMID width: 1..8 */
	u32 next; /* next VMID to hand out; 0 is never used */
	u64 generation;
	u32 cpu_count;
	u32 online; /* mask of CPUs that take part */
	u64 flushed[VMID_CPU_MAX]; /* the generation each CPU last flushed for */
	u64 ready; /* the generation every online CPU has flushed for */
	const struct vmid_ops *ops;
};

/* A partition's VMID: valid while 'generation' equals the allocator's. */
struct vmid {
	u64 generation;
	u32 id;
	u32 owner; /* partition ID, for the log */
};

void vmid_init(struct vmid_alloc *a, u32 bits, u32 cpu_count, const struct vmid_ops *ops);

/* Mark a CPU as taking part (it must flush on every generation change). */
void vmid_cpu_online(struct vmid_alloc *a, u32 cpu);

/*
 * A CPU leaves for a long job in the hypervisor (clearing and reloading a
 * partition's memory): until vmid_cpu_online() it enters no guest, so no other
 * CPU waits for its flush; vmid_cpu_online() flushes it for any generation it
 * missed before it may enter a guest again.  Its caller must then take the
 * entry path's vmid_prepare_entry() (a stale VMID of its own is renewed there).
 */
void vmid_cpu_offline(struct vmid_alloc *a, u32 cpu);

/*
 * A CPU stops for good (a panic, hyp/core/panic.c): it never flushes again, so it leaves as
 * vmid_cpu_offline() does, or the next generation change would keep every other CPU from
 * entering its guest for ever.  The lock is only tried, at most 'tries' times more: the CPU
 * may have stopped while holding it.  True if it left.
 */
bool vmid_cpu_stop(struct vmid_alloc *a, u32 cpu, u32 tries);

/*
 * Give 'v' the next VMID now (a partition starting or restarting takes a fresh
 * one).  May advance the generation, which requests a flush from every other
 * online CPU.
 */
void vmid_assign(struct vmid_alloc *a, struct vmid *v, u32 cpu);

enum vmid_status {
	VMID_READY, /* enter the guest with v->id */
	VMID_WAIT, /* another CPU has not flushed for this generation yet: retry */
};

/*
 * Before entering a guest of 'v' on 'cpu': flush this CPU if the generation
 * moved, take a new VMID if v's generation is stale, and report whether every
 * online CPU has flushed for the current generation.
 */
enum vmid_status vmid_prepare_entry(struct vmid_alloc *a, struct vmid *v, u32 cpu);

/* The flush request (IPI) handler: flush this CPU for the current generation. */
void vmid_handle_flush_request(struct vmid_alloc *a, u32 cpu);

/*
 * Fast-path test for the entry path: nothing to do? (no lock taken)  True only
 * once every online CPU has flushed for v's generation, which is what
 * vmid_prepare_entry() would wait for.
 *
 * The caller reads v->id after it, without the lock, so a rollover and a
 * reassignment by another vCPU of the same partition in between can have this
 * CPU enter once with the new generation's ID before it has flushed for it
 * (found in review).  Left so, for what it could reach is this CPU's own TLB,
 * which only ever held its own partition's entries (a CPU runs one partition),
 * under the same stage 2: at worst stale stage-1 entries of that partition's
 * earlier run, and only until the next entry, which the pending flush request
 * sends through vmid_prepare_entry().  Closing it costs a barrier on the SGI
 * and doorbell paths (a sequence count around id and generation).
 */
static inline bool vmid_current(const struct vmid_alloc *a, const struct vmid *v, u32 cpu)
{
	u64 gen = __atomic_load_n(&a->generation, __ATOMIC_ACQUIRE);

	(void)cpu;
	return v->generation == gen && __atomic_load_n(&a->ready, __ATOMIC_ACQUIRE) == gen;
}

#endif /* TESSERA_VMID_H */
