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

#include "abi/smccc.h"

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
