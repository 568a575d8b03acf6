/*
 * Fuzz target "vuart": the emulated PL011 (hyp/dev/vuart.c) alone, driven by any
 * sequence of register reads and writes (any offset, size, value), received
 * bytes and hypercall output, against a model:
 *
 *   - the receive FIFO returns the bytes received, in order, and drops (and
 *     flags overrun on) what does not fit its 32 entries;
 *   - RIS has RX while the FIFO holds at least the IFLS level (one byte with
 *     the FIFOs off, LCR_H.FEN clear) and RT while it
 *     holds anything; the line to the vGIC is (RIS & IMSC) != 0, told on
 *     every change;
 *   - transmitted bytes reach the console as whole lines of the partition,
 *     without CR, printable ASCII and TAB as they are and every other byte as
 *     \xNN (counted, never cut), cut at 160 characters; a partial line
 *     goes out when vuart_flush_stale() finds it old enough (the Hyp timer
 *     asks, having been armed when the line began).
 *
 * Input: steps of a byte (kind) and its operands.
 */
#include <string.h>

#include "hyp/arch/inject.h"
#include "hyp/arch/trap.h"
#include "hyp/core/cpu.h"
#include "hyp/core/fault.h"
#include "hyp/core/guest_mem.h"
#include "hyp/core/hypercall.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/mmio.h"
#include "hyp/dev/vuart.h"
#include "fuzz_input.h"

#define MAX_STEPS 512
#define UART_IRQ 33

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct partition part;
static struct cfg_partition cfg = { .name = "uart0", .uart_irq = UART_IRQ };

/* The model. */
static struct {
	u8 fifo[VUART_RX_BUFFER];
	u32 head, count;
	bool overrun, dr_oe; /* RSR.OE; DR.OE with the next byte read */
	char line[VUART_LINE_MAX + 1];
	u32 line_len;
	u32 escaped; /* of the bytes in line */
	struct {
		char text[VUART_LINE_MAX + 1];
		u32 len, escaped;
		u32 piece; /* console_guest_line's 'piece' for it */
	} out[2]; /* the lines that must go out next, in order (a held ESC and a newline: two) */
	u32 out_due;
	bool open; /* the last line out left its line open: the next continues it */
	u32 seq; /* 1: an ESC held; 2: in a control sequence */
	u64 line_since;
	bool level; /* as last told to the vGIC */
	u32 lines;
	u32 timer_arms; /* hyp_timer_flush_line_later() calls */
	u32 arms_expected; /* lines begun on the partition's own CPU */
} m;

static u64 now;
static struct vcpu vcpu;
static struct cpu cpu;

/* ---- What vuart.c calls ------------------------------------------------------- */

void vgic_set_line(struct vgic_dist *d, u32 intid, bool high)
{
	FUZZ_CHECK(d == &part.vgic && intid == UART_IRQ, "line change of INTID %u", intid);
	FUZZ_CHECK(high != m.level, "the line was told %d twice", high);
	m.level = high;
}

static void model_emit(bool whole);

void console_guest_line(u32 id, const char *text, size_t len, u32 escaped, u32 piece)
{
	FUZZ_CHECK(id == cfg.id, "line of partition %u", id);
	if (!m.out_due) /* a stale partial line */
		model_emit(false);
	/* The one vCPU's line, line buffer 0. */
	FUZZ_CHECK(piece == m.out[0].piece, "piece flags %#x, the model's %#x", piece,
		   m.out[0].piece);
	FUZZ_CHECK(len == m.out[0].len && !memcmp(text, m.out[0].text, len) &&
			   escaped == m.out[0].escaped,
		   "console got %zu bytes \"%.*s\" (%u escaped), the model has %u \"%.*s\" (%u)",
		   len, (int)len, text, escaped, m.out[0].len, (int)m.out[0].len, m.out[0].text,
		   m.out[0].escaped);
	m.out[0] = m.out[1];
	m.out_due--;
	m.lines++;
}

u64 timer_now(void)
{
	return now;
}

struct cpu *this_cpu(void)
{
	return &cpu;
}

void hyp_timer_flush_line_later(void)
{
	m.timer_arms++;
}

/* ---- The model's transmit side ------------------------------------------------- */

/* The model's line is due to go out. */
static void model_emit(bool whole)
{
	memcpy(m.out[m.out_due].text, m.line, m.line_len);
	m.out[m.out_due].len = m.line_len;
	m.out[m.out_due].escaped = m.escaped;
	m.out[m.out_due].piece = (m.open ? CONSOLE_PIECE_CONT : 0) |
				 (whole ? 0 : CONSOLE_PIECE_OPEN);
	m.open = !whole;
	m.out_due++;
	m.line_len = m.escaped = 0;
}

