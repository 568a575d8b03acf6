/*
 * The console: every line the hypervisor and the partitions print goes
 * through a transmit ring into the one physical UART.
 *
 * Each source has a ring of its own: the hypervisor's log, and one per
 * partition.  A line is copied into its source's ring whole, under the console
 * lock, or not at all; the UART takes whole lines from the rings in turn
 * (round-robin, one line per non-empty ring), so lines never interleave and a
 * partition that prints without pause gets one line in each turn, like every
 * other source.  Its own ring fills and it loses its own lines; nobody else's
 * ring, nor their share of the UART, is touched.  Which bytes a line holds
 * (printable text, TAB; anything else shown escaped) is the caller's job
 * (hyp/dev/vuart.c for partitions).
 *
 * A partition's line may go out in pieces (hyp/dev/vuart.c: one left unfinished for 50 ms,
 * such as a prompt or the echo of what is typed at a shell, or one longer than its buffer).
 * On the terminal such a line stays open: if the next line out is its continuation, that goes
 * on after it without a tag, as on a serial console; anything else out first ends the open
 * line, and the continuation shows its tag again (if it is only the line's end, such as the
 * echo of Enter, nothing: the line has ended).  The focused partition's (the one input goes
 * to) shows its whole line again instead, up to CONSOLE_ECHO_MAX bytes (line_begins, each
 * partition's kept apart): a shell's prompt and what was typed at it, then the keystroke's
 * echo.  So a line on the terminal is still one source's, and a shell's echo is not a tagged
 * line a keystroke.
 *
 * Nothing here waits for the UART once a partition can run: the rings drain
 * whenever the UART has room, from the writer and from the UART's transmit
 * interrupt (in a UART_BAUD build, whose driver models a board's slow UART
 * and has no transmit interrupt, from the Hyp timer: console_poll).  The CPU
 * that keeps the UART fed while a backlog drains is the CPU that wrote the last
 * line of the source whose line goes out next (for a partition, one of its own
 * CPUs): the UART's interrupt is routed there, or that CPU polls (a CPU with a
 * line of its own waiting keeps polling), so a partition that floods the
 * console pays for its own lines and its neighbours' CPUs take no interrupt for
 * them (issue 14).  Input arrives on the same interrupt (in a UART_BAUD build
 * on CONSOLE_CPU), so on whichever CPU serves output at the time, and goes to
 * its partition in order, one CPU at a time (input_lock).  When a
 * line does not fit in its ring it is dropped and counted, and the console
 * says so as soon as there is room: "N hypervisor log lines lost" in the
 * hypervisor's ring, a partition's drops in that partition's own ring (a
 * note goes in only with room for a line after it, so notes never alternate
 * with lost lines, each saying "1").  Only
 * before the partitions start (boot, from one CPU) do hypervisor lines wait
 * for room.  A panic writes straight to the UART (console_panic_line).
 *
 * Input goes to one partition at a time: Ctrl-T then a digit gives it to that
 * partition, Ctrl-T n to the next one, Ctrl-T Ctrl-T sends a Ctrl-T; the other commands
 * after Ctrl-T are the console monitor's (hyp/dev/monitor.c).
 *
 * Lock order: the console lock is the innermost lock; it is never held for
 * longer than copying a line and filling the UART's FIFO.
 */
#include "arch/spinlock.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/timer.h"
#include "hyp/dev/console.h"
#include "hyp/dev/monitor.h"
#include "hyp/dev/vuart.h"
#include "platform/uart.h"

#define CONSOLE_HYP_RING 4096U /* powers of two */
#define CONSOLE_PART_RING 2048U
#define CONSOLE_NOTE_SLACK 160U /* a note from the poll leaves room for a line after it */
#define CONSOLE_HYP_RESERVE 2048U /* of the hypervisor's ring, for lines that are not routine */
#define CONSOLE_NOTE_MS 1000U /* a partition's drops and escapes: one note a second at most */
#define CONSOLE_HYP CFG_PARTITION_COUNT /* the hypervisor's source index */
#define CONSOLE_SOURCES (CFG_PARTITION_COUNT + 1)
#define CONSOLE_PANIC_SPINS 1000000
#define CONSOLE_RX_BATCH 32

