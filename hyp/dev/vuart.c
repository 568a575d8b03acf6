/*
 * Each partition's emulated PL011 (PL011 TRM, DDI 0183G, 3.3), at the UART
 * IPA of its machine layout, so an unmodified PL011 driver prints and reads.
 *
 * Transmit: bytes collect into a line per vCPU that goes to the console whole,
 * tagged with the partition's name, so lines of different partitions, or of
 * two vCPUs of one, never mix; a line left without its newline (a prompt, an
 * echo) goes out after 50 ms, and one longer than VUART_LINE_MAX in pieces: the
 * console keeps such a line open and continues it with the next piece, unless
 * another line went out between them (hyp/dev/console.c).  Control bytes are
 * shown escaped (put_char).
 * The CONSOLE_WRITE hypercall (hyp/core/smccc.c) comes in here too.
 * The transmit FIFO is always empty (the console takes every byte at once).
 * Receive: a 32-byte FIFO filled by the console when the partition has the
 * input focus.  Interrupts: receive and receive-timeout while data waits,
 * transmit after each write (as QEMU's PL011 does), with IMSC, RIS, MIS and
 * ICR; the line to the vGIC is (RIS & IMSC) != 0.
 */
#include "dev/pl011.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/vuart.h"
#include "vgic/vgic.h"

#include <string.h>

/* PeriphID0-3 and PCellID0-3 of an ARM PL011 r1p5. */
static const u8 pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

#define REG(name) reg[PL011_##name / 4]

/*
 * The bits a write keeps, by offset / 4.  0: a read-only or reserved register, where a write
 * stores the zero kept there (or in a word never read: FR and MIS are computed), and RSR,
 * which any write clears.  DR, ICR and RIS (read-only, its bits kept) have rules of their own
 * in vuart_access.
 */
static const u16 write_mask[VUART_REGS] = {
	[PL011_IBRD / 4] = 0xffff, [PL011_FBRD / 4] = 0x3f, [PL011_LCR_H / 4] = 0xff,
	[PL011_CR / 4] = 0xff87,   [PL011_IFLS / 4] = 0x3f, [PL011_IMSC / 4] = PL011_INT_ALL,
	[PL011_DMACR / 4] = 7,
};

/*
 * p's UART, its address opaque to the compiler, so its fields are reached from it at small
 * offsets (Thumb-2's 16-bit loads and stores), not from p's at offsets past 700 (32-bit
 * encodings): code size only, nothing else changes.  Not in vuart_access: LTO inlines it into
 * the MMIO emulation, where it cost the distributor's general path an instruction (make
 * bench); nor in vuart_flush_stale and vuart_flush_vcpu, which reach only the lock and the
 * lines and come out smaller without it.
 */
static inline struct vuart *vuart_of(struct partition *p)
{
	struct vuart *u = &p->vuart;

	HIDE_VALUE(u);
	return u;
}

/*
 * The line so far to the console: ended ('whole'), or a piece that leaves it open; an empty
 * piece that leaves it open says that its vCPU's run ended it (console.c: it shows nothing).
 */
static void flush_line(struct partition *p, struct vuart_line *l, bool whole)
{
	u32 n = (u32)(l - p->vuart.line);

	console_guest_line(p->cfg->id, l->text, l->len, l->escaped,
			   (l->open ? CONSOLE_PIECE_CONT : 0) | (whole ? 0 : CONSOLE_PIECE_OPEN) |
				   n << CONSOLE_PIECE_LINE_SHIFT);
	l->len = 0;
	l->escaped = 0;
	l->open = !whole;
}

/*
 * Line l ends with its vCPU's run: what it holds goes out, the line ended; if it was left open
 * with nothing since, an empty piece left open ends it.
 */
static void end_line(struct partition *p, struct vuart_line *l)
{
	if (l->len || l->open)
		flush_line(p, l, l->len != 0);
	l->open = 0; /* its next run's first line is a line of its own */
}

_Static_assert(offsetof(struct vuart, line_high) < offsetof(struct vuart, rx_lost) &&
		       offsetof(struct vuart, rx_lost) < offsetof(struct vuart, rx_head) &&
		       offsetof(struct vuart, rx_count) < offsetof(struct vuart, reg) &&
		       offsetof(struct vuart, reg) < offsetof(struct vuart, rx),
	       "vuart_init clears line_high to reg in one memset");

