/*
 * Fuzz target "vuart": the emulated PL011 (hyp/dev/vuart.c) and the console behind it
 * (hyp/dev/console.c), driven by any sequence of register reads and writes (any offset,
 * size, value), received bytes, hypercall output, a second vCPU's output, stops and restarts
 * of the partition, a second partition's pieces of lines, hypervisor log lines and a UART that
 * takes bytes or not, against a model:
 *
 *   - the receive FIFO returns the bytes received, in order, and drops (and
 *     flags overrun on) what does not fit its 32 entries;
 *   - RIS has RX while the FIFO holds at least the IFLS level (one byte with
 *     the FIFOs off, LCR_H.FEN clear) and RT while it
 *     holds anything; the line to the vGIC is (RIS & IMSC) != 0, told on
 *     every change;
 *   - transmitted bytes reach the console as whole lines of the vCPU that wrote them (one
 *     line buffer a vCPU, the partition's one in device order), without CR, printable ASCII
 *     and TAB as they are and every other byte as \xNN (counted, never cut), cut at 160
 *     characters; a partial line goes out when vuart_flush_stale() finds it old enough (the
 *     Hyp timer asks, having been armed when the line began) or its vCPU stops;
 *   - on the terminal (what the UART took), every line is one source's: it starts with its
 *     tag and the start of a line the source sent, or continues the open line of the same
 *     source and line buffer, untagged; pieces of each source appear in the order sent, none
 *     twice; a line that is only the end of an open line another line ended shows nothing,
 *     nor does an empty piece left open (its vCPU's run ended the line: it is kept no more);
 *     but a partition's open line begun while it had the focus (kept from its first piece, if
 *     no other open line of that partition's is kept, up to CONSOLE_ECHO_MAX bytes as shown;
 *     each partition's apart) shows again, whole, before its next piece once another line has
 *     ended it, if that partition has the focus then (the focus moves once all is out; a kept
 *     line whose piece shows its tag, unfocused, is kept from that tag on);
 *     every line the console took is on the terminal, and every one it did not take is
 *     counted in the "console: ..." notes (lines and bytes) -- nothing is lost silently.
 *
 * The terminal is checked once the UART has taken everything, at the end of each input.
 *
 * Input: steps of a byte (kind) and its operands.
 */
#include <string.h>

#include "hyp/core/cpu.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/monitor.h"
#include "hyp/dev/vuart.h"
#include "platform/uart.h"
#include "vgic/vgic.h"
#include "fuzz_input.h"

/*
 * The console itself, in this file: the oracle reads which lines it took from its drop counts
 * (con.guest), which say nothing about a dropped empty line in any other way.  Its drain and
 * rendering are checked only from what reaches the UART.
 */
#include "hyp/dev/console.c"

#define MAX_STEPS 512
#define MAX_INPUT 4096 /* libFuzzer's -max_len in tests/fuzz/run_fuzz.py */
#define UART_IRQ 33
#define VCPUS 2
/* The console's sources here: partition 0 (the PL011), partition 1 (pieces), the hypervisor. */
#define RINGS 3
#define RING_HYP 2
#define MAX_PIECES (16 * MAX_INPUT)
#define TEXT_BYTES (512 * MAX_INPUT)
#define TERMINAL_BYTES (1024 * MAX_INPUT)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct partition partitions[CFG_PARTITION_COUNT];
struct cpu cpus[PLAT_CPU_COUNT];
static struct cfg_partition cfgs[CFG_PARTITION_COUNT] = {
	{ .id = 0, .name = "uart0", .uart_irq = UART_IRQ, .cpu_count = VCPUS },
	{ .id = 1, .name = "uart1" },
	{ .id = 2, .name = "uart2" },
};
const struct cfg_system cfg_system = { .partitions = cfgs, .partition_count = CFG_PARTITION_COUNT };
static const char *const tags[RINGS] = { "uart0", "uart1", "tessera" };

#define P0 (&partitions[0]) /* the partition of the PL011 */

/* The model of partition 0's PL011. */
struct mline {
	char text[VUART_LINE_MAX + 1];
	u32 len;
	u32 escaped; /* of the bytes in text */
	u32 seq; /* 1: an ESC held; 2: in a control sequence */
	u64 since;
	bool open; /* its last piece left it open: the next continues it */
};

