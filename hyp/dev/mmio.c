/*
 * The data abort trap's hot path: an access to one of the partition's emulated device pages
 * (the distributor, the PL011) that the syndrome describes and a fast path below answers;
 * every other access goes to mmio_emulate.c (built for size), anything that is not on an
 * emulated page to data_abort (hyp/core/fault.c).
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
#include "hyp/dev/vuart.h"
#include "vgic/vgic.h"

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
	mmio_emulate(v, r, hsr, MMIO_GICD);
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
		mmio_emulate(v, r, hsr, MMIO_UART);
	}
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
	/* Cache maintenance (HSR.CM) on an emulated page too is data_abort's: no access to emulate. */
	u32 type = hsr & (FSC_TYPE_MASK | HSR_DABT_S1PTW | HSR_DABT_CM);

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
