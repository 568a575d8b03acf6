/*
 * The emulated PL011 every partition sees (vuart.c): output collected into
 * lines for the console, input from the console's routing, interrupts on
 * the partition's virtual UART line.
 */
#ifndef TESSERA_HYP_VUART_H
#define TESSERA_HYP_VUART_H

#include "abi/config.h"
#include "arch/spinlock.h"
#include "dev/pl011.h"
#include "tessera/types.h"

struct partition;

#define VUART_FIFO 32 /* the receive FIFO as the partition sees it (FR.RXFF, the IFLS levels) */
/*
 * What the console has received for the partition: the FIFO, and behind it the bytes a real
 * UART would still be receiving from the wire, so a pasted line reaches a guest that reads
 * as fast as its interrupts come (the physical UART is read as fast as bytes arrive).
 */
#define VUART_RX_BUFFER 256
#define VUART_LINE_MAX 160

/* A line being collected from one vCPU. */
struct vuart_line {
	u32 len;
	u32 escaped; /* bytes of it shown escaped (\xNN) */
	u32 open; /* its last piece went out without its end: the next one continues it */
	u32 seq; /* 1: an ESC held, to see if a control sequence starts; 2: in one (put_char) */
	u64 since; /* counter value when the pending partial line began */
	char text[VUART_LINE_MAX];
};

/* The registers kept as written, by offset / 4 (DR to DMACR: vuart.c's write masks). */
#define VUART_REGS (PL011_DMACR / 4 + 1)

/* The scalars first: Thumb-2's short loads and stores reach small offsets only. */
struct vuart {
	spinlock_t lock;
	bool line_high; /* the interrupt line as last told to the vGIC */
	bool rx_lost; /* bytes dropped, the buffer full: the next DR read says so (OE) */
	u32 rx_head, rx_count;
	u32 reg[VUART_REGS]; /* FR, MIS and ICR are not kept: computed, or write-only */
	u8 rx[VUART_RX_BUFFER];
	struct vuart_line line[CFG_CPU_MAX]; /* one per vCPU: their lines never mix */
};

/* The PL011's FR as the partition reads it (TXFE always: the console takes every byte). */
static inline u32 vuart_fr(const struct vuart *u)
{
	/* Polled by every console driver: a snapshot, no lock, nothing changes. */
	u32 count = __atomic_load_n(&u->rx_count, __ATOMIC_RELAXED);

	/* RXFF: the FIFO full, or with FIFOs off (LCR_H.FEN clear) the holding register. */
	return PL011_FR_TXFE | (count ? 0 : PL011_FR_RXFE) |
	       (count >= ((u->reg[PL011_LCR_H / 4] & PL011_LCR_H_FEN) ? VUART_FIFO : 1U) ?
			PL011_FR_RXFF :
			0);
}

void vuart_init(struct partition *p);
/*
 * A load (*value out) or a store (*value in) of 'size' bytes at 'offset' in the PL011's
 * page; false if the access is not naturally aligned (a guest fault: mmio_emulate.c).
 */
bool vuart_access(struct partition *p, u32 offset, u32 size, bool write, u32 *value);
void vuart_rx(struct partition *p, u8 c);
void vuart_output(struct partition *p, const char *s, u32 len);
/*
 * Flush a partial line older than 'age' counter ticks; true if one is still pending.  Age 0
 * (the partition stopped): every line, with an ESC it held (nothing follows it now).
 */
bool vuart_flush_stale(struct partition *p, u64 age);
/*
 * vCPU 'index' of p stops: its unfinished line goes out now, as its Hyp timer would have sent
 * it (a partition whose lines are in device order shares one: partition_vcpu_parked's).
 */
void vuart_flush_vcpu(struct partition *p, u32 index);

#endif /* TESSERA_HYP_VUART_H */
