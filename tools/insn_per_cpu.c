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
 * Built by tools/tools.mk with the host compiler.  Debian ships no
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
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
void qemu_plugin_outs(const char *string);

#define MAX_CPUS 8
#define MAX_WATCH 8
#define EXPORT __attribute__((visibility("default")))

EXPORT int qemu_plugin_version = 1;

static uint64_t count[MAX_CPUS];
static uint64_t watch[MAX_WATCH];
static unsigned int watch_count;
static unsigned char seen[MAX_WATCH][MAX_CPUS];

/*
 * The translation block's instruction count and watch index, packed into the callback's
 * argument: n_insns << 8 | (index + 1), 0 for no watch.
 */
static void tb_exec(unsigned int vcpu, void *udata)
{
	uintptr_t arg = (uintptr_t)udata;
	unsigned int w = (unsigned int)(arg & 0xff);

	if (vcpu >= MAX_CPUS)
		return;
	if (w && !seen[w - 1][vcpu]) {
		char line[256];
		uint64_t all = 0;
		int n, i;

		seen[w - 1][vcpu] = 1;
		for (i = 0; i < MAX_CPUS; i++)
			all += count[i];
		n = snprintf(line, sizeof(line),
			     "INSN-WATCH addr=0x%" PRIx64 " cpu=%u own=%" PRIu64 " all=%" PRIu64
			     " cpus=",
			     watch[w - 1], vcpu, count[vcpu], all);
		for (i = 0; i < MAX_CPUS && n > 0 && n < (int)sizeof(line) - 24; i++)
			n += snprintf(line + n, sizeof(line) - (size_t)n, "%s%" PRIu64,
				      i ? "," : "", count[i]);
		snprintf(line + n, sizeof(line) - (size_t)n, "\n");
		qemu_plugin_outs(line);
	}
	count[vcpu] += arg >> 8;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t pc = qemu_plugin_tb_vaddr(tb);
	uintptr_t arg = (uintptr_t)qemu_plugin_tb_n_insns(tb) << 8;
	unsigned int i;

	(void)id;
	for (i = 0; i < watch_count; i++)
		if (watch[i] == pc)
			arg |= i + 1;
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, (void *)arg);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const struct qemu_info_t *info, int argc,
			       char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++) {
		if (strncmp(argv[i], "watch=", 6) || watch_count == MAX_WATCH) {
			fprintf(stderr, "insn_per_cpu: bad argument %s\n", argv[i]);
			return -1;
		}
		watch[watch_count++] = strtoull(argv[i] + 6, NULL, 0);
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	return 0;
}
