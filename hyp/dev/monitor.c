/*
 * The console monitor: what comes after the escape (Ctrl-T) on the console.
 *
 *   Ctrl-T ?            the commands, and the log level
 *   Ctrl-T 0-9 / n      console input to that partition / to the next one
 *   Ctrl-T l            list the partitions
 *   Ctrl-T s            the hypervisor's counters (hyp/core/stats.c's report)
 *   Ctrl-T k / b / r    stop / start / restart a partition: its number or label, then Enter
 *   Ctrl-T + / -        raise / lower the log level
 *   Ctrl-T Ctrl-T       a Ctrl-T for the partition with the input
 *
 * Every byte from the escape to the end of its command is the monitor's: a partition never
 * sees one, nor the rest of a key's escape sequence typed after the escape.  A partition
 * argument is a line of at most MONITOR_ARG_MAX bytes, asked for with a prompt: Enter (CR, LF
 * or CR LF) ends it, Backspace or Delete takes back a byte, spaces
 * around it are not part of it, Ctrl-C cancels it, Ctrl-T cancels it and starts another
 * command; anything else unprintable (an arrow key's escape sequence, a UTF-8 byte) or one
 * byte too many drops it, and the rest of its line with it, up to Enter or Ctrl-C.  What the monitor says goes out as
 * hypervisor log lines (LOG_ALWAYS): into the hypervisor's own console ring, never waiting
 * for the UART, so guests' output is not held up either.
 *
 * Runs on the CPU that takes the UART interrupt (console_irq), outside the console lock.
 */
#include "abi/hypercall.h"
#include "hyp/core/fmt.h"
#include "hyp/core/log.h"
#include "hyp/core/partition.h"
#include "hyp/core/stats.h"
#include "hyp/dev/console.h"
#include "hyp/dev/monitor.h"

#define ESCAPE 0x14 /* Ctrl-T */

#define CTRL_C 0x03
#define BACKSPACE 0x08
#define DELETE 0x7f

/*
 * AFTER_CR: an argument ended with CR, and a terminal's LF may follow; DISCARD: up to Enter;
 * SEQUENCE, SEQUENCE_BODY: an escape sequence after the escape (an arrow key), the monitor's.
 */
enum { IDLE, ESCAPED, ARGUMENT, DISCARD, AFTER_CR, SEQUENCE, SEQUENCE_BODY };

static const char *const verbs[] = { "stop", "start", "restart" }; /* by TESSERA_PARTITION_* */

struct monitor {
	u32 state;
	u32 op; /* TESSERA_PARTITION_STOP, _START or _RESTART while an argument is read */
	u32 len;
	char arg[MONITOR_ARG_MAX];
};

/*
 * The monitor's state, its address opaque to the compiler, so its fields are reached from it
 * at small offsets (Thumb-2's 16-bit loads and stores), not from the anchor of the statics
 * GCC lays out with it (the console's, at 356 and more: 32-bit encodings): code size only.
 */
static struct monitor *mon_of(void)
{
	static struct monitor mon;
	struct monitor *m = &mon;

	HIDE_VALUE(m);
	return m;
}

static const char *const level_names[] = { "always", "error", "warn", "info", "debug" };

int monitor_find(const char *arg, u32 len)
{
	u32 i, n = 0;

	for (i = 0; i < len && (u32)arg[i] - '0' <= 9 && n < 1000; i++)
		n = n * 10 + (u32)arg[i] - '0';
	if (len && i == len)
		return n < cfg_system.partition_count ? (int)n : -1;
	for (i = 0; i < cfg_system.partition_count; i++) {
		const char *name = cfg_system.partitions[i].name;
		u32 j = 0;

		while (j < len && name[j] == arg[j])
			j++;
		if (j == len && !name[j])
			return (int)i;
	}
	return -1;
}

static __attribute__((noinline)) void list(void)
{
	static const char *const states[] = { "stopped", "running", "halted", "restarting",
					      "stopping" };
	u32 i;

	for (i = 0; i < cfg_system.partition_count; i++) {
		struct partition *p = &partitions[i];
		const struct cfg_partition *cfg = p->cfg;
		struct partition_info in;

		partition_info(p, &in);
		log_always("partition %u %s: %s cpus=%s up=%ums starts=%u restarts_left=%u "
			   "faults=%u last_fault=%s watchdog=%ums",
			   i, cfg->name, states[in.state], cfg->cpu_list, in.uptime_ms, in.starts,
			   in.restarts_left, in.faults, p->last_fault ? p->last_fault : "none",
			   cfg->watchdog_ms);
	}
}

static void help(void)
{
	log_always("monitor: Ctrl-T then 0-%u or n (input), l (list), s (stats), k/b/r <partition> "
		   "Enter (stop/start/restart), +/- (log level, now %s), Ctrl-T (itself)",
		   cfg_system.partition_count - 1, level_names[log_level]);
}

/*
 * What makes op a no-op for p, as the monitor tells it: a start of a partition that runs, a
 * stop of one stopped (read without its lock: what it was a moment ago; partition_command
 * decides under it).
 */
