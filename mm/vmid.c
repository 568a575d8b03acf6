/*
 * VMID allocator with generations (see vmid.h for the rules it keeps).
 *
 * Locking: a->lock protects next, generation and the partitions' struct
 * vmid; flushed[] entries are written by their own CPU under the lock and read
 * without it.
 */
#include "mm/vmid.h"

_Static_assert(VMID_INVALID_GEN == 0, "vmid_init: flushed[] and ready start zeroed");

void vmid_init(struct vmid_alloc *a, u32 bits, u32 cpu_count, const struct vmid_ops *ops)
{
	/* No CPU online, none flushed (VMID_INVALID_GEN), the lock free. */
	*a = (struct vmid_alloc){
		.bits = bits, .next = 1, .generation = 1, .cpu_count = cpu_count, .ops = ops
	};
}

/*
 * A 64-bit release store, single-copy atomic (LDREXD/STREXD): one copy rather than one at
 * each of the three stores (boot runs it a few dozen times: some 60 instructions more).
 */
static __attribute__((noinline)) void store_gen(u64 *to, u64 generation)
{
	__atomic_store_n(to, generation, __ATOMIC_RELEASE);
}

/*
 * 'ready' follows the current generation once every online CPU has flushed for it; called
 * after each change of 'online', 'flushed' or the generation, lock held.  So under the lock
 * ready == generation exactly when every online CPU has flushed for it.
 */
static void update_ready_locked(struct vmid_alloc *a)
{
	u32 i;

	for (i = 0; i < a->cpu_count; i++)
		if ((a->online & (1U << i)) && a->flushed[i] != a->generation)
			return;
	store_gen(&a->ready, a->generation);
}

static void flush_locked(struct vmid_alloc *a, u32 cpu)
{
	if (a->flushed[cpu] != a->generation) {
		a->ops->flush_local(cpu);
		store_gen(&a->flushed[cpu], a->generation);
	}
	update_ready_locked(a);
}

void vmid_cpu_online(struct vmid_alloc *a, u32 cpu)
{
	spin_lock(&a->lock);
	a->online |= 1U << cpu;
	flush_locked(a, cpu);
	spin_unlock(&a->lock);
}

/* 'cpu' takes no part any more; lock held. */
static void leave_locked(struct vmid_alloc *a, u32 cpu)
{
	a->online &= ~(1U << cpu);
	/* CPUs waiting for this one's flush may go (they see 'ready' after the SEV of unlock). */
	update_ready_locked(a);
}

void vmid_cpu_offline(struct vmid_alloc *a, u32 cpu)
{
	spin_lock(&a->lock);
	leave_locked(a, cpu);
	spin_unlock(&a->lock);
}

bool vmid_cpu_stop(struct vmid_alloc *a, u32 cpu, u32 tries)
{
	while (!spin_trylock(&a->lock))
		if (!tries--)
			return false;
	leave_locked(a, cpu);
	spin_unlock(&a->lock);
	return true;
}

static void assign_locked(struct vmid_alloc *a, struct vmid *v, u32 cpu)
{
	if (a->next >= (1U << a->bits)) {
		u32 i;

		/* The VMID space is used up: a new generation, flushed everywhere. */
		store_gen(&a->generation, a->generation + 1);
		a->next = 1;
		if (a->ops->wrapped)
			a->ops->wrapped(a->generation);
		flush_locked(a, cpu);
		for (i = 0; i < a->cpu_count; i++)
			if (i != cpu && (a->online & (1U << i)))
				a->ops->request_flush(i);
	}
	v->id = a->next++;
	v->generation = a->generation;
	if (a->ops->assigned)
		a->ops->assigned(v->owner, v->id, v->generation);
}

void vmid_assign(struct vmid_alloc *a, struct vmid *v, u32 cpu)
{
	spin_lock(&a->lock);
	assign_locked(a, v, cpu);
	spin_unlock(&a->lock);
}

enum vmid_status vmid_prepare_entry(struct vmid_alloc *a, struct vmid *v, u32 cpu)
{
	enum vmid_status status;

	spin_lock(&a->lock);
	flush_locked(a, cpu);
	if (v->generation != a->generation)
		assign_locked(a, v, cpu);
	/* (flush_locked, last in both paths, has just brought 'ready' up to date) */
	status = a->ready == a->generation ? VMID_READY : VMID_WAIT;
	spin_unlock(&a->lock);
	return status;
}

void vmid_handle_flush_request(struct vmid_alloc *a, u32 cpu)
{
	spin_lock(&a->lock);
	flush_locked(a, cpu);
	spin_unlock(&a->lock);
}
