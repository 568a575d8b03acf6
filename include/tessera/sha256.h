/*
 * SHA-256 (FIPS 180-4): the interface of the small freestanding implementation
 * in hyp/core/sha256.c.  The hypervisor checks each guest image in the image
 * store with it before a partition's first start; tools/tcfg compiles the same
 * file to record the digests it checks against (docs/configuration.md).
 */
#ifndef TESSERA_SHA256_H
#define TESSERA_SHA256_H

#include "tessera/types.h"

#define SHA256_SIZE 32U /* bytes in a digest */

/* The SHA-256 digest of 'size' bytes at 'data', written to 'digest'. */
void sha256(const void *data, size_t size, u8 digest[SHA256_SIZE]);

/*
 * The same digest, with 'pause' called after each 'step' bytes hashed (a multiple of 64) while
 * more remain: the hypervisor serves its CPU's requests there (a long hash, interrupts masked).
 * 'step' 0: no pause.
 */
void sha256_paused(const void *data, size_t size, u8 digest[SHA256_SIZE], size_t step,
		   void (*pause)(void));

#endif /* TESSERA_SHA256_H */