/*
 * A piece of a partition's line in a ring: it starts with LINE_CONT + n if it continues the
 * open line of the partition's line buffer n (a vCPU's, vuart.c), and ends with LINE_OPEN + n
 * instead of "\r\n" if it leaves that line open.  Neither byte reaches the UART; no other
 * byte below 0x20 but '\t' and a line's "\r\n" is in a ring (put_line makes every other a
 * space; vuart.c has shown a partition's escaped already).
 */
#define LINE_OPEN 0x01
#define LINE_CONT 0x11
/* Where the UART is in cur's line: LINE_CLOSING: the open line's "\r" went, its "\n" not yet. */
#define LINE_START 0
#define LINE_IN 1
#define LINE_CLOSING 2
/*
 * In con.head (line_head): the open line ends first; the line is an empty rest, which does not
 * go out at all; below them, the bytes that never go out.
 */
#define HEAD_CLOSE 0x80U
#define HEAD_EMPTY 0x40U
#define HEAD_REPLAY 0x20U /* the line shows again from its start first (kept[cur]) */
#define HEAD_SKIP (HEAD_REPLAY - 1)
_Static_assert(1 + CFG_NAME_MAX + 3 + 2 < HEAD_REPLAY, "a continuation's bytes fit below them");
/* In con.line and kept[].line (source * 16 + marker): a line whose marker is not known yet. */
#define LINE_FRESH 0xfU
#define ECHO_KEPT 1U
#define ECHO_AGAIN 2U
_Static_assert(CFG_CPU_MAX <= 8, "a line buffer's marker stays below TAB (0x09) and 0x19");

/* 16 bytes: an index into con.ring is a shift (mask and writer fit in 16 bits). */
struct ring {
	char *buf;
	u32 head; /* free-running write index */
	u32 tail; /* free-running read index */
	u16 mask; /* size - 1 */
	u16 writer; /* the CPU that put its last line: it serves the ring (serve_later) */
};
_Static_assert(CONSOLE_HYP_RING <= 0x10000 && CONSOLE_PART_RING <= 0x10000 &&
		       PLAT_CPU_COUNT <= 0x10000,
	       "a ring's mask and writer fit in 16 bits");

/* What a partition has lost or had escaped. */
struct guest_counts {
	u32 dropped_lines, dropped_bytes, escaped;
};

/* Since boot, and as last reported (a copy of 'since_boot' then). */
struct guest_stats {
	struct guest_counts since_boot, told;
	u64 told_at;
};

/* The rings' bytes: partition i's at i * CONSOLE_PART_RING, the hypervisor's last. */
static char ring_bytes[CFG_PARTITION_COUNT * CONSOLE_PART_RING + CONSOLE_HYP_RING];

/*
 * Each partition's open line, begun while it had the focus, kept from its start as the terminal
 * showed it, its tag first (byte_sent), to show it again (line_head): one a partition, so a
 * shell's prompt is still there when the input comes back to it.  The hypervisor's entry
 * stays unused (its lines are never open).
 */
static struct kept_line {
	u32 line; /* the line kept (source * 16 + marker, LINE_FRESH while its first piece goes) */
	u8 len;
	char text[CONSOLE_ECHO_MAX];
} kept[CONSOLE_SOURCES];

/*
 * The scalars first, then the rings: Thumb-2's short loads and stores reach small offsets only
 * (a halfword's 62 bytes: a ring's mask and writer lie within them of con + 16 * s).
 */
