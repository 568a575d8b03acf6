"""Issue 17: operating a running system.

qemu.ops.watchdog_manager_monitor, one boot of configs/qemu-virt/test-ops.dts:

Under -icount, so that the watchdog's timing and the witness's heartbeat are exact:

- "hung" kicks its watchdog (100 ms), masks interrupts and waits around WFI for ever: each
  time the hypervisor logs the miss 100 ms after the last kick (101 at most: the Hyp timer
  that sees it ticks every millisecond on QEMU) and restarts it; past restart-limit <2 60000>
  it stays halted;
- "boss" manages "worker" and reads its state, restarts, stops and starts it through
  hypercalls, and is refused on "witness", which it does not manage; "witness" is refused
  on "worker" (DENIED, logged once) and beats every 50 ms, never more than 1 ms late;
- then the console monitor is driven through the serial line: help, list, stats, log level
  down (the worker's restart by hand is then not logged at INFO), up, stop and start by
  number, and a label that names nobody.

qemu.ops.watchdog_busy_spin (configs/qemu-virt/test-ops-spin.dts): the same watchdog
against a busy loop with interrupts masked, no WFI, beside a witness.
"""
import re

from qemutest import QemuTest
from test_partitions import all_of, heartbeats_after, lines_tagged

ESC = "\x14"  # Ctrl-T


def watchdog_misses(text):
    """Three misses, each timed from the last kick; the denial said once per partition."""
    problems = []
    misses = re.findall(r"WARN: partition 1 \(hung\): watchdog: no kick for (\d+) ms "
                        r"\(timeout 100 ms\)$", text, re.M)
    if len(misses) != 3 or any(not 100 <= int(m) <= 101 for m in misses):
        problems.append("watchdog misses: %s, expected three of 100-101 ms" % misses)
    for who in ("boss", "witness"):
        n = len(re.findall(r"partition \d \(%s\): manager call on partition \d denied" % who,
                           text))
        if n != 1:
            problems.append("%s's denials logged %d times, expected once" % (who, n))
    return problems


def spin_misses(text):
    misses = re.findall(r"WARN: partition 0 \(spinner\): watchdog: no kick for (\d+) ms "
                        r"\(timeout 50 ms\)$", text, re.M)
    if len(misses) != 2 or any(not 50 <= int(m) <= 51 for m in misses):
        return ["watchdog misses: %s, expected two of 50-51 ms" % misses]
    return []



def stop_is_last(text):
    """The paste's stop is the last word: nothing starts the worker after it.  Whether the
    start runs before the stop arrives is the host's timing: QEMU's PL011 takes 16 bytes at a
    time, and the paste's stop ends in its second batch, which comes once the hypervisor has
    read the first; the worker's CPU may act on the start meanwhile."""
    last_stop = text.rfind("(worker): stopping (console monitor)")
    if re.search(r"\(worker\): start \d+,", text[last_stop:]):
        return ["the worker started after the paste's stop"]
    return []

