"""Issue 14: the console at a real board's speed (UART_BAUD=115200: the
console UART driver paced as a 16-byte-FIFO UART at 11520 bytes/s).  A
bystander prints a numbered line every 10 ms beside a flooder (4 KiB lines
through CONSOLE_WRITE and the PL011) and beside a partition looping
CPU_ON/CPU_OFF, each of which the hypervisor logs, and printing forged lines
(control bytes, escape sequences) through both."""
import re

from qemutest import QemuTest
from test_partitions import all_of, lines_tagged

COUNT = 60  # the bystander's lines (bootargs count= in configs/qemu-virt/test-noisy-console.dts)


def bystander_complete(text):
    """Every number, once, in order: nothing of the bystander's is dropped or reordered."""
    numbers = [int(n) for n in re.findall(r"^\[bystander\] TG by (\d+)$", text, re.M)]
    if numbers != list(range(COUNT)):
        missing = sorted(set(range(COUNT)) - set(numbers))
        return ["bystander lines: %d of %d, missing %s..., out of order: %s" % (
            len(set(numbers)), COUNT, missing[:5], numbers != sorted(numbers))]
    return []


def bystander_reported(text):
    """The bystander's own view (the clock's lateness and its slowest line) is in the log
    for whoever reads it; the timing is judged on its laps (bystander_laps)."""
    if not re.search(r"^\[bystander\] TG by worst lateness (\d+) us$", text, re.M):
        return ["the bystander did not report its lateness"]
    return []


PERIOD_NS = 10 * 1000 * 1000
LATE_NS = 10 * 1000 * 1000  # a whole period; what it catches is below
OWN_MAX = 200 * 1000  # instructions of the bystander's CPU in one period: 2% of a 1 GHz core


