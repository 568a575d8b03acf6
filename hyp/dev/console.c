/*
 * The console: every line the hypervisor and the partitions print goes
 * through one transmit ring into the one physical UART.
 *
 * Lines are copied into the ring whole, under the console lock, so lines from
 * different CPUs and partitions never interleave.  The ring drains whenever
 * the UART has room, from the writer and from the UART's transmit interrupt,
 * so a slow UART never holds a CPU for longer than it takes to copy a line.
 * When the ring is nearly full, guest lines are dropped rather than delay
 * anyone, and the console says how much once it has room again; hypervisor
 * lines wait for room.
 *
 * Input goes to one partition at a time: Ctrl-T then a digit gives it to that
 * partition, Ctrl-T n to the next one, Ctrl-T Ctrl-T sends a Ctrl-T.
 *
 * Lock order: the console lock is the innermost lock.
 */
#include "arch/spinlock.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/dev/console.h"
#include "hyp/dev/vuart.h"
#include "platform/uart.h"

#define CONSOLE_RING_SIZE 8192U /* a power of two */
#define CONSOLE_GUEST_RESERVE (CONSOLE_RING_SIZE / 4)
#define CONSOLE_PANIC_SPINS 1000000
#define CONSOLE_ESCAPE 0x14 /* Ctrl-T */
#define CONSOLE_RX_BATCH 32

static struct {
	spinlock_t lock;
	char ring[CONSOLE_RING_SIZE];
	u32 head; /* free-running write index */
	u32 tail; /* free-running read index */
	u32 dropped; /* bytes of guest lines dropped, since boot */
	u32 dropped_told; /* of those, the bytes the console has already reported */
	bool rx_irq;
	bool tx_irq;
	u32 input; /* partition that receives console input */
	bool escape; /* Ctrl-T seen, waiting for its command */
	bool input_ready;
} con;

static u32 ring_free(void)
{
	return CONSOLE_RING_SIZE - (con.head - con.tail);
}

static void ring_put(char c)
{
	con.ring[con.head++ & (CONSOLE_RING_SIZE - 1)] = c;
}

/* Move bytes from the ring to the UART while it has room; lock held. */
static void drain_locked(void)
{
	bool want_tx;

	while (con.tail != con.head && uart_try_putc(con.ring[con.tail & (CONSOLE_RING_SIZE - 1)]))
		con.tail++;
	want_tx = con.tail != con.head;
	if (want_tx != con.tx_irq) {
		con.tx_irq = want_tx;
		uart_irq_enable(con.rx_irq, want_tx);
	}
}

void console_init(void)
{
	con.head = con.tail = 0;
	con.tx_irq = false;
	uart_irq_enable(con.rx_irq, false);
}

/* Report guest output dropped since the last report, if the ring has room; lock held. */
static void tell_dropped_locked(void)
{
	char note[80];
	size_t n, i;

	if (con.dropped == con.dropped_told)
		return;
	n = fmt_snprintf(note, sizeof(note),
			 "[tessera] console: %u bytes of guest output dropped (UART too slow)\r\n",
			 con.dropped - con.dropped_told);
	if (n >= sizeof(note) || n + CONSOLE_GUEST_RESERVE > ring_free())
		return;
	for (i = 0; i < n; i++)
		ring_put(note[i]);
	con.dropped_told = con.dropped;
}

void console_line(const char *tag, const char *text, size_t len, bool from_guest)
{
	size_t tag_len = 0, need, i;

	while (tag[tag_len])
		tag_len++;
	need = tag_len + 3 + len + 2; /* "[tag] text\r\n" */

	spin_lock(&con.lock);
	if (need + (from_guest ? CONSOLE_GUEST_RESERVE : 0) > ring_free()) {
		if (from_guest || need > CONSOLE_RING_SIZE) {
			con.dropped += (u32)need;
			spin_unlock(&con.lock);
			return;
		}
		while (need > ring_free())
			drain_locked(); /* the hypervisor's own lines wait for the UART */
	}
	ring_put('[');
	for (i = 0; i < tag_len; i++)
		ring_put(tag[i]);
	ring_put(']');
	ring_put(' ');
	for (i = 0; i < len; i++)
		ring_put(text[i]);
	ring_put('\r');
	ring_put('\n');
	tell_dropped_locked();
	drain_locked();
	spin_unlock(&con.lock);
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
	while (con.tail != con.head)
		if (uart_try_putc(con.ring[con.tail & (CONSOLE_RING_SIZE - 1)]))
			con.tail++;
	for (; *text; text++)
		while (!uart_try_putc(*text))
			;
	uart_flush();
	if (locked)
		spin_unlock(&con.lock);
}

static void announce_input(void)
{
	const struct cfg_partition *cfg = partitions[con.input].cfg;

	log_info("console input -> partition %u (%s); Ctrl-T then 0-%u or n switches", cfg->id,
		 cfg->name, cfg_system.partition_count - 1);
}

void console_set_input(u32 partition)
{
	con.input = partition < cfg_system.partition_count ? partition : 0;
	spin_lock(&con.lock);
	con.rx_irq = true;
	con.input_ready = true;
	uart_irq_enable(true, con.tx_irq);
	spin_unlock(&con.lock);
	announce_input();
}

/* One received byte: an escape command, or data for the partition with the input. */
static void route_input(u8 c)
{
	u32 count = cfg_system.partition_count;

	if (con.escape) {
		con.escape = false;
		if (c >= '0' && c <= '9' && (u32)(c - '0') < count) {
			con.input = (u32)(c - '0');
			announce_input();
			return;
		}
		if (c == 'n') {
			con.input = (con.input + 1) % count;
			announce_input();
			return;
		}
		if (c != CONSOLE_ESCAPE) {
			log_info(
				"console: Ctrl-T then 0-%u (a partition), n (next) or Ctrl-T (itself)",
				count - 1);
			return;
		}
	} else if (c == CONSOLE_ESCAPE) {
		con.escape = true;
		return;
	}
	vuart_rx(&partitions[con.input], c);
}

void console_irq(void)
{
	u8 rx[CONSOLE_RX_BATCH];
	u32 n = 0, i;
	int c;

	spin_lock(&con.lock);
	while (n < CONSOLE_RX_BATCH && (c = uart_try_getc()) >= 0)
		rx[n++] = (u8)c;
	drain_locked();
	spin_unlock(&con.lock);
	if (!con.input_ready)
		return;
	for (i = 0; i < n; i++)
		route_input(rx[i]);
}

u32 console_dropped(void)
{
	return __atomic_load_n(&con.dropped, __ATOMIC_RELAXED);
}

void console_flush(void)
{
	spin_lock(&con.lock);
	while (con.tail != con.head)
		drain_locked();
	spin_unlock(&con.lock);
}
