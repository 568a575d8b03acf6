/*
 * Basic types shared by the hypervisor, its host tools and its host tests.
 *
 * Physical addresses, guest intermediate physical addresses and hypervisor
 * virtual addresses are kept apart: LPAE physical addresses reach 40 bits,
 * and a guest IPA must never be used where a PA is meant.  The one-field
 * structs make the compiler refuse such a mix (the Hafnium approach).
 */
#ifndef TESSERA_TYPES_H
#define TESSERA_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Fixed-width types spelled so that printf formats are the same on the target
 * and on the host: u32 is %u/%x everywhere, u64 is %llu/%llx everywhere
 * (arm-none-eabi's uint32_t is a long, x86-64's uint64_t is a long).
 */
typedef uint8_t u8;
typedef uint16_t u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

_Static_assert(sizeof(u32) == 4 && sizeof(u64) == 8, "u32 and u64 widths");

typedef struct {
	u64 pa;
} paddr_t;

typedef struct {
	u64 ipa;
} ipa_t;

typedef struct {
	uintptr_t va;
} vaddr_t;

static inline paddr_t pa_init(u64 v)
{
	return (paddr_t){ .pa = v };
}

static inline ipa_t ipa_init(u64 v)
{
	return (ipa_t){ .ipa = v };
}

static inline vaddr_t va_init(uintptr_t v)
{
	return (vaddr_t){ .va = v };
}

static inline u64 pa_addr(paddr_t p)
{
	return p.pa;
}

static inline u64 ipa_addr(ipa_t i)
{
	return i.ipa;
}

static inline uintptr_t va_addr(vaddr_t v)
{
	return v.va;
}

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (__typeof__(x))(a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define UNUSED(x) ((void)(x))

#endif /* TESSERA_TYPES_H */
