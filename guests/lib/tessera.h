/*
 * Tessera hypercalls (docs/hypercalls.md): HVC #0, SMCCC fast calls in the vendor-specific
 * hypervisor range 0x86000000 | n.
 *
 * Every wrapper returns the call's r0 as int32_t: >= 0 is success (a value or 0), negative is a
 * enum tessera_status.  Without Tessera (no /hypervisor node compatible "tessera,hypervisor"
 * in the device tree) no HVC is issued and every wrapper returns TESSERA_NOT_SUPPORTED: on
 * bare QEMU an unknown HVC is an undefined instruction.
 */
#ifndef GUEST_TESSERA_H
#define GUEST_TESSERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bits.h"

#define TESSERA_FID_VERSION 0x86000000U
#define TESSERA_FID_PARTITION_ID 0x86000001U
#define TESSERA_FID_PARTITION_NAME 0x86000002U
#define TESSERA_FID_CONSOLE_WRITE 0x86000003U
#define TESSERA_FID_CHANNEL_INFO 0x86000004U
#define TESSERA_FID_DOORBELL_RING 0x86000005U
#define TESSERA_FID_YIELD 0x86000006U
#define TESSERA_FID_CALL_UID 0x8600ff01U
#define TESSERA_FID_REVISION 0x8600ff03U

#define TESSERA_CONSOLE_WRITE_MAX 4096U

/* Tessera's UID, as returned by the Call UID query. */
#define TESSERA_UID0 0x7e55e7a0U
#define TESSERA_UID1 0x4d1c11f0U
#define TESSERA_UID2 0x9a3c5b12U
#define TESSERA_UID3 0x00c0ffeeU

enum tessera_status {
	TESSERA_OK = 0,
	TESSERA_NOT_SUPPORTED = -1,
	TESSERA_INVALID_PARAMETER = -2,
	TESSERA_DENIED = -3,
	TESSERA_BAD_ADDRESS = -4,
};

struct tessera_partition {
	uint32_t id; /* partition ID */
	uint32_t vcpu; /* calling vCPU's index */
	uint32_t vcpu_count; /* vCPUs of the partition */
};

/* CHANNEL_INFO: r1 = IPA, r2 = size, r3 = peer | access << 8 | irq << 16. */
#define TESSERA_CHANNEL_ACCESS_READ BIT(0)
#define TESSERA_CHANNEL_ACCESS_WRITE BIT(1)

struct tessera_channel {
	uint32_t ipa;
	uint32_t size;
	uint32_t peer_id;
	uint32_t access; /* TESSERA_CHANNEL_ACCESS_* */
	uint32_t intid; /* this partition's doorbell INTID */
};

/* True iff the device tree has /hypervisor compatible "tessera,hypervisor". */
bool tessera_present(void);
int32_t tessera_version(void);
int32_t tessera_partition_id(struct tessera_partition *out);
int32_t tessera_partition_name(char *buf, size_t size);
int32_t tessera_console_write(const void *buf, size_t len);
int32_t tessera_channel_info(uint32_t index, struct tessera_channel *out);
int32_t tessera_doorbell_ring(uint32_t index);
int32_t tessera_yield(void);
int32_t tessera_smccc_version(void);
int32_t tessera_smccc_arch_features(uint32_t fid);
int32_t tessera_call_uid(uint32_t uid[4]);
int32_t tessera_revision(uint32_t *major, uint32_t *minor);

#endif /* GUEST_TESSERA_H */
