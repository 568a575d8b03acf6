/*
 * SHA-256 (FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2).  The
 * hypervisor checks guest images in the image store with it at boot
 * (hyp/core/partition.c), on each partition's own CPU; tools/tcfg compiles this
 * file too, to record the digests.  The host test tests/unit/sha256_test.c
 * checks it against the standard's examples and against sha256sum.
 *
 * Written for ARMv7-A without the crypto extensions, built at -O2 (Makefile)
 * in Thumb-2 like the rest: its 32-bit data-processing instructions take a
 * rotated operand as ARM's do, and the code is a third smaller.  Eight rounds
 * unrolled with the working variables renamed instead of moved, and each sum
 * of three rotations written as one rotation of a value built with two
 * rotated operands, which the shifter folds in (ror(x ^ ror(x, 5) ^ ror(x,
 * 19), 6) is two EORs and an ADD's operand).  About 35 instructions a byte,
 * against 73 for the rolled loop it replaced (docs/bench.md).
 */
#include <string.h>

#include "tessera/sha256.h"

/* The first 32 bits of the fractional parts of the cube roots of the first 64 primes (4.2.2). */
static const u32 k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
	0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
	0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
	0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
	0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
	0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
	0xc67178f2,
};

/* The initial hash value (5.3.3). */
static const u32 h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

#define ROR(x, n) ((x) >> (n) | (x) << (32U - (n)))

/*
 * x ^ ror(x, r1) ^ ror(x, r2): two EORs with a rotated operand, kept in that order (the
 * empty asm stops the compiler regrouping it into three instructions).
 */
static inline u32 rot3(u32 x, u32 r1, u32 r2)
{
	u32 t = x ^ ROR(x, r1);

	HIDE_VALUE(t);
	return t ^ ROR(x, r2);
}

/* 4.1.2, each regrouped as a rotation of rotations (see the header). */
#define BSIG0(x) ROR(rot3(x, 11, 20), 2)
#define BSIG1(x) ROR(rot3(x, 5, 19), 6)
#define SSIG0(x) (ROR((x) ^ ROR(x, 11), 7) ^ (x) >> 3)
#define SSIG1(x) (ROR((x) ^ ROR(x, 2), 17) ^ (x) >> 10)

/*
 * Round t (6.2.2 step 3): T1 into d and h, T2 into h; no variable moves.  Maj is
 * ((a ^ b) & (b ^ c)) ^ b, whose b ^ c is the previous round's a ^ b.
 */
#define ROUND(a, b, c, d, e, f, g, h, i)                                                           \
	do {                                                                                       \
		(h) += BSIG1(e) + ((((f) ^ (g)) & (e)) ^ (g)) + k[t + (i)] + w[t + (i)];           \
		(d) += (h);                                                                        \
		(h) += BSIG0(a) + ((((a) ^ (b)) & ((b) ^ (c))) ^ (b));                             \
	} while (0)

/* One 64-byte block into the hash value h (6.2.2). */
static void block(u32 h[8], const void *m)
{
	u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	u32 w[64], t;

	/*
	 * The message schedule (step 1), whole and rolled: computed in the rounds sixteen
	 * words ahead it saved a few instructions a block for twice the code.
	 */
	memcpy(w, m, 64); /* a word copy when m is aligned, as the store's images are */
	for (t = 0; t < 16; t++)
		w[t] = __builtin_bswap32(w[t]); /* big-endian words (3.1) */
	for (t = 16; t < 64; t++)
		w[t] = SSIG1(w[t - 2]) + w[t - 7] + SSIG0(w[t - 15]) + w[t - 16];
	for (t = 0; t < 64; t += 8) {
		ROUND(a, b, c, d, e, f, g, hh, 0);
		ROUND(hh, a, b, c, d, e, f, g, 1);
		ROUND(g, hh, a, b, c, d, e, f, 2);
		ROUND(f, g, hh, a, b, c, d, e, 3);
		ROUND(e, f, g, hh, a, b, c, d, 4);
		ROUND(d, e, f, g, hh, a, b, c, 5);
		ROUND(c, d, e, f, g, hh, a, b, 6);
		ROUND(b, c, d, e, f, g, hh, a, 7);
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

/*
 * The last of the message, padded (5.1.1): a 1 bit, zeros, the length in bits as 64 bits, to
 * whole blocks; then the digest.  -O2 inlines it into its one caller, whose block loop stays
 * as it was (22 bytes fewer than apart, with its call).
 */
static void finish(u32 h[8], const u8 *p, size_t size, u8 *digest)
{
	size_t rest = size % 64;
	u64 bits = (u64)size * 8;
	u32 tail[32], *end = tail + (rest >= 56 ? 32 : 16), *b;

	memset(tail, 0, sizeof(tail));
	memcpy(tail, p + size - rest, rest);
	((u8 *)tail)[rest] = 0x80;
	end[-2] = __builtin_bswap32((u32)(bits >> 32));
	end[-1] = __builtin_bswap32((u32)bits);
	for (b = tail; b < end; b += 16)
		block(h, b);
	for (b = h; b < h + 8; b++)
		*b = __builtin_bswap32(*b);
	memcpy(digest, h, SHA256_SIZE);
}

void sha256(const void *data, size_t size, u8 digest[SHA256_SIZE])
{
	sha256_paused(data, size, digest, 0, NULL);
}

void sha256_paused(const void *data, size_t size, u8 digest[SHA256_SIZE], size_t step,
		   void (*pause)(void))
{
	const u8 *p = data;
	size_t full = size - size % 64, at, next = step ? step : full;
	u32 h[8];

	memcpy(h, h0, sizeof(h));
	for (at = 0; at < full; at += 64) {
		if (at == next) { /* every 'step' bytes while more remain */
			pause();
			next += step;
		}
		block(h, p + at);
	}
	finish(h, p, size, digest);
}