static struct {
	u8 fifo[VUART_RX_BUFFER];
	u32 head, count;
	bool overrun, dr_oe; /* RSR.OE; DR.OE with the next byte read */
	struct mline line[VCPUS]; /* line buffer i: vCPU i's (device order: 0 for all) */
	struct {
		char text[VUART_LINE_MAX + 1];
		u32 len, escaped;
		u32 piece; /* console_guest_line's 'piece' for it */
	} out[8]; /* the lines that must go out next, in order */
	u32 out_due;
	bool level; /* as last told to the vGIC */
	u32 lines;
	u32 timer_arms; /* hyp_timer_flush_line_later() calls */
	u32 arms_expected; /* lines begun on the partition's own CPU */
	u32 writer; /* 0: a CPU of no vCPU of the partition; 1 + i: vCPU i's */
	bool device_order;
	bool open1[VCPUS]; /* partition 1's line buffers: open */
} m;

/* What the console took, by source, in order; and what it did not. */
struct piece {
	u32 text; /* offset in 'texts' */
	u16 len;
	u8 buf; /* the line buffer */
	u8 flags; /* CONSOLE_PIECE_CONT, CONSOLE_PIECE_OPEN */
	u8 focus; /* the partition that had the input when the console took it */
};

static struct {
	struct piece piece[RINGS][MAX_PIECES];
	u32 count[RINGS];
	char texts[TEXT_BYTES];
	u32 text_used;
	u32 lost_lines[RINGS], lost_bytes[RINGS];
	char terminal[TERMINAL_BYTES]; /* what the UART took */
	u32 terminal_len;
	u32 budget; /* bytes the UART takes before it is full */
} t;

static u64 now;
static u32 focus; /* the partition console input goes to: 2 prints nothing */

static struct vcpu vcpus[VCPUS];
static u32 cpu_now;

/* ---- What vuart.c and console.c call ------------------------------------------ */

void vgic_set_line(struct vgic_dist *d, u32 intid, bool high)
{
	FUZZ_CHECK(d == &P0->vgic && intid == UART_IRQ, "line change of INTID %u", intid);
	FUZZ_CHECK(high != m.level, "the line was told %d twice", high);
	m.level = high;
}

u64 timer_now(void)
{
	return now;
}

u64 timer_ms_to_ticks(u32 ms)
{
	return ms;
}

struct cpu *this_cpu(void)
{
	return &cpus[cpu_now];
}

void hyp_timer_flush_line_later(void)
{
	m.timer_arms++;
}

void hyp_timer_console_later(void)
{
}

void gic_irq_route(u32 intid, u32 cpu)
{
	FUZZ_CHECK(intid == PLAT_UART_IRQ && cpu < PLAT_CPU_COUNT, "route %u to %u", intid, cpu);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
}

bool monitor_input(u8 c)
{
	return false;
}

bool uart_try_putc(char c)
{
	if (!t.budget)
		return false;
	t.budget--;
	FUZZ_CHECK(t.terminal_len < TERMINAL_BYTES, "terminal full");
	t.terminal[t.terminal_len++] = c;
	return true;
}

int uart_try_getc(void)
{
	return -1;
}

void uart_irq_enable(bool rx, bool tx)
{
}

void uart_flush(void)
{
}

/* A line into the console: its bytes and whether the console took it, kept for the terminal. */
static void console_took(u32 ring, const char *text, size_t len, u32 piece, bool taken)
{
	struct piece *p = &t.piece[ring][t.count[ring]];

	if (!taken) {
		t.lost_lines[ring]++;
		t.lost_bytes[ring] += (u32)len;
		return;
	}
	FUZZ_CHECK(t.count[ring] < MAX_PIECES && t.text_used + len <= TEXT_BYTES, "too many");
	memcpy(&t.texts[t.text_used], text, len);
	p->text = t.text_used;
	p->len = (u16)len;
	p->buf = (u8)(piece >> CONSOLE_PIECE_LINE_SHIFT);
	p->flags = (u8)(piece & (CONSOLE_PIECE_CONT | CONSOLE_PIECE_OPEN));
	p->focus = (u8)focus;
	t.text_used += (u32)len;
	t.count[ring]++;
}