static struct {
	u8 line_state; /* LINE_START, LINE_IN (part of cur's line has gone out), LINE_CLOSING */
	u8 head; /* how cur's next line starts, as peek_byte found it (line_head) */
	bool booting; /* no partition runs yet: hypervisor lines may wait for room */
	bool rx_irq;
	bool tx_irq;
	bool input_ready;
	bool owed; /* a line was lost since its source's last note (drain_locked tells it) */
	u8 echo_at; /* cur's line: ECHO_KEPT (kept), ECHO_AGAIN + i (its text[i] next), or 0 */
	u32 cur; /* the source whose line is going out */
	struct kept_line *kept; /* &kept[cur], set with it (peek_byte) */
	u32 open; /* the open line on the terminal: its source * 16 + its marker, or 0 */
	u32 line; /* cur's line going out: as open, LINE_FRESH for a line that began here */
	u32 pending; /* bytes in all rings */
	u32 hyp_lost; /* hypervisor lines lost, since the last report */
	u32 hyp_lost_total; /* and since boot */
	u32 input; /* partition that receives console input */
	u32 server; /* the CPU the UART's interrupt goes to, or that polls it (UART_BAUD) */
	struct ring ring[CONSOLE_SOURCES];
	spinlock_t lock;
	spinlock_t input_lock; /* held (tried) by the CPU reading and delivering input */
	struct guest_stats guest[CFG_PARTITION_COUNT];
} con;

/*
 * Partition part's counts, their address opaque to the compiler, so they are reached from it
 * at small offsets (Thumb-2's 16-bit loads and stores), not from con's at 136 and more (32-bit
 * encodings): code size only.
 */
static inline struct guest_stats *guest_of(u32 part)
{
	struct guest_stats *g = &con.guest[part];

	HIDE_VALUE(g);
	return g;
}

static u32 ring_free(const struct ring *r)
{
	return r->mask + 1 - (r->head - r->tail);
}

static void ring_put(struct ring *r, char c)
{
	r->buf[r->head++ & r->mask] = c;
	con.pending++;
}

/* The next source with a line waiting, starting after cur; lock held, pending != 0. */
static u32 next_source(void)
{
	u32 s = con.cur, i;

	for (i = 0; i < CONSOLE_SOURCES; i++) {
		s = s + 1 == CONSOLE_SOURCES ? 0 : s + 1;
		if (con.ring[s].head != con.ring[s].tail)
			break;
	}
	return s;
}

static size_t tag_length(const char *tag);

/* The partition console input goes to; console_focus may change it at any time. */
static u32 focused(void)
{
	return __atomic_load_n(&con.input, __ATOMIC_RELAXED);
}

/* n bytes of ring r go nowhere (markers, a continuation's tag); lock held. */
static void skip(struct ring *r, u32 n)
{
	r->tail += n;
	con.pending -= n;
}

/*
 * How cur's next line starts on the terminal (the file's header): its bytes that never go out
 * (a continuation's marker, and its tag if it continues the open line), with HEAD_CLOSE if the
 * open line must end first.  A continuation that is only its line's end, when the line it
 * continues is not the open one (another line ended it on the terminal), is dropped here
 * (HEAD_EMPTY): it would show as an empty tagged line; and so is an empty piece that leaves
 * its line open, which only says the line ended with its vCPU's run (vuart.c); lock held.
 */
static u32 line_head(void)
{
	struct ring *r = &con.ring[con.cur];
	struct kept_line *k = con.kept;
	u32 c = (u8)r->buf[r->tail & r->mask] - LINE_CONT;
	u32 line = con.cur * 16 + (c < 8 ? c + LINE_OPEN : LINE_FRESH);

	con.line = line; /* for byte_sent */
	if (c < 8) {
		u32 n = 1 + (u32)tag_length(cfg_system.partitions[con.cur].name) + 3;
		u8 first = (u8)r->buf[(r->tail + n) & r->mask];

		if (first >= LINE_OPEN + 8U) { /* not a marker right after the tag */
			if (con.open == line) /* it goes on: no tag */
				return n;
			if (k->line == line && con.cur == focused()) /* shown again, goes on */
				return (con.open ? HEAD_CLOSE : 0) | HEAD_REPLAY | n;
			if (first != '\r')
				return con.open ? HEAD_CLOSE | 1 : 1;
		}
		/*
		 * "\r\n" right after the tag, or an empty piece left open (vuart.c: the line ended
		 * with its run): nothing shows, and the line, if kept, has ended.
		 */
		if (k->line == line)
			k->line = 0;
		skip(r, n + 1 + (first == '\r'));
		return HEAD_EMPTY;
	}
	return con.open ? HEAD_CLOSE : 0;
}