def bystander_laps(log):
    """Its timing holds as it would on a board, judged on its laps (tools/insn_per_cpu.c,
    laps=on: the bystander marks the start and end of printing each line, then sleeps
    until the period's end).  QEMU 7.2 runs the vCPUs in turns under -icount, each until
    the machine's next timer deadline, and a vCPU that reprograms a timer (as the
    hypervisor does for the console's pacing, every 1.4 ms while output is waiting) hands
    its turn to the next at once: a bystander lost 46 ms of the clock in one line while
    its CPU executed 12,447 instructions (docs/bench.md, "Noisy neighbour: method").
    So, per period:
      - the line's time less what QEMU gave the others while the bystander's CPU could
        have run (what a board running the CPUs at once would take), plus the sleep's
        overrun (its timer's delivery, where QEMU's turns after the deadline still count,
        up to 1.4 ms each while the console keeps a deadline that close), stays under
        LATE_NS;
      - the bystander's CPU's own instructions (its guest and the hypervisor working on
        that CPU, for it or for anyone) stay under OWN_MAX: a CPU kept waiting for the UART,
        or draining a neighbour's flood, would execute millions."""
    laps = [tuple(int(v) for v in m) for m in re.findall(
        r"^INSN-LAP cpu=0 elapsed=(\d+) own=(\d+) preempted=(\d+)$", log, re.M)]
    if len(laps) != 2 * COUNT:
        return ["%d laps of the bystander in QEMU's log, expected %d" % (len(laps), 2 * COUNT)]
    periods = []
    for n in range(COUNT):
        (line, line_own, line_lost), (sleep, sleep_own, _) = laps[2 * n], laps[2 * n + 1]
        periods.append((line - line_lost + sleep - PERIOD_NS, line + sleep - PERIOD_NS,
                        line_lost, line_own + sleep_own))
    problems = []
    late = max(range(COUNT), key=lambda n: periods[n][0])
    board, clock, lost, own = periods[late]
    if board >= LATE_NS:
        problems.append("bystander period %d late by %d us on a board (%d us by QEMU's clock, "
                        "%d us of it the others' turns, %d own instructions)" % (
                            late, board // 1000, clock // 1000, lost // 1000, own))
    busiest = max(range(COUNT), key=lambda n: periods[n][3])
    if periods[busiest][3] >= OWN_MAX:
        problems.append("the bystander's CPU executed %d instructions in period %d (bound %d)" % (
            periods[busiest][3], busiest, OWN_MAX))
    return problems


def nothing_forged(text):
    problems = []
    # QEMU may be stopped between a line's CR and LF: leave the unfinished last line out.
    whole = text if text.endswith("\n") else text[:text.rfind("\n") + 1]
    raw = re.findall(r"[\x00-\x08\x0b-\x1f\x7f\ufffd]", whole)
    if raw:
        problems.append("%d raw control bytes reached the terminal, e.g. %r" % (
            len(raw), raw[0]))
    for line in text.splitlines():
        if ("FORGED" in line or "TG by 99999" in line) and not line.startswith("[cpuloop] "):
            problems.append("forged line: %r" % line[:120])
            break
    # Control sequences (ESC [ ... final byte) are dropped, other control bytes shown: each
    # forged line is still the forger's, behind its tag.
    for seen in [r"^\[cpuloop\] \[tessera\] FORGED-ESC$",
                 r"^\[cpuloop\] \[tessera\] FORGED-CR$",
                 r"^\[cpuloop\] NUL\\x00here FORGED-NUL \[tessera\] x$",
                 r"^\[cpuloop\] \[bystander\] TG by 99999$",
                 r"^\[cpuloop\] \\x1b\]0;title\\x07\\x08\\x08\\x7f\\xff\\x9b FORGED-MIXED$"]:
        if not re.search(seen, text, re.M):
            problems.append("no line %s" % seen)
    return problems


def drops_are_the_flooders(text):
    """The flooder's drops are reported as its own; nobody else loses a line.  The forger's
    control bytes are counted as its own (the stats lines: escapes alone make no note)."""
    problems = []
    notes = re.findall(r"^\[tessera\] console: (\w+): (\d+) lines \(\d+ bytes\) dropped, "
                       r"(\d+) control bytes escaped", text, re.M)
    if not any(who == "flood" and int(lines) > 0 for who, lines, _ in notes):
        problems.append("the flooder's drops were not reported")
    others = [n for n in notes if n[0] != "flood" and int(n[1]) > 0]
    if others:
        problems.append("drops reported for %s" % (others[0],))
    # The counters at the end agree: only the flooder's bytes were dropped.
    stats = {who: (int(d), int(e)) for who, d, e in re.findall(
        r"^\[tessera\] stats partition \d+ \((\w+)\): .* console_dropped=(\d+) "
        r"console_escaped=(\d+)$", text, re.M)}
    if sorted(stats) != ["bystander", "cpuloop", "flood"]:
        problems.append("stats partition lines: %s" % sorted(stats))
    elif stats["flood"][0] == 0 or stats["bystander"][0] or stats["cpuloop"][0]:
        problems.append("console_dropped by partition: %s" % stats)
    elif stats["cpuloop"][1] == 0 or stats["bystander"][1]:
        problems.append("the forger's escaped bytes were not counted as its own: %s" % stats)
    return problems


def cpuloop_progressed(text):
    """The CPU_ON/CPU_OFF loop ran beside it, logged by the hypervisor.  (How many rounds it
    makes varies: a CPU_ON waits for the target CPU to wake on QEMU.  That no hypervisor line
    is lost silently is counted exactly in sys.console_hyp_never_waits: here the test ends
    while the hypervisor's ring may still hold some.)"""
    starts = re.findall(r"^\[tessera\] partition 2 \(cpuloop\): vCPU 1 enters", text, re.M)
    # Each round's CPU_OFF is one HVC of vCPU 1, on CPU 3 (the counters at the end): its
    # printed rounds, every 5th, can still wait in its console ring when the bystander ends.
    offs = re.findall(r"^\[tessera\] stats cpu3: entries=\d+ hvc=(\d+) ", text, re.M)
    if not starts or not offs or int(offs[-1]) < 5:
        return ["the CPU_ON/CPU_OFF loop made no progress beside the bystander (%s CPU_OFFs)"
                % (offs[-1] if offs else "no")]
    return []


ESC = "\x14"  # Ctrl-T, the console monitor's escape


TESTS = [
    QemuTest(
        "console.noisy_neighbours",
        "at 115200 baud (UART_BAUD), a bystander's line every 10 ms beside a flooder "
        "(4 KiB lines by CONSOLE_WRITE and the PL011) and a CPU_ON/CPU_OFF loop the "
        "hypervisor logs that forges lines with control bytes: every bystander number, in "
        "order, on time on a board (< 10 ms late less QEMU's turns, < 200,000 instructions of "
        "its CPU a period); no raw control byte, no forged line; the flooder's drops reported as "
        "its own; hypervisor lines never lost silently",
        build={"CONFIG": "test-noisy-console", "UART_BAUD": "115200"},
        build_targets=("all", "build/host/insn_per_cpu.so"),
        args=["-d", "plugin", "-plugin", "build/host/insn_per_cpu.so,laps=on"],
        qemu_log="bystander-laps.log",
        log_check=bystander_laps,
        # The operator is answered beside the CPU_ON/CPU_OFF loop, and with every partition
        # stopped (no CPU in a guest: the paced console still drains from an idle CPU).
        inputs=[(r"^\[bystander\] TG by 20$", ESC + "l"),
                (r"^\[bystander\] TG DONE", ESC + "k0\r" + ESC + "k1\r" + ESC + "k2\r"),
                (r"(?=[\s\S]*\(bystander\): stopped$)(?=[\s\S]*\(flood\): stopped$)"
                 r"(?=[\s\S]*\(cpuloop\): stopped$)", ESC + "l" + ESC + "s")],
        expect=[r"^\[bystander\] TG DONE 1 passed, 0 failed$",
                r"^\[tessera\] partition 2 cpuloop: running cpus=2,3 ",
                r"^\[tessera\] partition 1 flood: stopped cpus=1 ",
                r"^\[tessera\] stats cpu3: ",
                r"^\[tessera\] stats machine: "],
        forbid=[r"TG FAIL", r"ERROR"],
        done=r"^\[tessera\] stats machine: ",
        check=all_of(bystander_complete, bystander_reported, nothing_forged,
                     drops_are_the_flooders, cpuloop_progressed,
                     lines_tagged(["bystander", "flood", "cpuloop"])),
        timeout=300,
    ),
]
