/*
 * Ticket spinlocks (fair: CPUs get the lock in the order they asked).
 * Exclusive accesses need the MMU on and Normal memory (ARM ARM A3.4.5), so no
 * lock may be taken before mmu_enable().  Waiters sleep in WFE; unlock wakes
 * them with SEV after the store is visible (DSB).
 */
#ifndef TESSERA_SPINLOCK_H
#define TESSERA_SPINLOCK_H

#include "tessera/types.h"

/*
 * Both tickets in one word, as Linux's arch_spinlock_t on ARM: the exclusive load that takes
 * a ticket also reads the owner, so a free lock costs one LDREX/STREX pair and one DMB.  The
 * owner is the low half (little-endian: its own halfword, which the holder alone stores).
 */
typedef struct {
	union {
		u32 tickets;
		struct {
			u16 owner;
			u16 next;
		};
	};
	u32 wait_max; /* the longest any CPU waited for it, in counter ticks (make bench) */
} spinlock_t;

#define SPIN_TICKET (1U << 16) /* one 'next' ticket in 'tickets' */

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
 * (the Makefile says which), keeps static inline copies of its own.  The shared spin_lock
 * ends in a tail call even where the Makefile's COLD_OPT turns them off.
 */
#if defined(__OPTIMIZE_SIZE__) && defined(__arm__) && !defined(SPINLOCK_INLINE)
#define SPINLOCK_FN __attribute__((weak, noinline, optimize("optimize-sibling-calls")))
void spin_lock(spinlock_t *l);
void spin_unlock(spinlock_t *l);
#else
#define SPINLOCK_FN static inline
#endif

/*
 * A contended lock: the wait for 'ticket', timed (wait_max); the lock is held on return.
 * Out of line (hyp/arch/spinlock.c), so that a free lock's path keeps no registers for it and
 * ends in a tail call (GCC tail-calls no weak function on ARM, hence not defined here).
 */
static inline __attribute__((always_inline)) void spin_wait_ticket(spinlock_t *l, u32 ticket)
{
	u32 start = spin_counter(), waited;

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != (u16)ticket)
		cpu_relax_wfe();
	waited = spin_counter() - start;
	if (waited > l->wait_max)
		l->wait_max = waited;
}

#ifdef __arm__
void spin_lock_wait(spinlock_t *l, u32 ticket);
#else
static inline void spin_lock_wait(spinlock_t *l, u32 ticket)
{
	spin_wait_ticket(l, ticket);
}
#endif

/* The two halves of 'tickets' equal: the ticket just taken is the owner's. */
static inline bool spin_ticket_is_owner(u32 tickets)
{
	return tickets == ((tickets >> 16) | (tickets << 16));
}

SPINLOCK_FN void spin_lock(spinlock_t *l)
{
	u32 old = __atomic_fetch_add(&l->tickets, SPIN_TICKET, __ATOMIC_ACQUIRE);

	if (__builtin_expect(spin_ticket_is_owner(old), 1))
		return;
	spin_lock_wait(l, old >> 16);
}

/* Take the lock only if it is free now. */
static inline bool spin_trylock(spinlock_t *l)
{
	u32 old = __atomic_load_n(&l->tickets, __ATOMIC_RELAXED);

	return spin_ticket_is_owner(old) &&
	       __atomic_compare_exchange_n(&l->tickets, &old, old + SPIN_TICKET, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

SPINLOCK_FN void spin_unlock(spinlock_t *l)
{
	__atomic_store_n(&l->owner, (u16)(l->owner + 1), __ATOMIC_RELEASE);
	cpu_sev();
}

#endif /* TESSERA_SPINLOCK_H */