/*
 * The next byte to go out: of the current line, or of the next source's line (chosen anew at
 * each call until its first byte has gone); a LINE_OPEN marker that ends a piece is the
 * caller's (drain_locked), and so is 0: nothing went out (an empty rest was dropped); lock
 * held.
 */
static char peek_byte(void)
{
	const struct ring *r;
	u32 n = 0;

	if (con.line_state != LINE_IN) {
		if (con.line_state == LINE_CLOSING)
			return '\n';
		con.cur = next_source();
		con.kept = &kept[con.cur];
		n = line_head();
		con.head = (u8)n; /* for byte_sent: worked out once a line */
		if (n & HEAD_CLOSE)
			return '\r';
		if (n & HEAD_EMPTY)
			return 0;
		if (n & HEAD_REPLAY)
			return con.kept->text[0];
	} else if (con.echo_at >= ECHO_AGAIN) {
		return con.kept->text[con.echo_at - ECHO_AGAIN];
	}
	r = &con.ring[con.cur];
	return r->buf[(r->tail + n) & r->mask];
}

/*
 * A line of the focused partition's that begins here (unless an open one of its own is kept
 * already: another vCPU's) is kept from its first byte (byte_sent), so that once another
 * source's line has ended it on the terminal, its next piece shows it again from its start
 * while the partition has the focus (line_head: HEAD_REPLAY): what is typed at a shell stays
 * one line beside a chatty neighbour.  Each partition's is kept apart: a prompt left while the
 * input was moved to another partition, which printed, is still there when it comes back.
 * Only the focused partition's bytes are copied: a neighbour's flood costs no more under the
 * console lock.  That goes out in the partition's own turn, as part of its line
 * (at most CONSOLE_ECHO_MAX bytes more: a turn's bytes stay of the order of a long line's), so
 * a neighbour's lines wait no more turns for it.  If a kept line's next piece shows its tag
 * again (head 1: only its marker hidden; it went out unfocused), the terminal's line starts
 * anew there, and so does what is kept (else a later showing again would have a tag in the
 * middle); lock held.
 */
static void line_begins(void)
{
	struct kept_line *k = con.kept;
	u32 hidden = con.head & HEAD_SKIP;

	if (hidden == 1 ? k->line == con.line :
			  !hidden && con.cur == focused() && (k->line & 15U) - LINE_OPEN >= 8U) {
		k->line = con.line;
		k->len = 0;
	}
}

/* That byte has gone to the UART; lock held. */
static void byte_sent(char c)
{
	struct ring *r = &con.ring[con.cur];
	struct kept_line *k = con.kept;

	if (con.line_state != LINE_IN) {
		if (con.line_state == LINE_CLOSING) { /* and that was its '\n' */
			con.line_state = LINE_IN;
			return;
		}
		/* cur's line is under way: what peek_byte found (con.head), done */
		line_begins();
		con.open = 0;
		skip(r, con.head & HEAD_SKIP);
		con.line_state = LINE_IN;
		con.echo_at = (u8)(con.head & HEAD_REPLAY ?
					   ECHO_AGAIN :
					   k->line == con.line); /* ECHO_KEPT or 0 */
		if (con.head & HEAD_CLOSE) {
			con.line_state = LINE_CLOSING;
			return; /* that was the open line's '\r' */
		}
	}
	if (con.echo_at) {
		if (con.echo_at >= ECHO_AGAIN) { /* that was k->text[con.echo_at - ECHO_AGAIN] */
			if (++con.echo_at - ECHO_AGAIN == k->len)
				con.echo_at = ECHO_KEPT; /* and the line goes on, kept */
			return;
		}
		if (k->len < CONSOLE_ECHO_MAX && c != '\n') {
			k->text[k->len++] = c;
		} else {
			k->line = 0; /* it ended, or is too long to show again */
			con.echo_at = 0;
		}
	}
	skip(r, 1);
	con.line_state = c != '\n'; /* LINE_IN, or LINE_START after "\r\n" */
}

