/*
 * Exceptions injected into the guest (inject.c), with the syndrome
 * registers the guest's handler reads set as the hardware would set them.
 */
#ifndef TESSERA_HYP_INJECT_H
#define TESSERA_HYP_INJECT_H

#include "hyp/arch/regs.h"

void inject_undef(struct regs *r, u32 hsr);
/* A prefetch abort ('instruction'), or a data abort ('write' or read), on 'va'. */
void inject_abort(struct regs *r, u32 va, bool write, bool instruction, bool alignment);

#endif /* TESSERA_HYP_INJECT_H */
