/*
 * SMCCC conduit and PSCI 1.0 calls (Arm DEN 0028, DEN 0022).
 */
#include "guest.h"

static bool conduit_smc;

void smccc_use_smc(bool smc)
{
	conduit_smc = smc;
}

struct smccc_res smccc_call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 __asm__("r0") = fid;
	register uint32_t r1 __asm__("r1") = a1;
	register uint32_t r2 __asm__("r2") = a2;
	register uint32_t r3 __asm__("r3") = a3;

	/* SMC32/HVC32: arguments and results in r0-r3, r4-r14 preserved (DEN 0028 2.6). */
	if (conduit_smc)
		__asm__ volatile(".arch_extension sec\n\tsmc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
	else
		__asm__ volatile(".arch_extension virt\n\thvc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
	return (struct smccc_res){ .a0 = r0, .a1 = r1, .a2 = r2, .a3 = r3 };
}

static int32_t call0(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)smccc_call(fid, a1, a2, a3).a0;
}

int32_t psci_version(void)
{
	return call0(PSCI_VERSION, 0, 0, 0);
}

int32_t psci_features(uint32_t fid)
{
	return call0(PSCI_FEATURES, fid, 0, 0);
}

int32_t psci_cpu_on(uint32_t target_mpidr, uintptr_t entry, uint32_t context)
{
	return call0(PSCI_CPU_ON, target_mpidr, (uint32_t)entry, context);
}

int32_t psci_cpu_off(void)
{
	return call0(PSCI_CPU_OFF, 0, 0, 0);
}

int32_t psci_affinity_info(uint32_t target_mpidr, uint32_t lowest_level)
{
	return call0(PSCI_AFFINITY_INFO, target_mpidr, lowest_level, 0);
}

int32_t psci_system_off(void)
{
	return call0(PSCI_SYSTEM_OFF, 0, 0, 0);
}

int32_t psci_system_reset(void)
{
	return call0(PSCI_SYSTEM_RESET, 0, 0, 0);
}
