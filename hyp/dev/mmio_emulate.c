/*
 * The general path of the emulated device pages (mmio.h), built for size: every access
 * mmio.c's fast paths do not take, the doorbell GPIO pages, and the refusals.  Only what
 * the syndrome describes is emulated (ARM ARM B3.13.6, ISV = 1: size, sign extension,
 * register, direction); load/store multiple, LDRD/STRD, writeback forms and the like come
 * with ISV = 0 and are contained like any other fault, never decoded from the instruction.
 */
#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "hyp/arch/regs.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/partition.h"
#include "hyp/dev/mmio.h"
#include "hyp/dev/vgpio.h"
#include "hyp/dev/vuart.h"
#include "vgic/vgic.h"

__attribute__((noinline)) void mmio_fault(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa, u32 va,
					  const char *what)
{
	struct guest_fault f = { .what = what,
				 .ipa = ipa,
				 .has_ipa = true,
				 .va = va,
				 .hsr = hsr,
				 .write = hsr & HSR_DABT_WNR,
				 .instruction = false }; /* every member: no memset first */

	guest_fault(v, r, &f);
}

/* The emulated device whose page holds 'ipa', if any. */
static enum mmio_device emulated_device(const struct cfg_partition *cfg, u64 ipa)
{
	u64 page = ipa & ~(u64)(EMULATED_PAGE - 1);

	return page == cfg->gicd_ipa ? MMIO_GICD : page == cfg->uart_ipa ? MMIO_UART : MMIO_NONE;
}

/*
 * Every access mmio.c's fast paths did not take (other registers, other sizes, banked
 * registers) and every access to a doorbell GPIO page, decoded by mmio_decode() and handed
 * to the device: the distributor, the PL011, or (device MMIO_NONE) the doorbell PL061 of end
 * 'e' (vgpio.c, whose VGPIO_* flags say what follows for all three).  A refusal, with its
 * fault.  Every caller's access is a stage-2 translation fault (not on a stage-1 walk), so
 * HPFAR holds its IPA's page and HDFAR its page offset (ARM ARM B3.12.7, B4.1.70; 4 KiB pages
 * at both stages), as mmio_trap_dabt and fault_ipa read them.
 */
static void emulate(struct vcpu *v, struct regs *r, u32 hsr, enum mmio_device device,
		    const struct cfg_endpoint *e)
{
	static const char gpio_refusal[] = "access to a doorbell PL061 that the syndrome does not "
					   "describe, or of a size or alignment it does not allow";
	static const char *const refusals[] = {
		"access to an emulated device that the syndrome does not describe",
		"access to an emulated device of a size or alignment it does not allow",
		gpio_refusal,
	};
	struct mmio_access a;
	u32 va = read_hdfar(), value = 0, act = VGPIO_REFUSE;
	bool described = mmio_decode(hsr, va & (EMULATED_PAGE - 1), &a);

	/*
	 * No condition check: an instruction that fails its condition never accesses memory.
	 * Registers through regs.c's calls, whatever their number: one call each, off the hot path.
	 */
	if (described) {
		if (a.write)
			value = guest_reg_read(r, a.reg);
		if (device == MMIO_NONE)
			act = vgpio_access(&vgpios[e->gpio - 1], a.offset, a.size, a.write, &value);
		else if (device == MMIO_UART ?
				 vuart_access(v->part, a.offset, a.size, a.write, &value) :
			 a.write ? vgicd_write(&v->part->vgic, v->index, a.offset, a.size, value) :
				   vgicd_read(&v->part->vgic, v->index, a.offset, a.size, &value))
			act = 0;
	}
	if (act & VGPIO_REFUSE) {
		/* A refused load leaves the register as it was. */
		mmio_fault(v, r, hsr,
			   ((u64)(read_hpfar() & HPFAR_FIPA_MASK) << 8) |
				   (va & (EMULATED_PAGE - 1)),
			   va, refusals[device == MMIO_NONE ? 2 : described]);
		return;
	}
	if (!a.write)
		guest_reg_write(r, a.reg, mmio_load_value(value, a.size, a.sign_extend));
	if (act & VGPIO_RAISE)
		vgic_raise(&v->part->vgic, e->irq);
	if (act & VGPIO_RING)
		partition_ring(e);
	guest_skip_instruction(hsr);
}

/* The fast paths' way out, to emulate(). */
void mmio_emulate(struct vcpu *v, struct regs *r, u32 hsr, enum mmio_device device)
{
	emulate(v, r, hsr, device, NULL);
}

bool mmio_abort(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa)
{
	const struct cfg_partition *cfg = v->part->cfg;
	enum mmio_device device = emulated_device(cfg, ipa);
	u32 i;

	/* Only if HPFAR disagreed with HDFAR's walk (mmio_trap_dabt takes these pages). */
	if (device != MMIO_NONE) {
		mmio_emulate(v, r, hsr, device);
		return true;
	}
	/*
	 * A channel end's doorbell GPIO page: rare (a few per doorbell), so found by a search
	 * of the partition's ends; by index: a partition without channels has no endpoint
	 * table at all.
	 */
	for (i = 0; i < cfg->endpoint_count; i++) {
		const struct cfg_endpoint *e = &cfg->endpoints[i];

		if (e->gpio && e->gpio_ipa == (ipa & ~(u64)(EMULATED_PAGE - 1))) {
			emulate(v, r, hsr, MMIO_NONE, e);
			return true;
		}
	}
	return false;
}