/* cur's piece ended with LINE_OPEN + n (peek_byte's byte): its line stays open; lock held. */
static void piece_ends_open(char marker)
{
	struct kept_line *k = con.kept;
	u32 line = con.cur * 16 + (u8)marker;

	if (k->line == con.line) /* kept from its first piece, this one: now it is known */
		k->line = line;
	else if (k->line == line) /* its line buffer's next: the kept one ended unseen */
		k->line = 0;
	skip(&con.ring[con.cur], 1);
	con.open = line; /* the next line out decides: line_head */
	con.line_state = LINE_START;
}

/* The CPU that pays for source s's lines going out (the file's header); lock held. */
static u32 server_of(u32 s)
{
	return con.ring[s].writer;
}

/* Bytes wait in a ring of a source that 'cpu' serves; lock held. */
static bool waiting_for(u32 cpu)
{
	u32 s;

	for (s = 0; s < CONSOLE_SOURCES; s++)
		if (con.ring[s].head != con.ring[s].tail && server_of(s) == cpu)
			return true;
	return false;
}

/*
 * What is left waits for the UART: the next line's source's CPU takes over.  The UART's
 * interrupt goes there (GICD_ITARGETSR changes reach a pending interrupt, GIC spec 4.3.12);
 * in a UART_BAUD build every CPU with lines of its own waiting polls, and only the server
 * drains (console_poll), so no CPU is interrupted to take over; lock held.
 */
static void serve_later(void)
{
	u32 next = server_of(con.cur); /* the byte the UART refused: peek_byte's */

	/*
	 * Not while booting: the GIC may not be set up, and a CPU logs its first line before
	 * its GIC CPU interface is (its mask, gic_cpu_mask, unknown); boot lines wait for room
	 * anyway, and hyp_cpu_online routes the interrupt to CONSOLE_CPU.
	 */
	if (con.booting || !__atomic_load_n(&cpus[next].online, __ATOMIC_ACQUIRE))
		next = con.booting ? con.server : CONSOLE_CPU; /* (console_poll's other drainer) */
	if (next != con.server) {
		__atomic_store_n(&con.server, next, __ATOMIC_RELAXED);
		if (UART_HAS_TX_IRQ)
			gic_irq_route(PLAT_UART_IRQ, next);
	}
	if (!UART_HAS_TX_IRQ && waiting_for(this_cpu()->index))
		hyp_timer_console_later();
}

static void put_notes_locked(bool idle);

/*
 * Move whole lines, one source at a time in turn, to the UART while it has room; lock held.
 * All out, and a line lost since its source's last note: the notes go now, not a second after
 * the last (nothing may come back later to tell them: the transmit interrupt is off, the
 * flooder may have gone quiet or stopped).  At most one a drained backlog.
 */
static void drain_locked(void)
{
	u32 sent = 0;
	bool want_tx;

	for (;;) {
		while (con.pending) {
			char c = peek_byte();

			if ((u8)c < LINE_OPEN + 8U) { /* nothing to send (peek_byte) */
				if (c)
					piece_ends_open(c); /* a piece that leaves its line open */
				continue;
			}
			if (!uart_try_putc(c))
				break;
			byte_sent(c);
			sent++;
		}
		if (con.pending || !con.owed)
			break;
		con.owed = false;
		put_notes_locked(true);
	}
	this_cpu()->stats.console_bytes += sent;
	want_tx = con.pending != 0;
	if (want_tx != con.tx_irq) {
		con.tx_irq = want_tx;
		uart_irq_enable(con.rx_irq, want_tx);
	}
	if (want_tx)
		serve_later();
}

