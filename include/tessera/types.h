/*
 * Basic types shared by the hypervisor, its host tools and its host tests.
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

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + (__typeof__(x))(a)-1, (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define UNUSED(x) ((void)(x))

/*
 * The lvalue x's value opaque to the compiler from here on: an empty asm that might have
 * changed it (Linux's OPTIMIZER_HIDE_VAR), no instruction.  It keeps an expression grouped as
 * written, or keeps a pointer the code then reaches fields from at small offsets (Thumb-2's
 * 16-bit loads and stores) instead of folding it into a base far from them: code size only.
 */
#define HIDE_VALUE(x) __asm__("" : "+r"(x))

#endif /* TESSERA_TYPES_H */
