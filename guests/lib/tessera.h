/*
 * Tessera hypercalls (docs/hypercalls.md): HVC #0, SMCCC fast calls in the vendor-specific
 * hypervisor range 0x86000000 | n.
 *
 * Every int32_t wrapper returns >= 0 for success, negative for a TESSERA_* status
 * (abi/hypercall.h): the call's r0, except those that fill in a structure
 * (tessera_partition_state, tessera_call_uid, tessera_revision), which return 0 for success.  Without Tessera (no /hypervisor node compatible "tessera,hypervisor"
 * in the device tree) no HVC is issued and every wrapper returns TESSERA_NOT_SUPPORTED: on
 * bare QEMU an unknown HVC is an undefined instruction.
 */
#ifndef GUEST_TESSERA_H
#define GUEST_TESSERA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/hypercall.h"

struct tessera_partition {
	uint32_t id; /* partition ID */
	uint32_t vcpu; /* calling vCPU's index */
	uint32_t vcpu_count; /* vCPUs of the partition */
};

struct tessera_channel {
	uint32_t ipa;
	uint32_t size;
	uint32_t peer_id;
	uint32_t access; /* TESSERA_CHANNEL_ACCESS_* */
	uint32_t intid; /* this partition's doorbell INTID */
};

/* A managed partition as TESSERA_FID_PARTITION_STATE reports it. */
struct tessera_partition_state {
	uint32_t state; /* TESSERA_STATE_* */
	uint32_t restarts_left; /* fault restarts its restart-limit allows now */
	uint32_t starts;
	uint32_t faults;
	uint32_t uptime_ms;
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
/*
 * Kick the partition's health watchdog (arms it the first time): the timeout in ms, or
 * NOT_SUPPORTED when the partition has none, after which further calls issue nothing.
 */
int32_t tessera_watchdog_kick(void);
/* A manager's calls on a partition it manages (docs/hypercalls.md); others get DENIED. */
int32_t tessera_partition_state(uint32_t id, struct tessera_partition_state *out);
int32_t tessera_partition_control(uint32_t id, uint32_t op); /* TESSERA_PARTITION_* */
int32_t tessera_smccc_version(void);
int32_t tessera_smccc_arch_features(uint32_t fid);
int32_t tessera_call_uid(uint32_t uid[4]);
int32_t tessera_revision(uint32_t *major, uint32_t *minor);

#endif /* GUEST_TESSERA_H */
