/*
 * void *memset(void *s, int c, size_t n): the C library's, in place of newlib's (168 bytes
 * of code tuned for long runs).  The hypervisor clears only small things with it (a trap
 * frame, a hash block's tail, structures on the stack): words while aligned, else bytes.
 * Partition RAM is cleared by mem_zero (mm/cache.S).
 */
#include <string.h>

#include "tessera/types.h"

typedef u32 __attribute__((may_alias)) word_t;

/* Not recognised as a memset and made a call to itself (GCC; the host fuzzers' clang has no
 * such pass at the optimisation they build with). */
#if defined(__clang__)
#define NO_MEMSET_PATTERN
#else
#define NO_MEMSET_PATTERN __attribute__((optimize("no-tree-loop-distribute-patterns")))
#endif

NO_MEMSET_PATTERN void *memset(void *s, int c, size_t n)
{
	u8 *p = s, *end = p + n;

	if (((uintptr_t)p | n) & 3)
		while (p != end)
			*p++ = (u8)c;
	else
		for (; p != end; p += 4)
			*(word_t *)p = (u8)c * 0x01010101U;
	return s;
}