void console_init(void)
{
	u32 i;

	for (i = 0; i < CONSOLE_SOURCES; i++) {
		con.ring[i].buf = &ring_bytes[i * CONSOLE_PART_RING];
		con.ring[i].mask = (i == CONSOLE_HYP ? CONSOLE_HYP_RING : CONSOLE_PART_RING) - 1;
		con.ring[i].writer = CONSOLE_CPU;
		kept[i].line = 0; /* nothing kept (the host tests start the console again) */
	}
	con.cur = CONSOLE_HYP;
	con.server = CONSOLE_CPU; /* as hyp_cpu_online routes the UART's interrupt */
	con.booting = true;
	con.tx_irq = false;
	uart_irq_enable(con.rx_irq, false);
}

/* The bytes "[tag] text\r\n" takes in a ring (a piece: as many, or one more). */
#define LINE_BYTES(tag, len) ((u32)(tag_length(tag) + 3 + (len) + 2))

static size_t tag_length(const char *tag)
{
	size_t n = 0;

	while (tag[n])
		n++;
	return n;
}

/*
 * "[tag] text\r\n" into ring r if it fits with 'keep' bytes to spare, or a piece of a
 * partition's line ('piece', console.h: CONSOLE_PIECE_*, its line buffer's index); lock held.
 */
static bool put_line(struct ring *r, const char *tag, const char *text, size_t len, u32 keep,
		     u32 piece)
{
	size_t tag_len = tag_length(tag), i;
	u32 line = piece >> CONSOLE_PIECE_LINE_SHIFT;

	if (tag_len + 3 + len + 2 + keep + (piece & CONSOLE_PIECE_CONT) > ring_free(r))
		return false;
	if (piece & CONSOLE_PIECE_CONT)
		ring_put(r, (char)(LINE_CONT + line));
	ring_put(r, '[');
	for (i = 0; i < tag_len; i++)
		ring_put(r, tag[i]);
	ring_put(r, ']');
	ring_put(r, ' ');
	for (i = 0; i < len; i++)
		ring_put(r, (u8)text[i] < 0x20 && text[i] != '\t' ?
				    ' ' :
				    text[i]); /* no break, no marker */
	if (piece & CONSOLE_PIECE_OPEN) {
		ring_put(r, (char)(LINE_OPEN + line));
	} else {
		ring_put(r, '\r');
		ring_put(r, '\n');
	}
	r->writer = (u16)this_cpu()->index;
	return true;
}

/* "N hypervisor log lines lost", if the hypervisor's ring has room for it and 'slack'; lock held. */
static void tell_hyp_lost_locked(u32 slack)
{
	char note[64];
	size_t n;

	if (!con.hyp_lost)
		return;
	/* 45 bytes at most: never cut. */
	n = fmt_snprintf(note, sizeof(note), "console: %u hypervisor log lines lost", con.hyp_lost);
	if (put_line(&con.ring[CONSOLE_HYP], "tessera", note, n, slack, 0))
		con.hyp_lost = 0;
}

/*
 * A partition's drops and escaped bytes since its last note, in its own ring, once a second
 * at most while lines wait (at once when 'idle': every ring drained), if its ring has room
 * for it and 'slack' (its own share pays for it); lock held.  True if a note is due and did
 * not fit.  The time is read here, only when a drop is news.
 */
