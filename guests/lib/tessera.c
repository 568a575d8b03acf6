/*
 * Tessera hypercall wrappers (docs/hypercalls.md).  Nothing is issued unless the device tree
 * names Tessera: on bare hardware or QEMU an unknown HVC is an undefined instruction.
 */
#include "guest.h"

bool tessera_present(void)
{
	const struct fdt *fdt = guest_fdt();

	return fdt && fdt_is_tessera(fdt);
}

static struct smccc_res call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	if (!tessera_present())
		return (struct smccc_res){ .a0 = (uint32_t)TESSERA_NOT_SUPPORTED };
	return smccc_call(fid, a1, a2, a3);
}

int32_t tessera_version(void)
{
	return (int32_t)call(TESSERA_FID_VERSION, 0, 0, 0).a0;
}

int32_t tessera_partition_id(struct tessera_partition *out)
{
	struct smccc_res r = call(TESSERA_FID_PARTITION_ID, 0, 0, 0);

	if ((int32_t)r.a0 >= 0 && out) {
		out->id = r.a0;
		out->vcpu = r.a1;
		out->vcpu_count = r.a2;
	}
	return (int32_t)r.a0;
}

int32_t tessera_partition_name(char *buf, size_t size)
{
	return (int32_t)call(TESSERA_FID_PARTITION_NAME, (uint32_t)(uintptr_t)buf, (uint32_t)size,
			     0)
		.a0;
}

int32_t tessera_console_write(const void *buf, size_t len)
{
	return (int32_t)call(TESSERA_FID_CONSOLE_WRITE, (uint32_t)(uintptr_t)buf, (uint32_t)len, 0)
		.a0;
}

int32_t tessera_channel_info(uint32_t index, struct tessera_channel *out)
{
	struct smccc_res r = call(TESSERA_FID_CHANNEL_INFO, index, 0, 0);

	if ((int32_t)r.a0 >= 0 && out) {
		out->ipa = r.a1;
		out->size = r.a2;
		out->peer_id = TESSERA_CHANNEL_PEER(r.a3);
		out->access = TESSERA_CHANNEL_ACCESS(r.a3);
		out->intid = TESSERA_CHANNEL_INTID(r.a3);
	}
	return (int32_t)r.a0;
}

int32_t tessera_doorbell_ring(uint32_t index)
{
	return (int32_t)call(TESSERA_FID_DOORBELL_RING, index, 0, 0).a0;
}

int32_t tessera_yield(void)
{
	return (int32_t)call(TESSERA_FID_YIELD, 0, 0, 0).a0;
}

int32_t tessera_watchdog_kick(void)
{
	static bool absent;
	int32_t r;

	if (absent)
		return TESSERA_NOT_SUPPORTED;
	r = (int32_t)call(TESSERA_FID_WATCHDOG_KICK, 0, 0, 0).a0;
	absent = r == TESSERA_NOT_SUPPORTED;
	return r;
}

int32_t tessera_partition_state(uint32_t id, struct tessera_partition_state *out)
{
	struct smccc_res r = call(TESSERA_FID_PARTITION_STATE, id, 0, 0);

	if ((int32_t)r.a0 >= 0 && out) {
		out->state = TESSERA_STATE(r.a0);
		out->restarts_left = TESSERA_RESTARTS_LEFT(r.a0);
		out->starts = r.a1;
		out->faults = r.a2;
		out->uptime_ms = r.a3;
	}
	return (int32_t)r.a0 < 0 ? (int32_t)r.a0 : TESSERA_OK;
}

int32_t tessera_partition_control(uint32_t id, uint32_t op)
{
	return (int32_t)call(TESSERA_FID_PARTITION_CONTROL, id, op, 0).a0;
}

int32_t tessera_smccc_version(void)
{
	return (int32_t)call(SMCCC_VERSION, 0, 0, 0).a0;
}

int32_t tessera_smccc_arch_features(uint32_t fid)
{
	return (int32_t)call(SMCCC_ARCH_FEATURES, fid, 0, 0).a0;
}

int32_t tessera_call_uid(uint32_t uid[4])
{
	struct smccc_res r = call(TESSERA_FID_CALL_UID, 0, 0, 0);

	uid[0] = r.a0;
	uid[1] = r.a1;
	uid[2] = r.a2;
	uid[3] = r.a3;
	return r.a0 == (uint32_t)TESSERA_NOT_SUPPORTED ? TESSERA_NOT_SUPPORTED : TESSERA_OK;
}

int32_t tessera_revision(uint32_t *major, uint32_t *minor)
{
	struct smccc_res r = call(TESSERA_FID_REVISION, 0, 0, 0);

	if ((int32_t)r.a0 < 0)
		return (int32_t)r.a0;
	*major = r.a0;
	*minor = r.a1;
	return TESSERA_OK;
}
