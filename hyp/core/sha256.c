/*
 * SHA-256 (FIPS 180-4 sections 4.1.2, 4.2.2, 5.1.1, 5.3.3 and 6.2), written
 * for size: one compression loop with a 16-word rolling message schedule,
 * nothing unrolled.  The hypervisor checks guest images in the image store
 * with it (hyp/core/partition.c); tools/tcfg compiles this file too, to
 * record the digests.  The host test tests/unit/sha256_test.c checks it
 * against the standard's examples and against sha256sum.
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

static u32 ror(u32 x, u32 n)
{
	return x >> n | x << (32U - n);
}

/* The initial hash value (5.3.3). */
static const u32 h0[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
			   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };

void sha256(const void *data, size_t size, u8 digest[SHA256_SIZE])
{
	const u8 *p = data;
	size_t rest = size % 64, full = size - rest, end = full + (rest >= 56 ? 128 : 64), at;
	u64 bits = (u64)size * 8;
	u32 h[8], w[16], i;
	u8 tail[128];

	/* Padding (5.1.1): a 1 bit, zeros, the length in bits as 64 bits, to whole blocks. */
	memset(tail, 0, sizeof(tail));
	if (rest)
		memcpy(tail, p + full, rest);
	tail[rest] = 0x80;
	for (i = 0; i < 8; i++)
		tail[end - full - 1 - i] = (u8)(bits >> (8 * i));
	memcpy(h, h0, sizeof(h));
	/*
	 * Each 64-byte block into the hash value h (6.2.2): W_t is kept in w[t mod 16]; the
	 * working variables a..h are scalars, so that they can live in registers (an array
	 * shifted down each round cost three times the instructions).
	 */
	for (at = 0; at < end; at += 64) {
		const u8 *block = at < full ? p + at : tail + (at - full);
		u32 a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];

		for (i = 0; i < 64; i++) {
			if (i < 16) {
				const u8 *q = block + 4 * i;

				w[i] = (u32)q[0] << 24 | (u32)q[1] << 16 | (u32)q[2] << 8 | q[3];
			} else {
				u32 w15 = w[(i - 15) & 15], w2 = w[(i - 2) & 15];

				w[i & 15] += (ror(w15, 7) ^ ror(w15, 18) ^ w15 >> 3) +
					     w[(i - 7) & 15] +
					     (ror(w2, 17) ^ ror(w2, 19) ^ w2 >> 10);
			}
			u32 t1 = hh + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) +
				 k[i] + w[i & 15];
			u32 t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
				 ((a & b) ^ (a & c) ^ (b & c));

			hh = g;
			g = f;
			f = e;
			e = d + t1;
			d = c;
			c = b;
			b = a;
			a = t1 + t2;
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
	for (i = 0; i < SHA256_SIZE; i++)
		digest[i] = (u8)(h[i / 4] >> (24 - 8 * (i % 4)));
}
