/*
 * Ticket spinlocks (fair: CPUs get the lock in the order they asked).
 * Exclusive accesses need the MMU on and Normal memory (ARM ARM A3.4.5), so no
 * lock may be taken before mmu_enable().  Waiters sleep in WFE; unlock wakes
 * them with SEV after the store is visible (DSB).
 */
#ifndef TESSERA_SPINLOCK_H
#define TESSERA_SPINLOCK_H

#include "tessera/types.h"

typedef struct {
	u32 next;
	u32 owner;
} spinlock_t;

static inline void cpu_relax_wfe(void)
{
#ifdef __arm__
	__asm__ volatile("wfe" ::: "memory");
#endif
}

static inline void cpu_sev(void)
{
#ifdef __arm__
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
#endif
}

static inline void spin_lock(spinlock_t *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax_wfe();
}

/* Take the lock only if it is free now. */
static inline bool spin_trylock(spinlock_t *l)
{
	u32 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

static inline void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	cpu_sev();
}

#endif /* TESSERA_SPINLOCK_H */