void vuart_init(struct partition *p)
{
	struct vuart *u = vuart_of(p);
	u32 i;

	spin_lock(&u->lock);
	/* line_high, rx_lost, the FIFO's indices and the registers: zero. */
	memset(&u->line_high, 0, offsetof(struct vuart, rx) - offsetof(struct vuart, line_high));
	u->REG(CR) = PL011_CR_TXE | PL011_CR_RXE; /* as after reset */
	u->REG(IFLS) = 0x12;
	for (i = 0; i < CFG_CPU_MAX; i++) {
		u->line[i].seq = 0;
		end_line(p, &u->line[i]); /* (a device-order line is left open at its stop) */
	}
	spin_unlock(&u->lock);
}

/*
 * One byte into line l.  Only printable ASCII and TAB reach the terminal as they are; every
 * other byte (NUL, ESC, BEL, backspace, DEL, bytes >= 0x80) is shown as \xNN and counted, so
 * a partition cannot move the cursor, clear or split a line, or forge a line of the
 * hypervisor or of another partition.  CR is dropped (the console ends lines itself); LF
 * ends the line.
 */
static void put_byte(struct partition *p, struct vuart_line *l, bool own, u8 b)
{
	static const char hex[] = "0123456789abcdef";
	char c = (char)b;
	bool escape = (u32)b - 0x20 > 0x7e - 0x20 && b != '\t'; /* not printable ASCII or TAB */

	if (b == '\r')
		return;
	if (b == '\n') {
		flush_line(p, l, true);
		return;
	}
	if (l->len + (escape ? 4 : 1) > VUART_LINE_MAX)
		flush_line(p, l, false); /* an escape is never cut */
	if (l->len == 0) {
		l->since = timer_now();
		if (own)
			hyp_timer_flush_line_later();
	}
	if (escape) {
		l->escaped++;
		l->text[l->len++] = '\\';
		l->text[l->len++] = 'x';
		l->text[l->len++] = hex[b >> 4];
		c = hex[b & 15];
	}
	l->text[l->len++] = c;
	if (l->len == VUART_LINE_MAX)
		flush_line(p, l, false); /* a very long line goes out in pieces */
}

/*
 * Line l's control sequence ends with its vCPU's run, or with its partition's stop: an ESC
 * held goes out as that run's last byte, and its next run's first byte is not taken for a
 * sequence's.  Out of line (noinline): one copy for its two callers, not one inlined in each.
 */
__attribute__((noinline)) static void end_sequence(struct partition *p, struct vuart_line *l)
{
	if (l->seq == 1)
		put_byte(p, l, false, 0x1b);
	l->seq = 0;
}

/*
 * One byte into the calling vCPU's line (each vCPU of p has its own; vCPU 0's from
 * elsewhere, and every vCPU's in a partition whose console is in device order: Linux's,
 * whose serial driver serializes its output and whose processes move between CPUs, so one
 * line may be written from two of them).  A control sequence (ECMA-48 5.4: ESC [, then
 * bytes 0x20-0x3f, up to a final byte 0x40-0x7e) is dropped and its bytes counted: the
 * colours, cursor moves and cursor-position queries of a shell and its programs would
 * otherwise clutter every line as \x1b[...; any other byte in one ends it and counts as
 * itself (so a newline is never swallowed).  Every other byte: put_byte.
 */
static void put_char(struct partition *p, char c)
{
	const struct vcpu *v = this_cpu()->vcpu;
	bool own = v && v->part == p;
	struct vuart_line *l = p->vuart.line;
	u8 b = (u8)c;

	if (own && !p->cfg->console_device_order)
		l += v->index; /* below cpu_count, at most CFG_CPU_MAX (partition.c's vcpus[]) */
	if (l->seq == 2 && (u32)b - 0x20 < 0x7f - 0x20) {
		l->escaped++;
		l->seq = b < 0x40 ? 2 : 0; /* a final byte ends it */
		return;
	}
	if (l->seq == 1 && b == '[') {
		l->escaped += 2;
		l->seq = 2;
		return;
	}
	if (l->seq == 1)
		put_byte(p, l, own, 0x1b); /* an ESC that starts no control sequence */
	l->seq = b == 0x1b;
	if (!l->seq)
		put_byte(p, l, own, b);
}

bool vuart_flush_stale(struct partition *p, u64 age)
{
	struct vuart *u = &p->vuart;
	bool pending = false;
	u64 now = timer_now();
	u32 i;

	spin_lock(&u->lock);
	for (i = 0; i < CFG_CPU_MAX; i++) {
		struct vuart_line *l = &u->line[i];

		if (!age)
			end_sequence(p, l); /* a device-order line's (vuart_flush_vcpu) */
		if (l->len && now - l->since >= age)
			flush_line(p, l, false);
		pending |= l->len != 0;
	}
	spin_unlock(&u->lock);
	return pending;
}

