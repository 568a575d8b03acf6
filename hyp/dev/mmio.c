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
#include "arch/sysreg.h"
#include "hyp/arch/hsr.h"
#include "hyp/arch/regs.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "dev/pl011.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/dev/mmio.h"
#include "hyp/dev/vgpio.h"
#include "hyp/dev/vuart.h"
#include "vgic/vgic.h"

#define EMULATED_PAGE 0x1000U

__attribute__((noinline, cold)) void mmio_fault(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa,
						u32 va, const char *what)
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

/* The emulated device whose page holds 'ipa', if any. */
static enum mmio_device emulated_device(const struct cfg_partition *cfg, u64 ipa)
{
	u64 page = ipa & ~(u64)(EMULATED_PAGE - 1);

	return page == cfg->gicd_ipa ? MMIO_GICD : page == cfg->uart_ipa ? MMIO_UART : MMIO_NONE;
}

/* The faulting IPA: the device's page (as HPFAR reported it) and the access's page offset. */
static u64 device_ipa(const struct vcpu *v, enum mmio_device device, u32 offset)
{
	u32 hpfar = device == MMIO_GICD ? v->part->gicd_hpfar : v->part->uart_hpfar;

	return ((u64)hpfar << 8) | offset;
}

/* Off the hot path: a fault on an emulated page, described from HDFAR again. */
static __attribute__((noinline, cold)) void mmio_refuse(struct vcpu *v, struct regs *r, u32 hsr,
							enum mmio_device device, const char *what)
{
	u32 hdfar = read_hdfar();

	mmio_fault(v, r, hsr, device_ipa(v, device, hdfar & (EMULATED_PAGE - 1)), hdfar, what);
}

/*
 * Loads and stores the syndrome describes (ARM ARM B3.13.6, ISV = 1), with the fields read in
 * place rather than through mmio_decode()'s structure (the unit tests and the mmio fuzzer
 * hold mmio_decode() to the ARM ARM; both read the same fields).  Only the syndrome and the
 * frame stay live across the device's call: this is the path of every distributor and UART
 * access (make bench, docs/bench.md).
 */
#define MMIO_FAST_MASK (HSR_DABT_ISV | BIT(HSR_DABT_SRT_SHIFT + 3))
#define MMIO_MASK (MMIO_FAST_MASK | HSR_DABT_SAS_MASK | HSR_DABT_WNR)
#define MMIO_LOAD_WORD (HSR_DABT_ISV | (2U << HSR_DABT_SAS_SHIFT))
#define MMIO_STORE_WORD (MMIO_LOAD_WORD | HSR_DABT_WNR)
#define MMIO_STORE_BYTE (HSR_DABT_ISV | HSR_DABT_WNR)

/*
 * Every access the syndrome describes that the fast paths below did not take (other
 * registers, other sizes, banked registers), and every refusal, with its fault.
 */
static __attribute__((noinline, cold)) void emulate(struct vcpu *v, struct regs *r, u32 hsr,
						    enum mmio_device device)
{
	/* The page offset of the IPA is the VA's (4 KiB pages at both stages). */
	u32 offset = read_hdfar() & (EMULATED_PAGE - 1), value = 0, size;
	u32 sas = (hsr & HSR_DABT_SAS_MASK) >> HSR_DABT_SAS_SHIFT;
	u32 reg = (hsr & HSR_DABT_SRT_MASK) >> HSR_DABT_SRT_SHIFT;
	bool ok;

	if (!(hsr & HSR_DABT_ISV) || sas == 3 || reg == 15) {
		mmio_refuse(v, r, hsr, device,
			    "access to an emulated device that the syndrome does not describe");
		return;
	}
	size = 1U << sas;
	/* No condition check: an instruction that fails its condition never accesses memory. */
	if (hsr & HSR_DABT_WNR)
		ok = device == MMIO_GICD ?
			     vgicd_write(&v->part->vgic, v->index, offset, size,
					 guest_reg_get(r, reg)) :
			     vuart_write(v->part, offset, size, guest_reg_get(r, reg));
	else if ((ok = device == MMIO_GICD ?
			       vgicd_read(&v->part->vgic, v->index, offset, size, &value) :
			       vuart_read(v->part, offset, size, &value)))
		guest_reg_set(r, reg, mmio_load_value(value, size, hsr & HSR_DABT_SSE));
	if (!ok) {
		/* A refused load leaves the register as it was. */
		mmio_refuse(
			v, r, hsr, device,
			"access to an emulated device of a size or alignment it does not allow");
		return;
	}
	guest_skip_instruction(hsr);
}

/*
 * The distributor's accesses guests make most, answered without the general path's decoding:
 * word loads into r0-r7 of TYPER and the lock-free registers (vgicd_read_word) without a call,
 * GICD_SGIR first among the stores, then the common word and byte stores (make bench,
 * docs/bench.md).
 */
