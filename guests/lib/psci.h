/*
 * SMC Calling Convention (Arm DEN 0028, SMC32) and PSCI 1.0 (Arm DEN 0022) client.
 *
 * The conduit is HVC #0 (Tessera and bare QEMU virt without virtualization), or SMC #0 when
 * the device tree's /psci node says method = "smc" or the guest entered in Hyp mode and
 * dropped to SVC itself (there is then no hypervisor to answer HVC).
 */
#ifndef GUEST_PSCI_H
#define GUEST_PSCI_H

#include <stdbool.h>
#include <stdint.h>

/* SMCCC function IDs (DEN 0028 7.x). */
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_NOT_SUPPORTED (-1)

/* PSCI function IDs, SMC32 (DEN 0022 5.1). */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0x84000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0x84000003U
#define PSCI_AFFINITY_INFO 0x84000004U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU

/* PSCI return codes (DEN 0022 5.2.2). */
enum psci_ret {
	PSCI_SUCCESS = 0,
	PSCI_E_NOT_SUPPORTED = -1,
	PSCI_E_INVALID_PARAMETERS = -2,
	PSCI_E_DENIED = -3,
	PSCI_E_ALREADY_ON = -4,
	PSCI_E_ON_PENDING = -5,
	PSCI_E_INTERNAL_FAILURE = -6,
	PSCI_E_NOT_PRESENT = -7,
	PSCI_E_DISABLED = -8,
	PSCI_E_INVALID_ADDRESS = -9,
};

/* AFFINITY_INFO results (DEN 0022 5.7). */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

/* r0-r3 after a call. */
struct smccc_res {
	uint32_t a0;
	uint32_t a1;
	uint32_t a2;
	uint32_t a3;
};

/* One SMCCC fast call through the current conduit. */
struct smccc_res smccc_call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3);
/* Conduit: SMC (true) or HVC (false, the default); set by guest_c_start(). */
void smccc_use_smc(bool smc);

/* Each returns the PSCI result (enum psci_ret, or the value the call defines). */
int32_t psci_version(void);
int32_t psci_features(uint32_t fid);
int32_t psci_cpu_on(uint32_t target_mpidr, uintptr_t entry, uint32_t context);
int32_t psci_cpu_off(void);
int32_t psci_affinity_info(uint32_t target_mpidr, uint32_t lowest_level);
int32_t psci_system_off(void);
int32_t psci_system_reset(void);

#endif /* GUEST_PSCI_H */