void vuart_flush_vcpu(struct partition *p, u32 index)
{
	struct vuart *u = &p->vuart;

	spin_lock(&u->lock);
	if (!p->cfg->console_device_order) { /* (a shared line goes on with the other vCPUs) */
		struct vuart_line *l = &u->line[index];

		end_sequence(p, l);
		end_line(p, l);
	}
	spin_unlock(&u->lock);
}

void vuart_output(struct partition *p, const char *s, u32 len)
{
	u32 i;

	spin_lock(&p->vuart.lock);
	for (i = 0; i < len; i++)
		put_char(p, s[i]);
	spin_unlock(&p->vuart.lock);
}

/* Bytes waiting that raise RX (PL011 TRM, DDI 0183G, 2.4.3 and UARTRXINTR). */
static u32 rx_level(const struct vuart *u)
{
	/* 1/8 .. 7/8 of 32; the reserved values as 7/8 */
	static const u8 levels[8] = { 4, 8, 16, 24, 28, 28, 28, 28 };

	if (!(u->REG(LCR_H) & PL011_LCR_H_FEN))
		return 1; /* FIFOs off: a one-character holding register, RX at each byte */
	return levels[(u->REG(IFLS) >> 3) & 7];
}

/*
 * With 'rx', the receive interrupts as the FIFO and IFLS say; then the line to the vGIC, then
 * the lock (held) is released.
 */
static void update_interrupts_unlock(struct partition *p, bool rx)
{
	struct vuart *u = vuart_of(p);
	u32 ris = u->REG(RIS);
	bool high;

	if (rx) {
		ris &= ~(PL011_INT_RX | PL011_INT_RT);
		if (u->rx_count) /* data waiting: the receive timeout fires; RX at its level (>= 1) */
			ris |= PL011_INT_RT | (u->rx_count >= rx_level(u) ? PL011_INT_RX : 0);
		u->REG(RIS) = ris;
	}
	high = (ris & u->REG(IMSC)) != 0;
	if (high != u->line_high) {
		u->line_high = high;
		vgic_set_line(&p->vgic, p->cfg->uart_irq, high);
	}
	spin_unlock(&u->lock);
}

bool vuart_access(struct partition *p, u32 offset, u32 size, bool write, u32 *value)
{
	struct vuart *u = &p->vuart;
	u32 word = offset & ~3U, v = *value;

	if (offset & (size - 1))
		return false;
	spin_lock(&u->lock);
	if (write && offset == PL011_DR) {
		/* First: every byte a partition prints comes this way. */
		put_char(p, (char)(v & 0xff));
		u->REG(RIS) |= PL011_INT_TX; /* the byte left at once: the FIFO is empty again */
		update_interrupts_unlock(p, false);
		return true;
	}
	if (!write) {
		v = 0; /* where nothing is kept */
		if (word == PL011_FR) {
			v = vuart_fr(u);
		} else if (word == PL011_DR) {
			if (u->rx_count) {
				v = u->rx[u->rx_head] | (u->rx_lost ? PL011_DR_OE : 0);
				u->rx_lost = false;
				u->rx_head = (u->rx_head + 1) % VUART_RX_BUFFER;
				u->rx_count--;
			}
		} else if (word == PL011_MIS) {
			v = u->REG(RIS) & u->REG(IMSC);
		} else if (offset < PL011_DMACR + 4) {
			v = u->reg[offset / 4]; /* what was kept */
		} else if (offset >= PL011_PERIPHID0 && offset < PL011_PERIPHID0 + 0x20) {
			v = pl011_id[(offset - PL011_PERIPHID0) / 4];
		}
		*value = v >> (8 * (offset & 3));
	} else if (offset == PL011_ICR) {
		u->REG(RIS) &= ~v;
	} else if (!(offset & 3) && offset < PL011_DMACR + 4 && offset != PL011_RIS) {
		u->reg[offset / 4] = v & write_mask[offset / 4];
	}
	/*
	 * After any other access: a DR read takes from the FIFO, IFLS moves the receive level,
	 * and receive interrupts persist while data waits, whatever ICR cleared.
	 */
	update_interrupts_unlock(p, true);
	return true;
}

void vuart_rx(struct partition *p, u8 c)
{
	struct vuart *u = vuart_of(p);

	spin_lock(&u->lock);
	if (u->rx_count < VUART_RX_BUFFER) {
		u->rx[(u->rx_head + u->rx_count) % VUART_RX_BUFFER] = c;
		u->rx_count++;
	} else {
		u->REG(RSR) |= PL011_RSR_OE; /* overrun */
		u->rx_lost = true;
	}
	update_interrupts_unlock(p, true);
}
