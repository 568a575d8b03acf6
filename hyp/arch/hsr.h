/*
 * Hyp Syndrome Register decoding (ARM ARM B3.13.6) and the condition-code and
 * IT-state rules needed to skip a trapped instruction.  Host-testable.
 */
#ifndef TESSERA_HSR_H
#define TESSERA_HSR_H

#include "tessera/types.h"

static inline u32 hsr_ec(u32 hsr)
{
	return hsr >> 26;
}

/* A short name for an exception class ("data abort from guest"). */
const char *hsr_ec_name(u32 ec);

/* A short name for a long-descriptor fault status code ("translation fault, level 2"). */
const char *hsr_fsc_name(u32 fsc);

/* One line describing the syndrome: class, and the ISS decoded for its class. */
size_t hsr_describe(u32 hsr, char *buf, size_t size);

/* Does condition 'cond' (0x0-0xf) hold for the flags in 'psr'? (A8.3) */
bool psr_cond_holds(u32 cond, u32 psr);

/*
 * Should a trapped instruction with syndrome 'hsr', taken with 'spsr', be
 * executed?  A conditional instruction may trap even when its condition fails
 * (B3.13.6, "Use of the HSR.CV and COND fields"): then it must be skipped.
 */
bool hsr_cond_check(u32 hsr, u32 spsr);

/* SPSR after skipping one instruction: advances the Thumb IT state (A2.5.2). */
u32 psr_it_advance(u32 spsr);

#endif /* TESSERA_HSR_H */