static inline __attribute__((always_inline)) void emulate_gicd(struct vcpu *v, struct regs *r,
							       u32 hsr)
{
	/* The syndrome's fields the fast paths need, decoded once for loads and stores. */
	u32 access = hsr & MMIO_MASK, offset = read_hdfar() & (EMULATED_PAGE - 1), value;

	if (access == MMIO_LOAD_WORD) {
		if (offset == GICD_TYPER)
			value = vgicd_typer(&v->part->vgic);
		else if ((offset & 3) || !vgicd_read_word(&v->part->vgic, &v->vgic, offset, &value))
			goto general;
		r->r[(hsr >> HSR_DABT_SRT_SHIFT) & 7] = value;
		goto done;
	}
	value = r->r[(hsr >> HSR_DABT_SRT_SHIFT) & 7];
	if (access == MMIO_STORE_WORD) {
		if (offset == GICD_SGIR) {
			/* Skipped first: the SGI's post is the last call. */
			guest_skip_instruction(hsr);
			vgicd_sgir(&v->vgic, value);
			return;
		}
		if (vgicd_write_word_fast(&v->vgic, offset, value))
			goto done;
	} else if (access == MMIO_STORE_BYTE && vgicd_write_byte_fast(&v->vgic, offset, value)) {
		goto done;
	}
general:
	emulate(v, r, hsr, MMIO_GICD);
	return;
done:
	guest_skip_instruction(hsr);
}

/* The UART's FR, polled once per character, answered without a stack frame or a call. */
static inline __attribute__((always_inline)) void emulate_uart(struct vcpu *v, struct regs *r,
							       u32 hsr)
{
	if ((hsr & MMIO_MASK) == MMIO_LOAD_WORD &&
	    (read_hdfar() & (EMULATED_PAGE - 1)) == PL011_FR) {
		r->r[(hsr >> HSR_DABT_SRT_SHIFT) & 7] = vuart_fr(&v->part->vuart);
		guest_skip_instruction(hsr);
	} else {
		emulate(v, r, hsr, MMIO_UART);
	}
}

/*
 * An access to a channel end's doorbell GPIO page (vgpio.c), if 'ipa' is in one: rare (a
 * few per doorbell), so found by a search of the partition's ends.
 */
static __attribute__((noinline, cold)) bool gpio_abort(struct vcpu *v, struct regs *r, u32 hsr,
						       u64 ipa)
{
	const struct cfg_partition *cfg = v->part->cfg;
	const struct cfg_endpoint *e = NULL;
	struct mmio_access a;
	u32 value = 0, act = VGPIO_REFUSE, i;

	/* By index: a partition without channels has no endpoint table at all. */
	for (i = 0; i < cfg->endpoint_count && !e; i++)
		if (cfg->endpoints[i].gpio &&
		    cfg->endpoints[i].gpio_ipa == (ipa & ~(u64)(EMULATED_PAGE - 1)))
			e = &cfg->endpoints[i];
	if (!e)
		return false;
	if (mmio_decode(hsr, (u32)ipa & (EMULATED_PAGE - 1), &a)) {
		if (a.write)
			value = guest_reg_get(r, a.reg);
		act = vgpio_access(&vgpios[e->gpio - 1], a.offset, a.size, a.write, &value);
	}
	if (act & VGPIO_REFUSE) {
		/* A refused load leaves the register as it was. */
		mmio_fault(v, r, hsr, ipa, read_hdfar(),
			   "access to a doorbell PL061 that the syndrome does not describe, or of "
			   "a size or alignment it does not allow");
		return true;
	}
	if (!a.write)
		guest_reg_set(r, a.reg, mmio_load_value(value, a.size, a.sign_extend));
	if (act & VGPIO_RAISE)
		vgic_raise(&v->part->vgic, e->irq);
	if (act & VGPIO_RING)
		partition_ring(e);
	guest_skip_instruction(hsr);
	return true;
}

__attribute__((cold)) bool mmio_abort(struct vcpu *v, struct regs *r, u32 hsr, u64 ipa)
{
	enum mmio_device device = emulated_device(v->part->cfg, ipa);

	if (device == MMIO_NONE)
		return gpio_abort(v, r, hsr, ipa);
	/* Only if HPFAR disagreed with HDFAR's walk (mmio_trap_dabt takes these pages). */
	emulate(v, r, hsr, device);
	return true;
}

/*
 * Data aborts: the hot case, a translation fault on an emulated device page whose IPA HPFAR
 * gives, is recognised without any 64-bit arithmetic and emulated in the same frame (make
 * bench: every distributor and UART access); anything else is data_abort's.
 */
void mmio_trap_dabt(struct regs *r, u32 hsr)
{
	struct cpu *c = this_cpu();
	struct vcpu *v = c->vcpu;
	u32 type = hsr & (FSC_TYPE_MASK | HSR_DABT_S1PTW);

	c->stats.count[STATS_DABT]++;
	if (type == FSC_TRANSLATION) {
		u32 hpfar = read_hpfar() & HPFAR_FIPA_MASK;

		if (hpfar == v->part->gicd_hpfar) {
			emulate_gicd(v, r, hsr);
			return;
		}
		if (hpfar == v->part->uart_hpfar) {
			emulate_uart(v, r, hsr);
			return;
		}
	}
	data_abort(v, r, hsr);
}