TESTS = [
    QemuTest(
        "ops.watchdog_manager_monitor",
        "a partition that masks interrupts and hangs is restarted by its watchdog 100 ms after "
        "its last kick, twice, then halted by its restart-limit, while a bystander keeps its "
        "timing (1 ms); a manager partition reads, restarts, stops and starts the partition "
        "it manages, and is refused on another; a non-manager is refused (DENIED, logged "
        "once); the console monitor lists, prints stats, lowers and raises the log level, "
        "restarts, stops and starts by label and number, and names what it cannot find",
        build={"CONFIG": "test-ops"},
        inputs=[(r"^\[boss\] TG DONE 7 passed, 0 failed$", ""),
                (r"restart limit reached, staying stopped", ESC + "?"),
                (r"monitor: Ctrl-T then", ESC + "l"),
                (r"partition 3 worker: running", ESC + "s"),
                (r"stats machine:", ESC + "-"),
                (r"monitor: log level warn", ESC + "rworker\r"),
                (r"monitor: log level warn[\s\S]*\[worker\] TG start", ESC + "+"),
                (r"monitor: log level info", ESC + "k3\r"),
                (r"partition 3 \(worker\): stopped", ESC + "b3\r"),
                (r"partition 3 \(worker\): start 5,", ESC + "bnobody\r")],
        expect=[r"^\[boss\] TG DONE 7 passed, 0 failed$",
                r"^\[witness\] TG DONE 3 passed, 0 failed$",
                r"^\[tessera\] partition 1 \(hung\): start 3,",
                r"^\[tessera\] WARN: partition 1 \(hung\): 2 restarts within 60000 ms: "
                r"restart limit reached, staying stopped$",
                r"^\[tessera\] monitor: Ctrl-T then 0-3 or n \(input\), l \(list\), s \(stats\)",
                r"^\[tessera\] partition 0 boss: running cpus=0 up=\d+ms starts=1 "
                r"restarts_left=0 faults=0 last_fault=none watchdog=0ms$",
                r"^\[tessera\] partition 1 hung: halted cpus=1 up=0ms starts=3 restarts_left=0 "
                r"faults=3 last_fault=watchdog watchdog=100ms$",
                r"^\[tessera\] partition 3 worker: running cpus=3 up=\d+ms starts=3 ",
                r"^\[tessera\] stats cpu1: entries=\d+ hvc=\d+ .* idle_ms=\d+ console_bytes=\d+$",
                r"^\[tessera\] stats partition 1 \(hung\): starts=3 faults=3 ",
                r"^\[tessera\] monitor: log level warn$",
                r"^\[tessera\] monitor: restart which partition\? Its number or label, then "
                r"Enter \(Ctrl-C: none\)$",
                r"^\[tessera\] monitor: restart partition 3 \(worker\)$",
                r"^\[tessera\] monitor: log level info$",
                r"^\[tessera\] monitor: stop partition 3 \(worker\)$",
                r"^\[tessera\] partition 3 \(worker\): stopping \(console monitor\)$",
                r"^\[tessera\] monitor: start partition 3 \(worker\)$",
                r"^\[tessera\] partition 3 \(worker\): start 5,",
                r'^\[tessera\] monitor: no partition "nobody"$'],
        forbid=[r"\[witness\] TG heartbeat \d+ LATE", r"TG FAIL",
                r"partition 3 \(worker\): start 4,"],  # logged at INFO while the level was WARN
        done=r'monitor: no partition "nobody"',
        check=all_of(lines_tagged(["boss", "hung", "witness", "worker"]), watchdog_misses,
                     heartbeats_after("witness", "restart limit reached", 3)),
        timeout=90,
    ),
    QemuTest(
        "ops.watchdog_busy_spin",
        "a partition that masks interrupts and spins in a busy loop (no WFI) is caught by the "
        "Hyp timer of its own CPU 50 ms after its last kick, restarted, caught again and "
        "halted by its restart-limit; its neighbour keeps beating, never more than 2 ms late "
        "(with four busy CPUs QEMU's -icount round-robin gives a busy loop whole time slices "
        "of the others: qemu.ops.watchdog_manager_monitor's hung partition spins around WFI)",
        build={"CONFIG": "test-ops-spin"},
        expect=[r"^\[tessera\] partition 0 \(spinner\): start 2,",
                r"^\[tessera\] WARN: partition 0 \(spinner\): 1 restarts within 60000 ms: "
                r"restart limit reached, staying stopped$"],
        forbid=[r"TG FAIL", r"spinner\): start 3,", r"\[witness\] TG heartbeat \d+ LATE"],
        done=r"restart limit reached[\s\S]*heartbeat \d+ ok[\s\S]*heartbeat \d+ ok",
        check=all_of(lines_tagged(["spinner", "witness"]), spin_misses,
                     heartbeats_after("witness", "restart limit reached", 2)),
        timeout=60,
    ),
    QemuTest(
        "ops.paste_start_then_stop",
        "a start then a stop of a stopped partition, pasted at once into the monitor: the stop is the last word, the partition ends stopped and nothing starts it after the stop",
        build={"CONFIG": "test-ops"},
        # Stopped by the monitor: its "stopped" (the boss's stop printed one before) and the
        # monitor's "stopping" come from two CPUs, in either order.  Then the paste, and the
        # list once the witness has beaten twice more.
        inputs=[(r"^\[boss\] TG DONE 7 passed, 0 failed$", ESC + "kworker\r"),
                (r"\(worker\): stopped\n[\s\S]*\(worker\): stopped\n[\s\S]*"
                 r"\(worker\): stopping \(console monitor\)|"
                 r"\(worker\): stopping \(console monitor\)[\s\S]*\(worker\): stopped\n",
                 ESC + "bworker\r" + ESC + "kworker\r"),
                (r"stopping \(console monitor\)[\s\S]*stopping \(console monitor\)"
                 r"(?:[\s\S]*\[witness\] TG heartbeat){2}", ESC + "l"),
                ],
        expect=[r"^\[tessera\] partition 3 worker: stopped "],
        check=stop_is_last,
        done=r"partition 3 worker: ",
        timeout=90,
    ),
]
