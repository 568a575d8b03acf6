/*
 * Fuzz target "trap": hostile guests on every CPU of a host-built Tessera
 * (fuzz_sys.h).  Each step picks a CPU and what its guest or the hardware
 * does: a trap of any exception class with any syndrome, fault address,
 * HPFAR, ELR, SPSR and registers (hyp_trap); an HVC or SMC; an access to an
 * emulated device; a physical interrupt (hyp_irq); the guest acknowledging or
 * completing virtual interrupts; console input; time passing; an
 * asynchronous abort; a new guest stage-1 mapping for address translation.
 *
 * Input: 3 bytes of fault policy (one per partition), 1 byte of list-register
 * count (bit 7: the channel's ends have doorbell PL061s), then steps: a byte
 * (CPU in bits 1:0, kind above) and its operands.
 */
#include "fuzz_sys.h"

#define MAX_STEPS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0;

	sys_reset_from(&f);
	while (fin_more(&f) && steps++ < MAX_STEPS) {
		u8 sel = fin_u8(&f);

		sys_step(&f, sel % SYS_CPUS, (u32)(sel >> 2) % SYS_STEP_KINDS);
	}
	sys_finish();
	return 0;
}