/* One byte into the line (vuart.c's put_byte); the lines it sends are due (m.out). */
static void model_byte(char c)
{
	static const char hex[] = "0123456789abcdef";
	u8 b = (u8)c;
	bool plain = (b >= 0x20 && b <= 0x7e) || b == '\t';

	if (c == '\r')
		return;
	if (c == '\n') {
		model_emit(true);
		return;
	}
	if (!plain && m.line_len + 4 > VUART_LINE_MAX)
		model_emit(false);
	if (!m.line_len) {
		m.line_since = now;
		m.arms_expected += cpu.vcpu != NULL;
	}
	if (plain) {
		m.line[m.line_len++] = c;
	} else {
		m.line[m.line_len++] = '\\';
		m.line[m.line_len++] = 'x';
		m.line[m.line_len++] = hex[b >> 4];
		m.line[m.line_len++] = hex[b & 15];
		m.escaped++;
	}
	if (m.line_len == VUART_LINE_MAX)
		model_emit(false);
}

/*
 * Feed one byte (vuart.c's put_char).  ESC [ ... final byte (ECMA-48 5.4) is dropped and
 * counted; a byte outside 0x20-0x7e ends such a sequence and counts as itself; an ESC not
 * followed by '[' is shown as \x1b: it and the byte after may send two lines.
 */
static void model_tx(char c)
{
	u8 b = (u8)c;

	if (m.seq == 2 && b >= 0x20 && b <= 0x7e) {
		m.escaped++;
		if (b >= 0x40)
			m.seq = 0;
		return;
	}
	if (m.seq == 1 && b == '[') {
		m.escaped += 2;
		m.seq = 2;
		return;
	}
	if (m.seq == 1)
		model_byte(0x1b);
	m.seq = b == 0x1b;
	if (!m.seq)
		model_byte(c);
}

static void tx_byte(char c, bool hypercall, u32 size)
{
	u32 lines = m.lines, v = (u8)c | 0x100, due;

	model_tx(c);
	due = m.out_due;
	if (hypercall)
		vuart_output(&part, &c, 1);
	else
		FUZZ_CHECK(vuart_access(&part, 0x000, size, true, &v), "DR write refused");
	FUZZ_CHECK(m.lines == lines + due, "byte 0x%02x: %u lines out, expected %u", (u8)c,
		   m.lines - lines, due);
}

/* ---- Steps -------------------------------------------------------------------- */

static u32 pick_offset(struct fin *f)
{
	static const u32 offsets[] = { 0x000, 0x004, 0x018, 0x020, 0x024, 0x028, 0x02c,
				       0x030, 0x034, 0x038, 0x03c, 0x040, 0x044, 0x048,
				       0xfe0, 0xfe4, 0xff0, 0xffc, 0x001, 0x002, 0x03e };

	return FIN_PICK(f, offsets) & 0xfff;
}

static void step_read(struct fin *f)
{
	u32 offset = pick_offset(f), size = 1U << (fin_u8(f) % 3), v = 0xdeadbeef;
	bool pop = (offset & ~3U) == 0 && m.count && !(offset & (size - 1));
	u8 want = m.fifo[m.head];

	if (!vuart_access(&part, offset, size, false, &v)) {
		FUZZ_CHECK(offset & (size - 1), "aligned read of 0x%x (size %u) refused", offset,
			   size);
		return;
	}
	if (pop) {
		FUZZ_CHECK(offset != 0 || v == (want | (m.dr_oe ? PL011_DR_OE : 0U)),
			   "DR read 0x%x, the FIFO had 0x%02x, overrun %d", v, want, m.dr_oe);
		m.dr_oe = false;
		m.head = (m.head + 1) % VUART_RX_BUFFER;
		m.count--;
	}
	if (offset == 0x018) {
		u32 full = (part.vuart.reg[PL011_LCR_H / 4] & PL011_LCR_H_FEN) ? 32 : 1;

		FUZZ_CHECK(!!(v & BIT(4)) == (m.count == 0) && !!(v & BIT(6)) == (m.count >= full),
			   "FR 0x%x with %u bytes waiting", v, m.count);
	}
	if (offset == 0x004)
		FUZZ_CHECK(!!(v & BIT(3)) == m.overrun, "RSR 0x%x, overrun %d", v, m.overrun);
}

