"""Issue 4: VMIDs round-robin with a full flush on wrap, partition restart,
guest PSCI and the fault policies."""
import re

from qemutest import QemuTest
from test_partitions import all_of, heartbeats_after, lines_tagged

RESETS = 16  # configs/qemu-virt/test-reset.dts: reset-limit = <16 600000>
HALT_LINE = (r"WARN: partition 0 \(resetter\): %d resets within 600000 ms: reset limit "
             r"reached, staying stopped" % RESETS)


def reset_loop_check(text):
    problems = []
    runs = re.findall(r"^\[resetter\] TG reset: run clean=(\w+)$", text, re.M)
    if any(r != "yes" for r in runs):
        problems.append("a run found memory, CPU register, ThumbEE, PMU or timer interrupt "
                        "state of the previous one")
    if len(runs) != RESETS + 1:
        problems.append("%d runs, expected %d" % (len(runs), RESETS + 1))
    # Each start takes a fresh VMID (1..3 with 2 bits); the space wraps every few resets.
    starts = re.findall(r"\(resetter\): start \d+, VMID (\d+) generation (\d+),", text)
    if any(not 1 <= int(v) <= 3 for v, _ in starts):
        problems.append("VMIDs outside 1..3: %s" % starts)
    gens = [int(g) for _, g in starts]
    if gens != sorted(gens) or not gens or gens[-1] < RESETS // 3:
        problems.append("generations do not advance with the resets: %s" % gens)
    if re.search(r"VMID \d+ -> partition|VMID space used up", text):
        problems.append("a per-restart VMID line (logged under the allocator's lock)")
    if len(re.findall(HALT_LINE, text)) != 1:
        problems.append("the reset limit is not said exactly once")
    pools = set(re.findall(r"stage-2 pool: (\d+ of \d+) tables used", text))
    if len(pools) != 1:
        problems.append("stage-2 pool usage changed: %s" % sorted(pools))
    return problems


TESTS = [
    QemuTest(
        "lifecycle.reset_loop_vmid_wrap",
        "a partition resets itself through PSCI as fast as it can with 2-bit VMIDs: each "
        "run starts from cleared memory, reset PL1 registers (thread IDs, CONTEXTIDR, "
        "CNTKCTL, CSSELR, TTBR1, the timers' compare values, the banked registers of FIQ, "
        "abort and undefined modes, CPACR, FPEXC, d0-d31, FPSCR), ThumbEE registers and PMU "
        "counters (which then "
        "count, never in Hyp mode) and no virtual timer interrupt the last run left pending "
        "in the GIC, each start takes a fresh "
        "VMID and the space wraps every few, no VMID line is logged, the reset-limit "
        "<%d 600000> halts it with one line, and the witness partition beside it keeps "
        "beating with its memory intact" % RESETS,
        build={"CONFIG": "test-reset", "VMID_BITS": "2"},
        expect=[r"partition 0 \(resetter\): start %d," % (RESETS + 1), HALT_LINE],
        forbid=[r"clean=NO", r"CORRUPT", r"SYSTEM_RESET returned", r"TG FAIL",
                r"\(resetter\): start %d," % (RESETS + 2)],
        # Done once the witness has beaten five times since the loop was halted.
        done=r"reset limit reached(?:[\s\S]*?^\[witness\] TG heartbeat \d+ ok$){5}",
        check=all_of(reset_loop_check, lines_tagged(["resetter", "witness"]),
                     heartbeats_after("witness", "reset limit reached", 5)),
        timeout=120,
    ),
    QemuTest(
        "lifecycle.restart_bound",
        "fault policy 'restart' with restart-limit <3 60000>: three restarts, then the "
        "partition stays stopped and says so; its neighbour keeps running",
        build={"CONFIG": "test-restart"},
        expect=[r"partition 0 \(crasher\): start 4,",
                r"WARN: partition 0 \(crasher\): 3 restarts within 60000 ms: restart limit "
                r"reached, staying stopped",
                r"WARN: partition 0 \(crasher\) vCPU 0: stage-2 data abort: write IPA "
                r"0x54000000 .* policy restart"],
        forbid=[r"crasher\): start 5,", r"crash\.survived"],
        done=r"\[witness\] TG heartbeat 30 ok",
        check=all_of(lines_tagged(["crasher", "witness"]),
                     heartbeats_after("witness", "restart limit reached", 5)),
        timeout=60,
    ),
]