static bool tell_guest_locked(u32 part, u32 slack, bool idle)
{
	struct guest_stats *g = guest_of(part);
	char note[160];
	size_t n;
	u64 now;
	u16 writer;

	/*
	 * Only drops are news: escaped bytes show as \xNN in the line itself (a control
	 * sequence's are dropped, vuart.c), and an interactive shell sends such a sequence with
	 * every prompt (BusyBox's ESC [6n), which would make a note a second.  Their count goes
	 * with the next note and into the stats lines.
	 */
	if (g->since_boot.dropped_lines == g->told.dropped_lines)
		return false;
	now = timer_now();
	if (!idle && g->told_at && now - g->told_at < timer_ms_to_ticks(CONSOLE_NOTE_MS))
		return false;
	n = fmt_snprintf(note, sizeof(note),
			 "console: %s: %u lines (%u bytes) dropped, %u control bytes escaped "
			 "(since boot: %u, %u, %u)",
			 cfg_system.partitions[part].name,
			 g->since_boot.dropped_lines - g->told.dropped_lines,
			 g->since_boot.dropped_bytes - g->told.dropped_bytes,
			 g->since_boot.escaped - g->told.escaped, g->since_boot.dropped_lines,
			 g->since_boot.dropped_bytes, g->since_boot.escaped);
	/*
	 * 152 bytes at most (a 15-byte name, every count 10 digits): never cut.  Written by
	 * whichever CPU tells it, it leaves the ring's writer, the partition's CPU, to serve the
	 * ring (server_of): a note does not hand a neighbour the flooder's backlog.
	 */
	writer = con.ring[part].writer;
	if (!put_line(&con.ring[part], "tessera", note, n, slack, 0))
		return true;
	con.ring[part].writer = writer;
	g->told = g->since_boot;
	g->told_at = now;
	return false;
}

/*
 * Every note that is due ('idle': the rings drained, every owed one) and has room; lock held.
 * Out of line: drain_locked, console_poll and console_irq each had a copy.
 */
static __attribute__((noinline)) void put_notes_locked(bool idle)
{
	u32 i;

	/* As a routine line would: the reserve stays for the lines that are not. */
	tell_hyp_lost_locked(CONSOLE_HYP_RESERVE + CONSOLE_NOTE_SLACK);
	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		(void)tell_guest_locked(i, CONSOLE_NOTE_SLACK, idle);
}

/* The notes that are due, then drain; lock held. */
static void tell_all_locked(void)
{
	put_notes_locked(false);
	drain_locked();
}

void console_hyp_line(const char *text, size_t len, bool routine)
{
	struct ring *r = &con.ring[CONSOLE_HYP];
	u32 keep = routine ? CONSOLE_HYP_RESERVE : 0;

	spin_lock(&con.lock);
	tell_hyp_lost_locked((u32)(sizeof("[tessera] \r\n") - 1 + len) + keep); /* LINE_BYTES's */
	/*
	 * Behind lost lines, or without room, a line is lost too; except before any partition
	 * runs (one CPU, console_set_input not yet called), when it waits for room.
	 */
	while ((con.hyp_lost && !con.booting) || !put_line(r, "tessera", text, len, keep, 0)) {
		if (!con.booting) {
			con.hyp_lost++;
			con.hyp_lost_total++;
			con.owed = true;
			break;
		}
		drain_locked();
	}
	drain_locked();
	spin_unlock(&con.lock);
}

void console_guest_line(u32 part, const char *text, size_t len, u32 escaped, u32 piece)
{
	/* part is a partition's cfg->id (vuart.c), its index: tcfg numbers them from 0. */
	struct guest_stats *g = guest_of(part);

	spin_lock(&con.lock);
	g->since_boot.escaped += escaped;
	/* A note that is due goes first: the line waits behind it, or is lost. */
	if (tell_guest_locked(part,
			      LINE_BYTES(cfg_system.partitions[part].name, len) +
				      (piece & CONSOLE_PIECE_CONT), /* its marker */
			      false) ||
	    !put_line(&con.ring[part], cfg_system.partitions[part].name, text, len, 0, piece)) {
		g->since_boot.dropped_lines++;
		g->since_boot.dropped_bytes += (u32)len;
		con.owed = true;
	}
	drain_locked();
	spin_unlock(&con.lock);
}

bool console_poll(void)
{
	u32 me = this_cpu()->index;
	bool pending;

	if (!spin_trylock(&con.lock))
		return true; /* its holder drains */
	/* The server, or anyone polling if the server has no line of its own to poll for. */
	if (con.server == me || !waiting_for(con.server)) {
		drain_locked();
		tell_all_locked();
	}
	pending = waiting_for(me);
	spin_unlock(&con.lock);
	return pending;
}