/* A line into the console of partition 'id', recorded. */
static void guest_line(u32 id, const char *text, size_t len, u32 escaped, u32 piece)
{
	u32 dropped = con.guest[id].since_boot.dropped_lines;

	console_guest_line(id, text, len, escaped, piece);
	console_took(id, text, len, piece, con.guest[id].since_boot.dropped_lines == dropped);
}

static void model_emit(struct mline *l, bool whole);

/* vuart.c's lines (the link wraps its calls to console_guest_line). */
void __wrap_console_guest_line(u32 id, const char *text, size_t len, u32 escaped, u32 piece);
void __wrap_console_guest_line(u32 id, const char *text, size_t len, u32 escaped, u32 piece)
{
	FUZZ_CHECK(id == 0, "line of partition %u", id);
	FUZZ_CHECK(m.out_due, "a line the model did not send");
	FUZZ_CHECK(piece == m.out[0].piece, "piece flags %#x, the model's %#x", piece,
		   m.out[0].piece);
	FUZZ_CHECK(len == m.out[0].len && !memcmp(text, m.out[0].text, len) &&
			   escaped == m.out[0].escaped,
		   "console got %zu bytes \"%.*s\" (%u escaped), the model has %u \"%.*s\" (%u)",
		   len, (int)len, text, escaped, m.out[0].len, (int)m.out[0].len, m.out[0].text,
		   m.out[0].escaped);
	memmove(&m.out[0], &m.out[1], sizeof(m.out[0]) * (m.out_due - 1));
	m.out_due--;
	m.lines++;
	guest_line(id, text, len, escaped, piece);
}

/* ---- The model's transmit side ------------------------------------------------- */

/* Line l is due to go out (a stale one: at once; else when vuart.c sends it). */
static void model_emit(struct mline *l, bool whole)
{
	u32 n = (u32)(l - m.line);

	FUZZ_CHECK(m.out_due < ARRAY_SIZE(m.out), "model: too many lines due");
	memcpy(m.out[m.out_due].text, l->text, l->len);
	m.out[m.out_due].len = l->len;
	m.out[m.out_due].escaped = l->escaped;
	m.out[m.out_due].piece = (l->open ? CONSOLE_PIECE_CONT : 0) |
				 (whole ? 0 : CONSOLE_PIECE_OPEN) | n << CONSOLE_PIECE_LINE_SHIFT;
	l->open = !whole;
	m.out_due++;
	l->len = l->escaped = 0;
}

/* One byte into line l (vuart.c's put_byte); the lines it sends are due (m.out). */
static void model_byte(struct mline *l, bool own, char c)
{
	static const char hex[] = "0123456789abcdef";
	u8 b = (u8)c;
	bool plain = (b >= 0x20 && b <= 0x7e) || b == '\t';

	if (c == '\r')
		return;
	if (c == '\n') {
		model_emit(l, true);
		return;
	}
	if (!plain && l->len + 4 > VUART_LINE_MAX)
		model_emit(l, false);
	if (!l->len) {
		l->since = now;
		m.arms_expected += own;
	}
	if (plain) {
		l->text[l->len++] = c;
	} else {
		l->text[l->len++] = '\\';
		l->text[l->len++] = 'x';
		l->text[l->len++] = hex[b >> 4];
		l->text[l->len++] = hex[b & 15];
		l->escaped++;
	}
	if (l->len == VUART_LINE_MAX)
		model_emit(l, false);
}

/*
 * Feed one byte (vuart.c's put_char) from the current writer.  ESC [ ... final byte (ECMA-48
 * 5.4) is dropped and counted; a byte outside 0x20-0x7e ends such a sequence and counts as
 * itself; an ESC not followed by '[' is shown as \x1b: it and the byte after may send two lines.
 */
static void model_tx(char c)
{
	bool own = m.writer != 0;
	struct mline *l = &m.line[own && !m.device_order ? m.writer - 1 : 0];
	u8 b = (u8)c;

	if (l->seq == 2 && b >= 0x20 && b <= 0x7e) {
		l->escaped++;
		if (b >= 0x40)
			l->seq = 0;
		return;
	}
	if (l->seq == 1 && b == '[') {
		l->escaped += 2;
		l->seq = 2;
		return;
	}
	if (l->seq == 1)
		model_byte(l, own, 0x1b);
	l->seq = b == 0x1b;
	if (!l->seq)
		model_byte(l, own, c);
}

