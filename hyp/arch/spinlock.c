/*
 * The contended half of spin_lock (include/arch/spinlock.h): one copy for every file.  Host
 * builds (tests, fuzzers) have the header's inline copy instead.
 */
#include "arch/spinlock.h"

#ifdef __arm__
__attribute__((cold)) void spin_lock_wait(spinlock_t *l, u32 ticket)
{
	spin_wait_ticket(l, ticket);
}
#endif