static const char *already(const struct partition *p, u32 op)
{
	bool running = p->state == PART_RUNNING;

	if (op == TESSERA_PARTITION_START && running)
		return ": it runs already";
	if (op == TESSERA_PARTITION_STOP && !running && !p->restart_pending && !p->loading)
		return ": it is stopped already";
	return "";
}

static __attribute__((noinline)) void run_argument(void)
{
	struct monitor *m = mon_of();
	struct partition *p;
	int part;

	while (m->len && m->arg[m->len - 1] == ' ')
		m->len--; /* "k gamma " as typed */
	part = monitor_find(m->arg, m->len);

	if (part < 0) {
		log_always("monitor: no partition \"%.*s\"", (int)m->len, m->arg);
		return;
	}
	p = &partitions[part];
	log_always("monitor: %s partition %d (%s)%s", verbs[m->op], part, p->cfg->name,
		   already(p, m->op));
	if (partition_command(p, m->op, "console monitor", NULL) < 0)
		log_always("monitor: refused: %s cannot run (its error at boot says why)",
			   p->cfg->name);
}

/* The byte after the escape. */
static bool command(struct monitor *m, u8 c)
{
	static const char ops[] = "kbr"; /* by TESSERA_PARTITION_STOP, _START, _RESTART */
	u32 count = cfg_system.partition_count, d = (u32)c - '0', op;

	if (c == ESCAPE)
		return false; /* Ctrl-T Ctrl-T: the partition gets one */
	if (c == 0x1b) { /* ESC: a terminal's key sequence, not a command (no help) */
		m->state = SEQUENCE;
		return true;
	}
	if (c == 'n') {
		/* The focus is a partition's number, below count: the next one, or the first. */
		d = console_focused() + 1;
		d = d < count ? d : 0;
	}
	for (op = 0; op < 3 && ops[op] != c; op++)
		;
	if (d <= 9 && d < count) {
		console_focus(d);
	} else if (d <= 9) {
		log_always("monitor: no partition %u (0 to %u)", d, count - 1);
	} else if (c == 'l') {
		list();
	} else if (c == 's') {
		stats_report();
	} else if (op < 3) {
		m->state = ARGUMENT;
		m->op = op;
		m->len = 0;
		log_always("monitor: %s which partition? Its number or label, then Enter (Ctrl-C: "
			   "none)",
			   verbs[op]);
	} else if (c == '+' || c == '-') {
		u32 level = log_level + (c == '+' ? 1U : ~0U);

		/* Between LOG_ERROR and LOG_DEBUG (where log_level starts and stays). */
		if (level - LOG_ERROR <= LOG_DEBUG - LOG_ERROR)
			log_level = level;
		log_always("monitor: log level %s", level_names[log_level]);
	} else {
		help();
		if (c == '\r')
			m->state = AFTER_CR; /* Ctrl-T Enter: the help, and a CR LF's LF is ours */
	}
	return true;
}

bool monitor_input(u8 c)
{
	struct monitor *m = mon_of();
	u32 state = m->state, len = m->len; /* (len: the argument's, while one is read) */

	m->state = IDLE; /* unless this byte starts or goes on with a command (below) */
	if (state == AFTER_CR) {
		if (c == '\n')
			return true; /* CR LF: one Enter */
		state = IDLE;
	}
	if (state == IDLE) {
		if (c == ESCAPE)
			m->state = ESCAPED;
		return c == ESCAPE;
	}
	if (state >= SEQUENCE) {
		/*
		 * ESC [ or ESC O, parameter and intermediate bytes (0x20-0x3f), up to the final
		 * byte, which ends it (ECMA-48 5.4): none of it reaches the partition.
		 */
		if ((state == SEQUENCE && (c == '[' || c == 'O')) || (u32)c - 0x20 <= 0x3f - 0x20)
			m->state = SEQUENCE_BODY;
		return true;
	}
	if (state == ESCAPED)
		return command(m, c);
	/* ARGUMENT or DISCARD: the monitor's up to Enter, in that state unless it ends (below). */
	m->state = state;
	if (c == '\r' || c == '\n') {
		m->state = c == '\r' ? AFTER_CR : IDLE;
		if (state == ARGUMENT)
			run_argument();
	} else if (c == ESCAPE) {
		m->state = ESCAPED; /* this command is off: another one follows */
	} else if (c == CTRL_C) {
		m->state = IDLE;
		log_always("monitor: command cancelled");
	} else if (state == DISCARD || (c == ' ' && !len)) {
		/* Discarded; or "k alpha" as the help writes it: a space first is no byte. */
	} else if (c == BACKSPACE || c == DELETE) {
		m->len = len - (len ? 1 : 0);
	} else if ((u32)c - 0x20 > 0x7e - 0x20 || len == MONITOR_ARG_MAX) { /* not printable */
		log_always("monitor: command dropped, up to Enter");
		m->state = DISCARD;
	} else {
		m->arg[len] = (char)c;
		m->len = len + 1;
	}
	return true;
}
