/*
 * A QEMU TCG plugin for `make bench` (tools/bench.py): instructions executed
 * by each vCPU, and each vCPU's and every vCPU's count the first time a vCPU
 * starts a translation block at a watched address.
 *
 * Under -icount QEMU runs the CPUs one at a time and its clock is the sum of
 * every CPU's instructions; a board runs them at once.  These per-CPU counts
 * are what each CPU itself executed, which is what its own path would take
 * on a board (an instruction a cycle).
 *
 *   qemu-system-arm ... -plugin build/host/insn_per_cpu.so,watch=0x40000000,watch=0x48001234
 *
 * prints, through QEMU's log (stderr), one line per first hit of a watched
 * address on a vCPU:
 *
 *   INSN-WATCH addr=0x40000000 cpu=1 own=123 all=456 cpus=100,123,0,0
 *
 * own: instructions the vCPU executed before that block; cpus: every vCPU's
 * count at that moment; all: their sum.  Counts are whole translation blocks
 * (a block an exception leaves early counts whole, as -icount charges it).
 *
 * Two more options show where a vCPU's time goes under QEMU's scheduling.
 * QEMU 7.2 runs the vCPUs in turns, each until the machine's next timer
 * deadline, and a vCPU that moves a deadline earlier (writes a timer's
 * compare register) gives its turn to the next vCPU at once; a busy
 * neighbour then runs until that deadline.  So a vCPU may wait milliseconds
 * of the clock without waiting for anything on a board, where the CPUs run at
 * once.  The plugin calls such time "preempted": the others' instructions
 * between two blocks of a vCPU whose last block did not end in WFI or WFE.
 *
 * gaps=CPU:MIN prints every pause of that vCPU of MIN instructions or more:
 *
 *   INSN-GAP cpu=0 after=run len=1000339 at=457260957 pc=0x4800015c others=0,999721,618,0,0,0,0,0
 *
 * after=wfi or wfe: its last block ended in WFI or WFE (it waited for an
 * interrupt or an event, e.g. a lock's release); after=run: preempted.
 *
 * laps=on prints, each time a vCPU executes the hint `hint #0x20` (a NOP on
 * every ARMv7 core, ARM ARM A8.8.100: unallocated hints execute as NOPs), what
 * passed since its previous one:
 *
 *   INSN-LAP cpu=0 elapsed=10021234 own=5120 preempted=1000339
 *
 * elapsed: every vCPU's instructions (QEMU's clock at -icount shift=0, in
 * ns); own: this vCPU's; preempted: as above.  elapsed - preempted is what the
 * lap would have taken on a board running the CPUs at once, its waits for
 * interrupts and locks included (tests/qemu/test_console.py).
 *
 * Built by tools/bench.mk with the host compiler.  Debian ships no
 * qemu-plugin.h, so the few declarations of QEMU's plugin API (version 1,
 * QEMU 4.2 to 8.1) this file uses are written out below.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_info_t;
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   void (*cb)(qemu_plugin_id_t id,
						      struct qemu_plugin_tb *tb));
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb,
					  void (*cb)(unsigned int vcpu, void *udata),
					  enum qemu_plugin_cb_flags flags, void *udata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn;
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    void (*cb)(unsigned int vcpu, void *udata),
					    enum qemu_plugin_cb_flags flags, void *udata);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_outs(const char *string);

#define MAX_CPUS 8
#define MAX_WATCH 8
#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;

enum ends { ENDS_RUN, ENDS_WFI, ENDS_WFE, ENDS_LAP };

/* What a translation block's callback knows of it. */
struct block {
	uint64_t pc;
	uint32_t n_insns;
	uint8_t watch; /* index + 1, 0 for no watch */
	uint8_t ends; /* ENDS_RUN, ENDS_WFI or ENDS_WFE: its last instruction */
};

static const char *const ends_name[] = { "run", "wfi", "wfe" };

static uint64_t count[MAX_CPUS]; /* each vCPU's instructions */
static uint64_t total; /* every vCPU's */
static uint64_t watch[MAX_WATCH];
static unsigned int watch_count;
static unsigned char seen[MAX_WATCH][MAX_CPUS];

static uint64_t last_end[MAX_CPUS]; /* total after the vCPU's last block */
static uint8_t last_ends[MAX_CPUS];
static uint64_t preempted[MAX_CPUS];
static int gap_cpu = -1;
static uint64_t gap_min;
static uint64_t gap_mark[MAX_CPUS]; /* every count after gap_cpu's last block */
static int laps;
static uint64_t lap_total[MAX_CPUS], lap_own[MAX_CPUS], lap_preempted[MAX_CPUS];
static unsigned char lap_started[MAX_CPUS];

static void print_counts(char *line, size_t size, int n, const uint64_t *base)
{
	int i;

	for (i = 0; i < MAX_CPUS && n > 0 && n < (int)size - 24; i++)
		n += snprintf(line + n, size - (size_t)n, "%s%" PRIu64, i ? "," : "",
			      count[i] - (base ? base[i] : 0));
	if (n > 0 && n < (int)size)
		snprintf(line + n, size - (size_t)n, "\n");
}