static void tx_byte(char c, bool hypercall, u32 size)
{
	u32 lines = m.lines, v = (u8)c | 0x100, due;

	model_tx(c);
	due = m.out_due;
	if (hypercall)
		vuart_output(P0, &c, 1);
	else
		FUZZ_CHECK(vuart_access(P0, 0x000, size, true, &v), "DR write refused");
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

	if (!vuart_access(P0, offset, size, false, &v)) {
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
		u32 full = (P0->vuart.reg[PL011_LCR_H / 4] & PL011_LCR_H_FEN) ? 32 : 1;

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
	if (!vuart_access(P0, offset, size, true, &v))
		FUZZ_CHECK(offset & (size - 1), "aligned write of 0x%x refused", offset);
	else
		FUZZ_CHECK(!(offset & (size - 1)), "misaligned write of 0x%x accepted", offset);
}

static void step_rx(struct fin *f)
{
	u32 n = 1 + (fin_u8(f) & 0x80 ? fin_u8(f) + 64U : fin_u8(f) % 40U), i; /* up to a paste */

	for (i = 0; i < n; i++) {
		u8 c = fin_u8(f);

		vuart_rx(P0, c);
		if (m.count < VUART_RX_BUFFER)
			m.fifo[(m.head + m.count++) % VUART_RX_BUFFER] = c;
		else
			m.overrun = m.dr_oe = true;
	}
}

/* The model of vuart_flush_stale(p, age): the lines it sends, due. */
static bool model_flush_stale(u64 age)
{
	bool pending = false;
	u32 i;

	for (i = 0; i < VCPUS; i++) {
		if (!age && m.line[i].seq == 1)
			model_byte(&m.line[i], false, 0x1b); /* (vuart_flush_stale) */
		if (!age)
			m.line[i].seq = 0;
		if (m.line[i].len && now - m.line[i].since >= age)
			model_emit(&m.line[i], false);
		pending |= m.line[i].len != 0;
	}
	return pending;
}

/* Time passes and the Hyp timer looks for a stale partial line. */
static void step_time(struct fin *f)
{
	static const u32 ticks[] = { 0, 1, 49, 50, 51, 1000 };
	u64 age = FIN_PICK(f, ticks) % 2000;
	u32 lines = m.lines, due;
	bool pending, want;

	now += FIN_PICK(f, ticks) % 2000;
	want = model_flush_stale(age);
	due = m.out_due;
	pending = vuart_flush_stale(P0, age);
	FUZZ_CHECK(m.lines == lines + due, "stale lines (age %llu): %u out, expected %u", age,
		   m.lines - lines, due);
	FUZZ_CHECK(pending == want, "flush_stale says %d, the model %d", pending, want);
}

static void step_output(struct fin *f)
{
	static const u32 chars[] = { 'a',  'b',	 '\n', '\r', ' ', 0,  0xff,
				     '\t', 0x1b, 0x7f, '[',  '6', 'm' };
	u32 n = fin_u8(f), i;

	for (i = 0; i < n; i++)
		tx_byte((char)FIN_PICK(f, chars), true, 1);
}

/* Whose output comes next: a CPU of none of the partition's vCPUs, or vCPU 0's or 1's. */
static void step_writer(struct fin *f)
{
	m.writer = fin_u8(f) % (VCPUS + 1);
	cpu_now = m.writer; /* CPU 0 runs no vCPU of it; CPU 1 + i runs vCPU i */
}

/*
 * The partition stops (every vCPU parks: vcpu_park, then partition_vcpu_parked), and starts
 * again or not (partition_start: vuart_init).
 */
static void step_stop(struct fin *f)
{
	u32 lines = m.lines, i;
	struct mline *l;

	for (i = 0; i < VCPUS; i++) {
		l = &m.line[i];
		if (!m.device_order) {
			if (l->seq == 1)
				model_byte(l, false, 0x1b);
			l->seq = 0;
			if (l->len || l->open) /* an empty open piece ends an open line */
				model_emit(l, l->len != 0);
			l->open = false;
		}
		vuart_flush_vcpu(P0, i);
		FUZZ_CHECK(!m.out_due, "vCPU %u parked: a line due did not go out", i);
	}
	(void)model_flush_stale(0);
	(void)vuart_flush_stale(P0, 0);
	FUZZ_CHECK(!m.out_due, "parked: a line due did not go out (%u lines)", m.lines - lines);
	if (!fin_bool(f))
		return;
	for (i = 0; i < VCPUS; i++) {
		l = &m.line[i];
		l->seq = 0; /* (emptied at the stop: vuart_flush_stale) */
		if (l->len || l->open) /* a device-order line left open ends: an empty open piece */
			model_emit(l, l->len != 0);
		l->open = false;
	}
	vuart_init(P0);
	FUZZ_CHECK(!m.out_due, "restarted: a line due did not go out");
	m.count = m.head = 0;
	m.overrun = m.dr_oe = m.level = false;
}

/*
 * Partition 1's lines or pieces of one, straight to the console (its vuart not modelled):
 * up to 16 alike, long enough to fill its ring while the UART is full.
 */
static void step_pieces(struct fin *f)
{
	static const u32 chars[] = { 'x', 'y', ' ', '\t', 0x01, '[', ']', '\\', 0x7f };
	char text[128];
	u32 b = fin_u8(f) % VCPUS, len = fin_u8(f) % sizeof(text), reps = 1 + fin_u8(f) % 16;
	u32 fill = FIN_PICK(f, chars), piece, i;
	/* (vuart.c sends an empty piece that stays open only to end an open line at a stop) */
	bool whole = fin_bool(f) || (!len && !m.open1[b]);

	memset(text, (char)fill, len);
	for (i = 0; i < len && fin_bool(f); i++)
		text[i] = (char)FIN_PICK(f, chars);
	cpu_now = 3;
	while (reps--) {
		piece = (m.open1[b] ? CONSOLE_PIECE_CONT : 0) | (whole ? 0 : CONSOLE_PIECE_OPEN) |
			b << CONSOLE_PIECE_LINE_SHIFT;
		m.open1[b] = !whole && len;
		guest_line(1, text, len, 0, piece);
		if (!m.open1[b] && !whole)
			break;
	}
	cpu_now = m.writer;
}

/* Hypervisor log lines, routine or not: up to 32 alike. */
static void step_log(struct fin *f)
{
	char text[64];
	u32 len = 4 + fin_u8(f) % (sizeof(text) - 4), reps = 1 + fin_u8(f) % 32, lost;
	bool routine = fin_bool(f);

	memset(text, 'h', len);
	memcpy(text, "log ", 4);
	cpu_now = fin_u8(f) % PLAT_CPU_COUNT;
	while (reps--) {
		lost = console_hyp_lost();
		console_hyp_line(text, len, routine);
		console_took(RING_HYP, text, len, 0, console_hyp_lost() == lost);
	}
	cpu_now = m.writer;
}

/* The UART takes that many bytes more, then is full; its interrupt, or the poll. */
static void step_uart(struct fin *f)
{
	static const u32 budgets[] = { 0, 1, 2, 7, 30, 200, 100000 };

	t.budget = FIN_PICK(f, budgets) % 100001;
	if (fin_bool(f))
		console_irq();
	else
		(void)console_poll();
	/*
	 * All out: the focus may move (console_focus, without its line), at a point of the
	 * terminal that decides how every line, before or after it, shows.
	 */
	if (!con.pending && con.line_state == LINE_START && fin_bool(f)) {
		focus = fin_u8(f) % 3;
		con.input = focus;
	}
}

/* Room in the records for another step's lines (some 4 KiB of text, 300 lines, at most). */
static bool room(void)
{
	u32 s;

	for (s = 0; s < RINGS; s++)
		if (t.count[s] + 300 > MAX_PIECES)
			return false;
	return t.text_used + 8192 < TEXT_BYTES && t.terminal_len + 65536 < TERMINAL_BYTES;
}

/* Interrupt state against the model, after every step. */
static void check(void)
{
	const struct vuart *u = &P0->vuart;
	static const u32 levels[] = { 4, 8, 16, 24, 28, 28, 28, 28 };
	u32 level = (u->reg[PL011_LCR_H / 4] & PL011_LCR_H_FEN) ?
			    levels[(u->reg[PL011_IFLS / 4] >> 3) & 7] :
			    1; /* FIFOs off (FEN clear) */
	u32 ris = u->reg[PL011_RIS / 4], imsc = u->reg[PL011_IMSC / 4], i;

	FUZZ_CHECK(u->rx_count == m.count && u->rx_head == m.head, "FIFO %u@%u, model %u@%u",
		   u->rx_count, u->rx_head, m.count, m.head);
	FUZZ_CHECK(!!(ris & BIT(6)) == (m.count > 0), "RT 0x%x with %u bytes", ris, m.count);
	FUZZ_CHECK(!!(ris & BIT(4)) == (m.count >= level), "RX 0x%x with %u bytes, level %u", ris,
		   m.count, level);
	FUZZ_CHECK(m.level == ((ris & imsc) != 0) && u->line_high == m.level,
		   "line %d, RIS 0x%x IMSC 0x%x", m.level, ris, imsc);
	for (i = 0; i < VCPUS; i++)
		FUZZ_CHECK(u->line[i].len == m.line[i].len && u->line[i].len < VUART_LINE_MAX,
			   "line buffer %u holds %u, the model %u", i, u->line[i].len,
			   m.line[i].len);
	FUZZ_CHECK(!m.out_due, "a line due did not go out");
	FUZZ_CHECK(m.timer_arms == m.arms_expected, "flush timer armed %u times, expected %u",
		   m.timer_arms, m.arms_expected);
}

/* ---- The terminal --------------------------------------------------------------- */

/* Where the reading of the terminal is. */
struct reading {
	u32 pos;
	u32 next[RINGS]; /* each source's next piece */
	int open; /* the open line on the terminal: ring * 16 + line buffer, or -1 */
	int kept[RINGS]; /* each partition's open line the console keeps (as open), or -1 */
	u32 kept_len[RINGS];
	char kept_text[RINGS][CONSOLE_ECHO_MAX]; /* as the terminal showed it, its tag first */
	/*
	 * What the notes read so far said: a partition's since-boot drops, the hypervisor's lines
	 * lost (here, not global: a reading that does not fit is left for another).
	 */
	u32 told_lines[RINGS], told_bytes[RINGS];
};

/* The terminal at r continues with s; if so, past it. */
static bool terminal_has(struct reading *r, const char *s, size_t n)
{
	if (t.terminal_len - r->pos < n || memcmp(&t.terminal[r->pos], s, n))
		return false;
	r->pos += (u32)n;
	return true;
}

/* Source s's kept line goes on with n bytes shown at 'shown' (or is too long to keep). */
static void keep_more(struct reading *r, u32 s, const char *shown, u32 n)
{
	if (r->kept_len[s] + n > CONSOLE_ECHO_MAX) {
		r->kept[s] = -1;
		return;
	}
	memcpy(&r->kept_text[s][r->kept_len[s]], shown, n);
	r->kept_len[s] += n;
}

/* A piece's text on the terminal: put_line shows a byte below 0x20 but TAB as a space. */
static bool terminal_has_text(struct reading *r, const struct piece *p)
{
	const char *s = &t.texts[p->text];
	u32 i;

	if (t.terminal_len - r->pos < p->len)
		return false;
	for (i = 0; i < p->len; i++) {
		char c = (u8)s[i] < 0x20 && s[i] != '\t' ? ' ' : s[i];

		if (t.terminal[r->pos + i] != c)
			return false;
	}
	r->pos += p->len;
	return true;
}

/* The rest of a line a note is, and the counts it tells. */
static bool read_note(struct reading *r)
{
	static const char head[] = "[tessera] console: ";
	struct reading at = *r;
	char note[200];
	const char *end;
	u32 len, a, c, lines, bytes, i;

	if (at.open >= 0 && !terminal_has(&at, "\r\n", 2))
		return false;
	if (!terminal_has(&at, head, sizeof(head) - 1))
		return false;
	end = memchr(&t.terminal[at.pos], '\r', t.terminal_len - at.pos);
	FUZZ_CHECK(end && end + 1 < &t.terminal[t.terminal_len] && end[1] == '\n',
		   "a note without its end");
	len = (u32)(end - &t.terminal[at.pos]);
	FUZZ_CHECK(len < sizeof(note), "a note of %u bytes", len);
	memcpy(note, &t.terminal[at.pos], len);
	note[len] = 0;
	if (sscanf(note, "%u hypervisor log lines lost", &a) == 1) {
		at.told_lines[RING_HYP] += a;
	} else {
		for (i = 0; i < 2; i++) {
			char want[32];

			snprintf(want, sizeof(want), "%s: %%u lines", tags[i]);
			if (sscanf(note, want, &a) == 1)
				break;
		}
		FUZZ_CHECK(i < 2 && strstr(note, "(since boot: ") &&
				   sscanf(strstr(note, "(since boot: "), "(since boot: %u, %u, %u)",
					  &lines, &bytes, &c) == 3,
			   "a note not understood: \"%s\"", note);
		/* Since boot, after what the last note told: else not this reading. */
		if (lines < at.told_lines[i] || bytes < at.told_bytes[i] || !a)
			return false;
		at.told_lines[i] = lines;
		at.told_bytes[i] = bytes;
		/* (A line of partition i's that begins and ends: nothing kept changes.) */
	}
	at.pos += len + 2;
	at.open = -1;
	*r = at;
	return true;
}

/*
 * Source s's next piece at r, as console.c shows it (its header): a continuation of the open
 * line untagged, anything else tagged and after the end of an open line; past it if it is
 * there.
 */
static bool read_piece(struct reading *r, u32 s)
{
	const struct piece *p = &t.piece[s][r->next[s]];
	struct reading at = *r;
	int line = (int)(s * 16 + p->buf);
	bool cont = p->flags & CONSOLE_PIECE_CONT, is_kept = cont && at.kept[s] == line;
	bool open = p->flags & CONSOLE_PIECE_OPEN, focused = p->focus == s, keep = false;
	char tag[24];
	u32 start;
	int n = 0;

	if (!cont || at.open != line) {
		if (at.open >= 0 && !terminal_has(&at, "\r\n", 2))
			return false;
		if (is_kept && focused) { /* shown again */
			if (!terminal_has(&at, at.kept_text[s], at.kept_len[s]))
				return false;
		} else {
			n = snprintf(tag, sizeof(tag), "[%s] ", tags[s]);
			if (!terminal_has(&at, tag, (size_t)n))
				return false;
			if (is_kept) { /* shown with its tag (unfocused): kept from the tag on */
				at.kept_len[s] = 0;
				keep = true;
			}
		}
	}
	start = at.pos - (u32)n;
	if (!terminal_has_text(&at, p))
		return false;
	/*
	 * The console keeps a line of the focused source's that begins (its first line if it is
	 * no open one: it ends at once), but for another open one of that source's kept; each
	 * source's apart.
	 */
	if (!cont && focused && at.kept[s] < 0) {
		at.kept[s] = open ? line : -1;
		at.kept_len[s] = 0;
		keep = open;
	} else if (!cont && open && at.kept[s] == line) {
		at.kept[s] = -1; /* its line buffer's next line: the kept one ended */
	}
	if (keep || is_kept)
		keep_more(&at, s, &t.terminal[start], at.pos - start);
	if (open) {
		at.open = line;
	} else {
		if (!terminal_has(&at, "\r\n", 2))
			return false;
		at.open = -1;
		if (cont && at.kept[s] == line)
			at.kept[s] = -1;
	}
	at.next[s]++;
	*r = at;
	return true;
}

/*
 * Whether the rest of the terminal from r is the pieces left, interleaved by source, and notes.
 * A source's next piece that shows nothing (the empty rest of a line that is not the open
 * one) is passed at once: no later turn could show it otherwise.  Where two sources' next
 * pieces both fit, each reading is tried.
 */
static bool read_terminal(struct reading r, struct reading *end)
{
	for (;;) {
		struct reading fits[RINGS];
		u32 s, n = 0, left = 0;
		bool passed = false;

		for (s = 0; s < RINGS; s++) {
			const struct piece *p = &t.piece[s][r.next[s]];

			int line = (int)(s * 16 + p->buf);

			/*
			 * Nothing shows (and a kept line has ended) of an empty rest of a line not
			 * open, unless kept and focused (shown again), nor of an empty piece left
			 * open (its line ended with its vCPU's run).
			 */
			if (r.next[s] < t.count[s] && !p->len &&
			    (p->flags == (CONSOLE_PIECE_CONT | CONSOLE_PIECE_OPEN) ||
			     (p->flags == CONSOLE_PIECE_CONT && r.open != line &&
			      !(r.kept[s] == line && p->focus == s)))) {
				if (r.kept[s] == line)
					r.kept[s] = -1;
				r.next[s]++;
				passed = true;
			}
		}
		if (passed)
			continue;
		if (read_note(&r))
			continue;
		for (s = 0; s < RINGS; s++) {
			left += t.count[s] - r.next[s];
			fits[n] = r;
			if (r.next[s] < t.count[s] && read_piece(&fits[n], s))
				n++;
		}
		if (!left) {
			*end = r;
			return r.pos == t.terminal_len;
		}
		if (n != 1) {
			for (s = 0; s < n; s++)
				if (read_terminal(fits[s], end))
					return true;
			return false;
		}
		r = fits[0];
	}
}

/* What the UART took is what the sources sent, and what was lost is told. */
static void check_terminal(void)
{
	struct reading r = { .open = -1, .kept = { -1, -1, -1 } }, end;
	u32 s;

	t.budget = ~0U;
	console_flush();
	FUZZ_CHECK(read_terminal(r, &end),
		   "the terminal (%u bytes) is not the %u, %u and %u lines taken, in order",
		   t.terminal_len, t.count[0], t.count[1], t.count[2]);
	for (s = 0; s < 2; s++)
		FUZZ_CHECK(end.told_lines[s] == t.lost_lines[s] &&
				   end.told_bytes[s] == t.lost_bytes[s],
			   "%s: %u lines (%u bytes) lost, notes told %u (%u)", tags[s],
			   t.lost_lines[s], t.lost_bytes[s], end.told_lines[s], end.told_bytes[s]);
	FUZZ_CHECK(end.told_lines[RING_HYP] == t.lost_lines[RING_HYP] &&
			   console_hyp_lost() == t.lost_lines[RING_HYP],
		   "%u hypervisor lines lost, notes told %u", t.lost_lines[RING_HYP],
		   end.told_lines[RING_HYP]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fin f = { data, size };
	u32 steps = 0, i;

	if (size > MAX_INPUT)
		return 0;
	memset(&partitions, 0, sizeof(partitions));
	memset(&m, 0, sizeof(m));
	memset(t.count, 0, sizeof(t.count));
	memset(t.lost_lines, 0, sizeof(t.lost_lines));
	memset(t.lost_bytes, 0, sizeof(t.lost_bytes));
	t.text_used = t.terminal_len = 0;
	t.budget = ~0U;
	now = 0;
	for (i = 0; i < PLAT_CPU_COUNT; i++) {
		memset(&cpus[i], 0, sizeof(cpus[i]));
		cpus[i].index = i;
		cpus[i].online = true;
	}
	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		partitions[i].cfg = &cfgs[i];
	for (i = 0; i < VCPUS; i++) {
		vcpus[i].part = P0;
		vcpus[i].index = i;
		cpus[1 + i].vcpu = &vcpus[i];
	}
	memset(&con, 0, sizeof(con));
	console_init();
	i = fin_u8(&f);
	m.device_order = i & 1;
	focus = (i >> 1) % 3;
	console_set_input(focus);
	cfgs[0].console_device_order = m.device_order;
	step_writer(&f);
	vuart_init(P0);
	check();
	while (fin_more(&f) && steps++ < MAX_STEPS && room()) {
		switch (fin_u8(&f) % 11) {
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
		case 5:
			step_output(&f);
			break;
		case 6:
			step_writer(&f);
			break;
		case 7:
			step_stop(&f);
			break;
		case 8:
			step_pieces(&f);
			break;
		case 9:
			step_log(&f);
			break;
		default:
			step_uart(&f);
			break;
		}
		check();
	}
	check_terminal();
	return 0;
}
