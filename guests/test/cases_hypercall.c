/*
 * Test-guest case of the hypercall ABI (issue 6, docs/hypercalls.md): every
 * call with good arguments, and every pointer or length that leaves the
 * caller's memory refused with BAD_ADDRESS - never a fault.
 */
#include <stdio.h>
#include <string.h>

#include "testguest.h"

#define NOT_SUPPORTED (-1)
#define INVALID_PARAMETER (-2)
#define BAD_ADDRESS (-4)

static int32_t call(uint32_t fid, uint32_t a1, uint32_t a2, uint32_t a3)
{
	return (int32_t)smccc_call(fid, a1, a2, a3).a0;
}

void tg_hypercalls(void)
{
	static char name[32];
	struct tessera_channel ch;
	struct tessera_partition id;
	struct tg_fault f;
	uint32_t uid[4], major = 0, minor = 0;
	static const char msg[] = "TG hypercalls: written through CONSOLE_WRITE\n";
	int32_t r;

	tg_catch_faults();
	tg_fault_take();
	tg_check(tessera_smccc_version() == 0x10001, "hvc.smccc_version", "0x%x",
		 (unsigned)tessera_smccc_version());
	tg_check(tessera_smccc_arch_features(0x86000003U) == 0, "hvc.features.known",
		 "CONSOLE_WRITE not reported");
	tg_check(tessera_smccc_arch_features(0x860000ffU) == NOT_SUPPORTED, "hvc.features.unknown",
		 "an unknown call reported");
	tg_check(tessera_call_uid(uid) >= 0 && uid[0] == TESSERA_UID0 && uid[3] == TESSERA_UID3,
		 "hvc.uid", "UID %08x...", (unsigned)uid[0]);
	tg_check(tessera_revision(&major, &minor) >= 0 && major == 1, "hvc.revision", "%u.%u",
		 (unsigned)major, (unsigned)minor);
	tg_check(tessera_version() > 0, "hvc.version", "%d", (int)tessera_version());
	tg_check(tessera_partition_id(&id) == 1 && id.vcpu == 0 && id.vcpu_count == 1,
		 "hvc.partition_id", "id %u vcpu %u/%u", (unsigned)id.id, (unsigned)id.vcpu,
		 (unsigned)id.vcpu_count);
	r = tessera_partition_name(name, sizeof(name));
	tg_check(r == 6 && strcmp(name, "caller") == 0, "hvc.partition_name", "%d \"%s\"", (int)r,
		 name);
	tg_check(tessera_partition_name(name, 3) == INVALID_PARAMETER, "hvc.partition_name.short",
		 "a too-short buffer accepted");
	tg_check(tessera_console_write(msg, sizeof(msg) - 1) == (int32_t)(sizeof(msg) - 1),
		 "hvc.console_write", "refused");
	tg_check(tessera_yield() == 0, "hvc.yield", "refused");
	tg_check(tessera_channel_info(0, &ch) == 0 && ch.ipa == 0x50000000 && ch.size == 0x1000,
		 "hvc.channel_info", "ipa 0x%08x size 0x%x", (unsigned)ch.ipa, (unsigned)ch.size);
	tg_check(tessera_channel_info(1, &ch) == INVALID_PARAMETER, "hvc.channel_info.bad_index",
		 "index 1 accepted");
	tg_check(tessera_doorbell_ring(0) == 0, "hvc.doorbell", "refused");
	tg_check(tessera_doorbell_ring(7) == INVALID_PARAMETER, "hvc.doorbell.bad_index",
		 "index 7 accepted");
	tg_check(call(0x86000077U, 0, 0, 0) == NOT_SUPPORTED, "hvc.unknown", "answered");
	tg_check(call(0xc6000001U, 0, 0, 0) == NOT_SUPPORTED, "hvc.smc64", "answered");

	/* Bad pointers and lengths: refused, nothing printed, no fault anywhere. */
	{
		static const struct {
			const char *what;
			uint32_t va, len;
		} bad[] = {
			{ "null", 0, 16 },
			{ "hypervisor", 0x48000000, 16 },
			{ "other-partition", 0x54000000, 16 },
			{ "device", 0x09010000, 4 },
			{ "emulated-gicd", 0x08000000, 4 },
			{ "beyond-ram", 0x40fffff0, 64 },
			{ "wraps", 0xfffffff0, 64 },
			{ "too-long", 0x40000000, 4097 },
		};
		char check[64];
		size_t i;

		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			r = call(0x86000003U, bad[i].va, bad[i].len, 0);
			snprintf(check, sizeof(check), "hvc.console_write.%s", bad[i].what);
			tg_check(r == BAD_ADDRESS || (r == INVALID_PARAMETER && bad[i].len > 4096),
				 check, "returned %d", (int)r);
			if (bad[i].va >= 0x40000000 && bad[i].va < 0x41000000)
				continue; /* the name is 7 bytes: those fit in RAM */
			r = call(0x86000002U, bad[i].va, 32, 0);
			snprintf(check, sizeof(check), "hvc.partition_name.%s", bad[i].what);
			tg_check(r == BAD_ADDRESS, check, "returned %d", (int)r);
		}
		/* The name must not run past the end of RAM, byte for byte. */
		r = call(0x86000002U, 0x40fffffc, 32, 0);
		tg_check(r == BAD_ADDRESS, "hvc.partition_name.end-of-ram", "returned %d", (int)r);
		/* A read-only channel mapping is not a buffer the hypervisor may write. */
		r = call(0x86000002U, 0x50000000, 32, 0);
		tg_check(r == BAD_ADDRESS, "hvc.partition_name.read-only", "returned %d", (int)r);
	}
	f = tg_fault_take();
	tg_check(f.count == 0, "hvc.no_fault", "%u faults", (unsigned)f.count);
	tg_done();
	tg_heartbeat_loop(tg_arg_u32("period", 100), tg_arg_u32("beats", 0));
}
