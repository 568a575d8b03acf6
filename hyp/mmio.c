/*
 * Stage-2 translation faults: an access to one of the partition's emulated
 * device pages (the distributor, the PL011) is decoded from the syndrome and
 * emulated; anything else is a contained guest fault.
 *
 * Only what the syndrome describes is emulated (ARM ARM B3.13.6, ISV = 1:
 * size, sign extension, register, direction).  Load/store multiple,
 * LDRD/STRD, writeback forms and the like come with ISV = 0: they are
 * contained like any other fault, never decoded from the instruction.
 */
#include "hyp.h"
#include "hsr.h"
#include "sysreg.h"

#define EMULATED_PAGE 0x1000U

static void unhandled(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa, u32 va, const char *what)
{
	struct guest_fault f = { .what = what,
				 .ipa = ipa,
				 .has_ipa = true,
				 .va = va,
				 .pc = read_elr_hyp(),
				 .hsr = hsr,
				 .write = hsr & HSR_DABT_WNR };

	guest_fault(v, r, &f);
}

void mmio_abort(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa, u32 va)
{
	const struct cfg_partition *cfg = v->part->cfg;
	struct mmio_access a;
	bool gicd, ok;
	u32 value = 0;

	if (ipa >= cfg->gicd_ipa && ipa - cfg->gicd_ipa < EMULATED_PAGE)
		gicd = true;
	else if (ipa >= cfg->uart_ipa && ipa - cfg->uart_ipa < EMULATED_PAGE)
		gicd = false;
	else {
		unhandled(v, r, hsr, ipa, va, "stage-2 data abort");
		return;
	}
	if (!mmio_decode(hsr, (u32)(ipa & (EMULATED_PAGE - 1)), &a)) {
		unhandled(v, r, hsr, ipa, va,
			  "access to an emulated device that the syndrome does not describe");
		return;
	}
	if (!hsr_cond_passed(hsr, read_spsr())) {
		guest_skip_instruction(hsr);
		return;
	}
	if (a.write)
		value = guest_reg_read(r, a.reg);
	if (gicd)
		ok = a.write ? vgicd_write(&v->part->vgic, v->index, a.offset, a.size, value) :
			       vgicd_read(&v->part->vgic, v->index, a.offset, a.size, &value);
	else
		ok = a.write ? vuart_write(v->part, a.offset, a.size, value) :
			       vuart_read(v->part, a.offset, a.size, &value);
	if (!ok) {
		/* An access size or alignment the device does not allow. */
		unhandled(v, r, hsr, ipa, va,
			  "access to an emulated device of a size or alignment it does not allow");
		return;
	}
	if (!a.write)
		guest_reg_write(r, a.reg, mmio_load_value(value, a.size, a.sign_extend));
	guest_skip_instruction(hsr);
}
