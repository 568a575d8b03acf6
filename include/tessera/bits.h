/*
 * Bit-field helpers.  Always unsigned: BIT(31) is well defined, 1 << 31 is not.
 */
#ifndef TESSERA_BITS_H
#define TESSERA_BITS_H

#ifdef __ASSEMBLER__
#define BIT(n) (1 << (n))
#define BIT64(n) (1 << (n))
#define GENMASK(h, l) (((0xffffffff) << (l)) & (0xffffffff >> (31 - (h))))
#else
#define BIT(n) (1U << (n))
#define BIT64(n) (1ULL << (n))
#define GENMASK(h, l) ((~0U << (l)) & (~0U >> (31 - (h))))
#define GENMASK64(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))

/* Extract / insert a field described by a contiguous mask. */
#define FIELD_SHIFT(mask) ((unsigned)__builtin_ctzll(mask))
#define FIELD_GET(mask, val) (((val) & (mask)) >> FIELD_SHIFT(mask))
#define FIELD_PREP(mask, val) (((val) << FIELD_SHIFT(mask)) & (mask))
#endif

#endif /* TESSERA_BITS_H */