static void step_write(struct fin *f)
{
	u32 offset = pick_offset(f), size = 1U << (fin_u8(f) % 3), v = fin_u32(f);

	if (offset == 0) {
		if (!(fin_u8(f) & 3))
			tx_byte((char)v, false, size);
		return;
	}
	if (offset == 0x004)
		m.overrun = false;
	if (!vuart_access(&part, offset, size, true, &v))
		FUZZ_CHECK(offset & (size - 1), "aligned write of 0x%x refused", offset);
	else
		FUZZ_CHECK(!(offset & (size - 1)), "misaligned write of 0x%x accepted", offset);
}

static void step_rx(struct fin *f)
{
	u32 n = 1 + (fin_u8(f) & 0x80 ? fin_u8(f) + 64U : fin_u8(f) % 40U), i; /* up to a paste */

	for (i = 0; i < n; i++) {
		u8 c = fin_u8(f);

		vuart_rx(&part, c);
		if (m.count < VUART_RX_BUFFER)
			m.fifo[(m.head + m.count++) % VUART_RX_BUFFER] = c;
		else
			m.overrun = m.dr_oe = true;
	}
}

/* Time passes and the Hyp timer looks for a stale partial line. */
static void step_time(struct fin *f)
{
	static const u32 ticks[] = { 0, 1, 49, 50, 51, 1000 };
	u64 age = FIN_PICK(f, ticks) % 2000;
	u32 lines = m.lines;
	bool stale, pending;

	now += FIN_PICK(f, ticks) % 2000;
	stale = m.line_len && now - m.line_since >= age;
	pending = vuart_flush_stale(&part, age);
	FUZZ_CHECK(m.lines == lines + stale, "stale line (age %llu) %s", age,
		   stale ? "kept" : "flushed early");
	FUZZ_CHECK(pending == (m.line_len != 0), "flush_stale says %d with %u bytes", pending,
		   m.line_len);
}

static void step_output(struct fin *f)
{
	static const u32 chars[] = { 'a',  'b',	 '\n', '\r', ' ', 0,  0xff,
				     '\t', 0x1b, 0x7f, '[',  '6', 'm' };
	u32 n = fin_u8(f), i;

	for (i = 0; i < n; i++)
		tx_byte((char)FIN_PICK(f, chars), true, 1);
}

/* Interrupt state against the model, after every step. */
static void check(void)
{
	const struct vuart *u = &part.vuart;
	static const u32 levels[] = { 4, 8, 16, 24, 28, 28, 28, 28 };
	u32 level = (u->reg[PL011_LCR_H / 4] & PL011_LCR_H_FEN) ?
			    levels[(u->reg[PL011_IFLS / 4] >> 3) & 7] :
			    1; /* FIFOs off (FEN clear) */
	u32 ris = u->reg[PL011_RIS / 4], imsc = u->reg[PL011_IMSC / 4];

	FUZZ_CHECK(u->rx_count == m.count && u->rx_head == m.head, "FIFO %u@%u, model %u@%u",
		   u->rx_count, u->rx_head, m.count, m.head);
	FUZZ_CHECK(!!(ris & BIT(6)) == (m.count > 0), "RT 0x%x with %u bytes", ris, m.count);
	FUZZ_CHECK(!!(ris & BIT(4)) == (m.count >= level), "RX 0x%x with %u bytes, level %u", ris,
		   m.count, level);
	FUZZ_CHECK(m.level == ((ris & imsc) != 0) && u->line_high == m.level,
		   "line %d, RIS 0x%x IMSC 0x%x", m.level, ris, imsc);
	FUZZ_CHECK(u->line[0].len < VUART_LINE_MAX, "line buffer holds %u", u->line[0].len);
	FUZZ_CHECK(!m.out_due, "a line due did not go out");
	FUZZ_CHECK(m.timer_arms == m.arms_expected, "flush timer armed %u times, expected %u",
		   m.timer_arms, m.arms_expected);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0;

	memset(&part, 0, sizeof(part));
	memset(&m, 0, sizeof(m));
	now = 0;
	part.cfg = &cfg;
	vcpu.part = &part;
	cpu.vcpu = fin_bool(&f) ? &vcpu : NULL; /* the partition's own CPU, or another */
	vuart_init(&part);
	check();
	while (fin_more(&f) && steps++ < MAX_STEPS) {
		switch (fin_u8(&f) % 6) {
		case 0:
		case 1:
			step_read(&f);
			break;
		case 2:
			step_write(&f);
			break;
		case 3:
			step_rx(&f);
			break;
		case 4:
			step_time(&f);
			break;
		default:
			step_output(&f);
			break;
		}
		check();
	}
	return 0;
}
