/*
 * Fuzz target "mmio": the decoding of data-abort syndromes (hyp/mmio_decode.c)
 * against an independent reading of the ARM ARM (B3.13.6, ISS of data aborts
 * with ISV = 1), and the emulated-device path of a host-built Tessera
 * (hyp/dev/mmio.c: mmio_abort) with any syndrome and any IPA, near and inside the
 * emulated distributor and PL011 pages, on every CPU.
 *
 * Input: a byte choosing pure decoding checks (even) or the system (odd); the
 * system part is the fuzz_sys.h set-up, then steps of which most are device
 * accesses and direct mmio_abort() calls, with interrupts and guest
 * acknowledges between them so the distributor has state to show.
 */
#include "fuzz_sys.h"

#define MAX_STEPS 128

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The ARM ARM's reading, written independently of mmio_decode(). */
static void check_decode(u32 hsr, u32 offset, u32 value)
{
	struct mmio_access a = { 0 };
	bool isv = (hsr >> 24) & 1;
	u32 sas = (hsr >> 22) & 3, srt = (hsr >> 16) & 15;
	bool ok = mmio_decode(hsr, offset, &a);

	FUZZ_CHECK(ok == (isv && sas != 3 && srt != 15), "mmio_decode(0x%08x) = %d", hsr, ok);
	if (ok) {
		u32 bits = 8U << sas, want;

		FUZZ_CHECK(a.offset == offset && a.size == (1U << sas) && a.reg == srt &&
				   a.write == ((hsr >> 6) & 1) &&
				   a.sign_extend == ((hsr >> 21) & 1),
			   "mmio_decode(0x%08x): offset 0x%x size %u reg %u write %d sext %d", hsr,
			   a.offset, a.size, a.reg, a.write, a.sign_extend);
		if (bits == 32)
			want = value;
		else if (a.sign_extend)
			want = (u32)(((s32)(value << (32 - bits))) >> (32 - bits));
		else
			want = value & ((1U << bits) - 1);
		FUZZ_CHECK(mmio_load_value(value, a.size, a.sign_extend) == want,
			   "mmio_load_value(0x%08x, %u, %d) = 0x%08x, want 0x%08x", value, a.size,
			   a.sign_extend, mmio_load_value(value, a.size, a.sign_extend), want);
	}
}

static struct {
	u32 hsr;
	u64 ipa;
	u32 va;
} call;

static void direct_abort(struct regs *r)
{
	struct vcpu *v = this_cpu()->vcpu;

	/* As hyp/core/trap.c's data_abort() after a translation fault: emulated, or a fault. */
	if (!mmio_abort(v, r, call.hsr, call.ipa))
		mmio_fault(v, r, call.hsr, call.ipa, call.va, "stage-2 data abort");
}

static void step_direct(struct fin *f, u32 cpu)
{
	static const u32 bases[] = { 0x08000000, 0x09000000, 0x07fff000,   0x08001000,
				     0x09001000, 0x40000000, FAKE_GPIO_IPA };
	u32 offset = fin_u16(f);

	call.hsr = (u32)HSR_EC_DABT_GUEST << HSR_EC_SHIFT | HSR_IL |
		   (fin_u32(f) & (HSR_DABT_ISV | HSR_DABT_SAS_MASK | HSR_DABT_SSE |
				  HSR_DABT_SRT_MASK | HSR_DABT_WNR)) |
		   (FSC_TRANSLATION + 1);
	call.ipa = (u64)FIN_PICK(f, bases) + (fin_bool(f) ? offset % 0x1000 : offset);
	if (fin_u8(f) == 0xff)
		call.ipa |= (u64)fin_u8(f) << 32;
	call.va = fin_u32(f);
	sys_set_trap_regs(cpu, call.hsr, call.va, (u32)(call.ipa >> 8) & ~0xfU,
			  FAKE_GUEST_RAM_IPA + 0x300, sys_guest_spsr(f));
	sys_enter(cpu, direct_abort);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0;

	if (!(fin_u8(&f) & 1)) {
		while (fin_more(&f))
			check_decode(fin_u32(&f), fin_u16(&f) & 0xfff, fin_u32(&f));
		return 0;
	}
	sys_reset_from(&f);
	while (fin_more(&f) && steps++ < MAX_STEPS) {
		u8 sel = fin_u8(&f);
		u32 cpu = sel % SYS_CPUS;

		switch ((sel >> 2) % 8) {
		case 0:
		case 1:
		case 2:
			sys_step(&f, cpu, 2); /* a device access through hyp_trap */
			break;
		case 3:
		case 4:
			if (sys_guest_vcpu(cpu)) {
				step_direct(&f, cpu);
				sys_check();
			}
			break;
		case 5:
			sys_step(&f, cpu, 3); /* a physical interrupt */
			break;
		case 6:
			sys_step(&f, cpu, 5); /* the guest acknowledges or completes */
			break;
		default:
			sys_step(&f, cpu, 7);
			break;
		}
	}
	sys_finish();
	return 0;
}
