"""Issue 4: VMIDs round-robin with a full flush on wrap, partition restart,
guest PSCI and the fault policies."""
import re

from qemutest import QemuTest
from test_partitions import all_of, heartbeats_after, lines_tagged

RESETS = 1000


def reset_loop_check(text):
    problems = []
    runs = re.findall(r"^\[resetter\] TG reset: run clean=(\w+)$", text, re.M)
    if any(r != "yes" for r in runs):
        problems.append("a run found memory of the previous one")
    # VMIDs are handed out round-robin: 1, 2, 3, then a new generation from 1.
    vmids = [int(v) for v in re.findall(r"VMID (\d+) -> partition \d", text)]
    expect = [1 + (i % 3) for i in range(len(vmids))]
    if vmids != expect:
        problems.append("VMIDs not round-robin over 1..3: %s" % vmids[:12])
    wraps = len(re.findall(r"VMID space used up: generation \d+, flushing", text))
    if wraps < RESETS // 3 - 2:
        problems.append("only %d wraps flushed for %d resets" % (wraps, RESETS))
    pools = set(re.findall(r"stage-2 pool: (\d+ of \d+) tables used", text))
    if len(pools) != 1:
        problems.append("stage-2 pool usage changed: %s" % sorted(pools))
    return problems


TESTS = [
    QemuTest(
        "lifecycle.reset_loop_vmid_wrap",
        "a partition resets itself %d times through PSCI with 2-bit VMIDs: each run starts "
        "from cleared memory, VMIDs go round-robin with a flush at every wrap, the witness "
        "partition's memory never changes and the hypervisor's memory use stays the same"
        % RESETS,
        build={"CONFIG": "test-reset", "VMID_BITS": "2"},
        expect=[r"partition 0 \(resetter\): start %d," % RESETS,
                r"VMID space used up: generation \d+, flushing guest TLBs on every CPU"],
        forbid=[r"clean=NO", r"CORRUPT", r"SYSTEM_RESET returned", r"TG FAIL"],
        # Done once the loop has finished and the witness has beaten five times since it began.
        done=(r"\A(?=[\s\S]*partition 0 \(resetter\): start %d,)"
              r"(?=[\s\S]*?\(resetter\): start 2,(?:[\s\S]*?^\[witness\] TG heartbeat \d+ ok$){5})"
              % RESETS),
        check=all_of(reset_loop_check, lines_tagged(["resetter", "witness"]),
                     heartbeats_after("witness", "(resetter): start 2,", 5)),
        timeout=300,
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
