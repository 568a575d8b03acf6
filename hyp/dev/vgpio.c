/*
 * The doorbell GPIO: an emulated PL061 (ARM DDI 0190B) carrying one channel end's doorbells
 * (vgpio.h says what each line does).  Pure state and decisions: the caller (mmio.c) raises
 * the interrupt and rings the peer as the returned flags say.
 */
#include "hyp/dev/vgpio.h"

#include <string.h>

#if CFG_GPIO_COUNT /* else vgpio.h has stand-ins: no end has a doorbell GPIO */

/* PrimeCell identification at 0xfe0-0xffc, one byte per word: part 0x061, designer ARM. */
static const u8 pl061_id[8] = { 0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

#define REG(offset) (((offset)-PL061_DIR) / 4)

/*
 * Not inlined into its one caller, mmio_emulate.c's emulate(): there it cost 32 bytes more
 * than the call (registers spilled across the whole function).
 */
__attribute__((noinline)) u32 vgpio_access(struct vgpio *g, u32 offset, u32 size, bool write,
					   u32 *value)
{
	u32 v = *value & 0xffU, lines, r = 0; /* r: what a load reads (zero where nothing is) */

	/* Byte (readb/writeb, as Linux's driver) or word accesses, naturally aligned. */
	if ((size != 1 && size != 4) || (offset & (size - 1)))
		return VGPIO_REFUSE;
	if (offset < PL061_DATA_END) {
		/* Address bits [9:2] select the lines an access reads or writes (DDI 0190B 3.3.1). */
		lines = (offset >> 2) & g->reg[REG(PL061_DIR)];
		if (write) {
			g->data = (u8)((g->data & ~lines) | (v & lines));
			return (v & lines & VGPIO_LINE_OUT) ? VGPIO_RING : 0;
		}
		r = g->data & lines;
	} else if (offset & 3) {
		/* A byte of a register other than its lowest: reads as zero, writes ignored. */
	} else if (offset >= PL061_PERIPHID0) {
		r = pl061_id[(offset - PL061_PERIPHID0) / 4]; /* read-only */
	} else if (offset > PL061_AFSEL) {
		/* Reserved: reads as zero, writes ignored. */
	} else if (!write) {
		/*
		 * A snapshot: acquire, so that what the peer wrote before its ring is seen by the
		 * loads after this one; GPIOIE is only ever written by the owner.
		 */
		u32 ris = __atomic_load_n(&g->ris, __ATOMIC_ACQUIRE);
		u32 ie = __atomic_load_n(&g->ie, __ATOMIC_RELAXED);

		/* GPIOIC's byte of reg is never written (below): it reads as zero. */
		r = offset == PL061_RIS ? ris :
		    offset == PL061_MIS ? ris & ie :
		    offset == PL061_IE	? ie :
					  g->reg[REG(offset)];
	} else if (offset == PL061_IE) {
		/* A ring already pending interrupts as soon as it is enabled (its line is a level). */
		/* Store, then load, with a full barrier between (vgpio_ring does the mirror image). */
		__atomic_store_n(&g->ie, v, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		return (v & __atomic_load_n(&g->ris, __ATOMIC_RELAXED)) ? VGPIO_RAISE : 0;
	} else if (offset == PL061_IC) {
		(void)__atomic_fetch_and(&g->ris, ~v, __ATOMIC_SEQ_CST);
	} else {
		/* GPIORIS and GPIOMIS ignore writes: their bytes of reg are stored, never read. */
		g->reg[REG(offset)] = (u8)v;
	}
	if (!write)
		*value = r;
	return 0;
}

bool vgpio_ring(struct vgpio *g)
{
	/* Release: what the ringer wrote before is seen after an acquire of RIS. */
	(void)__atomic_fetch_or(&g->ris, VGPIO_LINE_IN, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	return __atomic_load_n(&g->ie, __ATOMIC_RELAXED) & VGPIO_LINE_IN;
}

void vgpio_reset(struct vgpio *g)
{
	memset(g, 0, sizeof(*g));
}
#endif
