/*
 * A channel end's doorbell GPIO (vgpio.c): the emulated PL061 through which a partition with
 * no way to make hypercalls (Linux user space, through the kernel's own gpio-pl061 driver and
 * the GPIO character device) takes its peer's doorbells and rings its peer.
 *
 *   line 0 (input)   each ring of the peer is an edge: RIS bit 0 is set, and the PL061's
 *                    interrupt (the end's doorbell-irq) is raised if GPIOIE bit 0 is set
 *   line 1 (output)  each data write that sets it to 1, with GPIODIR bit 1 set, rings the
 *                    peer as DOORBELL_RING would
 *
 * GPIODIR, GPIOIS, GPIOIBE, GPIOIEV and GPIOAFSEL read back what was written and change
 * nothing else; GPIOIC clears RIS bits; the PrimeCell ID registers say PL061 (ARM DDI 0190B,
 * 3.3) so that Linux's AMBA bus probes it.  Other offsets read as zero and ignore writes.
 *
 * Concurrency: the peer's CPU sets RIS and reads GPIOIE (vgpio_ring) while the owner's vCPUs
 * access the registers; RIS and GPIOIE are atomics, each side's store and load separated by
 * a sequentially consistent fence, so a ring and an enable racing each other raise the
 * interrupt at least once.  The other registers are the
 * owner's alone (its driver serialises its own accesses).
 */
#ifndef TESSERA_HYP_VGPIO_H
#define TESSERA_HYP_VGPIO_H

#include "tessera/bits.h"
#include "tessera/types.h"

#define VGPIO_LINE_IN BIT(0)
#define VGPIO_LINE_OUT BIT(1)

/* PL061 registers (ARM DDI 0190B, 3.2): data at 0x000-0x3fc, address bits [9:2] the mask. */
#define PL061_DATA_END 0x400U
#define PL061_DIR 0x400U
#define PL061_IE 0x410U
#define PL061_RIS 0x414U
#define PL061_MIS 0x418U
#define PL061_IC 0x41cU
#define PL061_AFSEL 0x420U
#define PL061_PERIPHID0 0xfe0U

/* What an access asks the caller to do. */
#define VGPIO_RAISE BIT(0) /* raise the partition's PL061 interrupt */
#define VGPIO_RING BIT(1) /* ring the peer */
#define VGPIO_REFUSE BIT(2) /* a size or alignment the device does not allow: a guest fault */

struct vgpio {
	u32 ris; /* raw interrupt status (bit 0): set by the peer's CPU */
	u32 ie; /* GPIOIE: read by the peer's CPU */
	u8 reg[(PL061_AFSEL - PL061_DIR) / 4 + 1]; /* GPIODIR .. GPIOAFSEL, as written */
	u8 data; /* the output lines as last written */
};

/* One per channel end with a doorbell GPIO: cfg_endpoint.gpio - 1 (hyp/core/partition.c). */
extern struct vgpio vgpios[];

#include "config_gen.h"

#if CFG_GPIO_COUNT
/*
 * A load (write false: *value gets what it reads) or store (*value is stored) of 'size'
 * bytes at 'offset' in the page; returns VGPIO_* flags.
 */
u32 vgpio_access(struct vgpio *g, u32 offset, u32 size, bool write, u32 *value);

/* The peer rang: an edge on line 0.  True if the PL061's interrupt is to be raised. */
bool vgpio_ring(struct vgpio *g);

/* As after reset: every register zero, no ring pending. */
void vgpio_reset(struct vgpio *g);
#else
/*
 * A system without doorbell GPIOs (tcfg counts them): no channel end names one, so nothing
 * reaches these; the PL061's code is left out of such a build (600 bytes of .text).
 */
static inline u32 vgpio_access(struct vgpio *g, u32 offset, u32 size, bool write, u32 *value)
{
	(void)g, (void)offset, (void)size, (void)write, (void)value;
	return VGPIO_REFUSE;
}

static inline bool vgpio_ring(struct vgpio *g)
{
	(void)g;
	return false;
}

static inline void vgpio_reset(struct vgpio *g)
{
	(void)g;
}
#endif

#endif /* TESSERA_HYP_VGPIO_H */
