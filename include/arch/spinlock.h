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
	u32 wait_max; /* the longest any CPU waited for it, in counter ticks (make bench) */
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

/* The physical count's low word (CNTPCT, ARM ARM B8.1.2), for lock waits; 0 in host builds. */
static inline u32 spin_counter(void)
{
#ifdef __arm__
	u64 t;

	__asm__ volatile("mrrc p15, 0, %Q0, %R0, c14" : "=r"(t));
	return (u32)t;
#else
	return 0;
#endif
}

/*
 * Code built for size (-Os) calls one shared copy of spin_lock and spin_unlock: at -Os GCC
 * inlines neither, and a static copy in each file that takes a lock cost some 80 bytes a
 * file.  They are defined here, weak, in every file that includes this header, like C++'s
 * inline functions: the linker keeps one and --gc-sections drops the others.  Code built
 * for speed (vgic/fast.c, hyp/dev/mmio.c at -O2), and a file built with SPINLOCK_INLINE
 * (the Makefile says which), keeps static inline copies of its own.
 */
#if defined(__OPTIMIZE_SIZE__) && defined(__arm__) && !defined(SPINLOCK_INLINE)
#define SPINLOCK_FN __attribute__((weak, noinline))
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
#else
#define SPINLOCK_FN static inline
#endif

/*
 * An uncontended lock costs what it did; a contended one reads the counter before and after
 * its wait and keeps the longest in wait_max (the lock is held by then).
 */
SPINLOCK_FN void spin_lock(spinlock_t *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_ACQUIRE);

	if (__builtin_expect(__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket, 0)) {
		u32 start = spin_counter(), waited;

		while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
			cpu_relax_wfe();
		waited = spin_counter() - start;
		if (waited > l->wait_max)
			l->wait_max = waited;
	}
}

/* Take the lock only if it is free now. */
static inline bool spin_trylock(spinlock_t *l)
{
	u32 owner = __atomic_load_n(&l->owner, __ATOMIC_RELAXED);
	u32 expected = owner;

	return __atomic_compare_exchange_n(&l->next, &expected, owner + 1, false, __ATOMIC_ACQUIRE,
					   __ATOMIC_RELAXED);
}

SPINLOCK_FN void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	cpu_sev();
}

#endif /* TESSERA_SPINLOCK_H */
