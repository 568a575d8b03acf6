/*
 * Reading a fuzz input as a stream of choices.  Past the end every read
 * returns zero, so each input, however short, is a complete test.
 */
#ifndef TESSERA_FUZZ_INPUT_H
#define TESSERA_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "tessera/types.h"

struct fin {
	const u8 *p;
	size_t n;
};

static inline bool fin_more(const struct fin *f)
{
	return f->n != 0;
}

static inline u8 fin_u8(struct fin *f)
{
	if (!f->n)
		return 0;
	f->n--;
	return *f->p++;
}

static inline u16 fin_u16(struct fin *f)
{
	u16 lo = fin_u8(f);

	return (u16)(lo | (u16)(fin_u8(f) << 8));
}

static inline u32 fin_u32(struct fin *f)
{
	u32 lo = fin_u16(f);

	return lo | ((u32)fin_u16(f) << 16);
}

static inline bool fin_bool(struct fin *f)
{
	return fin_u8(f) & 1;
}

/* One of 'count' values. */
static inline u32 fin_below(struct fin *f, u32 count)
{
	return count > 256 ? fin_u16(f) % count : fin_u8(f) % count;
}

/* One element of a table, or (one time in eight) any 32-bit value. */
static inline u32 fin_pick(struct fin *f, const u32 *table, u32 count)
{
	u8 sel = fin_u8(f);

	return (sel & 7) == 7 ? fin_u32(f) : table[(sel >> 3) % count];
}

#define FIN_PICK(f, table) fin_pick((f), (table), (u32)ARRAY_SIZE(table))

/* A fuzz-found property violation: report and abort, so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "FUZZ_CHECK(%s) failed at %s:%d: ", #cond, __FILE__,       \
				__LINE__);                                                         \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

#endif /* TESSERA_FUZZ_INPUT_H */