static void watch_hit(unsigned int vcpu, unsigned int w)
{
	char line[256];
	int n;

	seen[w - 1][vcpu] = 1;
	n = snprintf(line, sizeof(line),
		     "INSN-WATCH addr=0x%" PRIx64 " cpu=%u own=%" PRIu64 " all=%" PRIu64 " cpus=",
		     watch[w - 1], vcpu, count[vcpu], total);
	print_counts(line, sizeof(line), n, NULL);
	qemu_plugin_outs(line);
}

/* A vCPU starts a block: account for the time the others ran since its last one. */
static void resume(unsigned int vcpu, const struct block *b)
{
	uint64_t gap = total - last_end[vcpu];
	char line[256];
	int n;

	if (last_ends[vcpu] == ENDS_RUN)
		preempted[vcpu] += gap;
	if ((int)vcpu != gap_cpu)
		return;
	if (gap >= gap_min) {
		n = snprintf(line, sizeof(line),
			     "INSN-GAP cpu=%u after=%s len=%" PRIu64 " at=%" PRIu64 " pc=0x%" PRIx64
			     " others=",
			     vcpu, ends_name[last_ends[vcpu]], gap, total, b->pc);
		print_counts(line, sizeof(line), n, gap_mark);
		qemu_plugin_outs(line);
	}
	count[vcpu] += b->n_insns;
	memcpy(gap_mark, count, sizeof(count));
	count[vcpu] -= b->n_insns;
}

static void tb_exec(unsigned int vcpu, void *udata)
{
	const struct block *b = udata;

	if (vcpu >= MAX_CPUS)
		return;
	if (b->watch && !seen[b->watch - 1][vcpu])
		watch_hit(vcpu, b->watch);
	resume(vcpu, b);
	count[vcpu] += b->n_insns;
	total += b->n_insns;
	last_end[vcpu] = total;
	last_ends[vcpu] = b->ends;
}

static void lap(unsigned int vcpu, void *udata)
{
	char line[160];

	(void)udata;
	if (vcpu >= MAX_CPUS)
		return;
	if (lap_started[vcpu]) {
		snprintf(line, sizeof(line),
			 "INSN-LAP cpu=%u elapsed=%" PRIu64 " own=%" PRIu64 " preempted=%" PRIu64
			 "\n",
			 vcpu, total - lap_total[vcpu], count[vcpu] - lap_own[vcpu],
			 preempted[vcpu] - lap_preempted[vcpu]);
		qemu_plugin_outs(line);
	}
	lap_started[vcpu] = 1;
	lap_total[vcpu] = total;
	lap_own[vcpu] = count[vcpu];
	lap_preempted[vcpu] = preempted[vcpu];
}

/* WFI, WFE or the lap hint (#0x20), in the ARM or the Thumb instruction set; else ENDS_RUN. */
static enum ends insn_kind(const struct qemu_plugin_insn *insn)
{
	const uint8_t *p = qemu_plugin_insn_data(insn);
	size_t size = qemu_plugin_insn_size(insn);
	uint32_t v, hint;

	if (size == 2) {
		v = (uint32_t)p[0] | (uint32_t)p[1] << 8;
		return v == 0xbf30 ? ENDS_WFI : v == 0xbf20 ? ENDS_WFE : ENDS_RUN;
	}
	if (size != 4)
		return ENDS_RUN;
	v = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
	if ((v & 0x0fffff00) == 0x0320f000) /* ARM: HINT #imm8, any condition */
		hint = v & 0xff;
	else if ((v & 0xff00ffff) == 0x8000f3af) /* Thumb-2, as two halfwords in memory order */
		hint = v >> 16 & 0xff;
	else
		return ENDS_RUN;
	return hint == 3 ? ENDS_WFI : hint == 2 ? ENDS_WFE : hint == 0x20 ? ENDS_LAP : ENDS_RUN;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	struct block *b = calloc(1, sizeof(*b)); /* kept as long as QEMU keeps the block */
	unsigned int i;
	size_t k;

	(void)id;
	if (!b)
		abort();
	b->pc = qemu_plugin_tb_vaddr(tb);
	b->n_insns = (uint32_t)qemu_plugin_tb_n_insns(tb);
	for (i = 0; i < watch_count; i++)
		if (watch[i] == b->pc)
			b->watch = (uint8_t)(i + 1);
	for (k = 0; (gap_cpu >= 0 || laps) && k < b->n_insns; k++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, k);
		enum ends kind = insn_kind(insn);

		if (kind == ENDS_LAP && laps)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, lap, QEMU_PLUGIN_CB_NO_REGS,
							       NULL);
		else if (kind != ENDS_LAP && k + 1 == b->n_insns)
			b->ends = (uint8_t)kind;
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, b);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc,
			       char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "laps=on")) {
			laps = 1;
			continue;
		}
		if (!strncmp(argv[i], "gaps=", 5)) {
			char *end;

			gap_cpu = (int)strtol(argv[i] + 5, &end, 0);
			gap_min = *end == ':' ? strtoull(end + 1, NULL, 0) : 1000000;
			if (gap_cpu < 0 || gap_cpu >= MAX_CPUS) {
				fprintf(stderr, "insn_per_cpu: bad argument %s\n", argv[i]);
				return -1;
			}
			continue;
		}
		if (strncmp(argv[i], "watch=", 6) || watch_count == MAX_WATCH) {
			fprintf(stderr, "insn_per_cpu: bad argument %s\n", argv[i]);
			return -1;
		}
		watch[watch_count++] = strtoull(argv[i] + 6, NULL, 0);
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