u32 console_server(void)
{
	return UART_HAS_TX_IRQ ? __atomic_load_n(&con.server, __ATOMIC_RELAXED) : CONSOLE_CPU;
}

/* Bytes straight to the UART, waiting for room (panics only). */
static void uart_write(const char *s)
{
	for (; *s; s++)
		while (!uart_try_putc(*s))
			;
}

/*
 * For panics: take the lock if it can be had in bounded time, else write
 * anyway (a CPU that died holding the lock must not silence the dump).
 */
void console_panic_line(const char *text)
{
	u32 spins;
	bool locked = false;

	for (spins = 0; spins < CONSOLE_PANIC_SPINS && !locked; spins++)
		locked = spin_trylock(&con.lock);
	while (con.pending) /* what the rings hold first, in order */
		drain_locked();
	uart_write(con.open ? "\r\n[tessera] " : "[tessera] "); /* a line of its own */
	con.open = 0;
	uart_write(text);
	uart_write("\r\n");
	uart_flush();
	if (locked)
		spin_unlock(&con.lock);
}

/* Out of line (noinline): one copy for both callers is smaller than two inlined. */
static __attribute__((noinline)) void announce_input(void)
{
	/* A partition's number is its index in the configuration (tcfg). */
	log_always("console input -> partition %u (%s); Ctrl-T then 0-%u or n switches, ? for more",
		   con.input, cfg_system.partitions[con.input].name,
		   cfg_system.partition_count - 1);
}

void console_set_input(u32 partition)
{
	con.input = partition < cfg_system.partition_count ? partition : 0;
	spin_lock(&con.lock);
	con.booting = false; /* the partitions start next */
	con.rx_irq = true;
	con.input_ready = true;
	uart_irq_enable(true, con.tx_irq);
	spin_unlock(&con.lock);
	announce_input();
}

void console_focus(u32 partition)
{
	/* The drain reads it at a line's head (focused()): before this, or after. */
	__atomic_store_n(&con.input, partition, __ATOMIC_RELAXED);
	announce_input();
}

u32 console_focused(void)
{
	return con.input;
}

/*
 * Input is read and delivered by one CPU at a time, so it stays in order when the interrupt
 * moves between CPUs (serve_later): another CPU, or this one re-entered (serve_flush_requests
 * in a long job), leaves it in the UART, whose interrupt stays asserted until it is read.
 */
void console_irq(void)
{
	bool input = spin_trylock(&con.input_lock);
	u8 rx[CONSOLE_RX_BATCH];
	u32 n, i;

	do {
		int c;

		n = 0;
		spin_lock(&con.lock);
		while (input && n < CONSOLE_RX_BATCH && (c = uart_try_getc()) >= 0)
			rx[n++] = (u8)c;
		drain_locked();
		tell_all_locked();
		spin_unlock(&con.lock);
		for (i = 0; i < n && con.input_ready; i++)
			if (!monitor_input(rx[i]))
				vuart_rx(&partitions[con.input], rx[i]);
	} while (n == CONSOLE_RX_BATCH); /* more may wait */
	if (input)
		spin_unlock(&con.input_lock);
}

u32 console_hyp_lost(void)
{
	return __atomic_load_n(&con.hyp_lost_total, __ATOMIC_RELAXED);
}

u32 console_dropped_of(u32 part)
{
	return __atomic_load_n(&con.guest[part].since_boot.dropped_bytes, __ATOMIC_RELAXED);
}

u32 console_dropped(void)
{
	u32 i, bytes = 0;

	for (i = 0; i < CFG_PARTITION_COUNT; i++)
		bytes += console_dropped_of(i);
	return bytes;
}

u32 console_escaped_of(u32 part)
{
	return __atomic_load_n(&con.guest[part].since_boot.escaped, __ATOMIC_RELAXED);
}

u32 console_lock_wait_max(void)
{
	return __atomic_load_n(&con.lock.wait_max, __ATOMIC_RELAXED);
}

void console_flush(void)
{
	spin_lock(&con.lock);
	while (con.pending)
		drain_locked();
	spin_unlock(&con.lock);
}
