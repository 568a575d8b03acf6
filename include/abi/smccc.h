/*
 * The SMC Calling Convention (Arm DEN 0028, SMC32 fast calls) and PSCI 1.0
 * (Arm DEN 0022D): function IDs and return codes, as guests issue them and as
 * the hypervisor answers them.  Definitions only; usable from C and assembly.
 */
#ifndef TESSERA_ABI_SMCCC_H
#define TESSERA_ABI_SMCCC_H

/* SMCCC function IDs (DEN 0028 7.2, 7.3) and the owner field (2.5). */
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_VERSION_1_1 0x10001U
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_OWNER(fid) (((fid) >> 24) & 0x3fU)
#define SMCCC_OWNER_STANDARD 4U
#define SMCCC_OWNER_VENDOR_HYP 6U

/* PSCI function IDs, SMC32 (DEN 0022D 5.1). */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND 0x84000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON 0x84000003U
#define PSCI_AFFINITY_INFO 0x84000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU

#define PSCI_VERSION_1_0 0x10000U

/* PSCI return codes (DEN 0022D 5.2.2). */
#define PSCI_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMETERS (-2)
#define PSCI_E_DENIED (-3)
#define PSCI_E_ALREADY_ON (-4)
#define PSCI_E_ON_PENDING (-5)
#define PSCI_E_INTERNAL_FAILURE (-6)
#define PSCI_E_NOT_PRESENT (-7)
#define PSCI_E_DISABLED (-8)
#define PSCI_E_INVALID_ADDRESS (-9)

/* AFFINITY_INFO results (DEN 0022D 5.7.2). */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

/* MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate (DEN 0022D 5.9.2). */
#define PSCI_MIGRATE_INFO_NO_TOS 2

#endif /* TESSERA_ABI_SMCCC_H */
