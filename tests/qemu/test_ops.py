"""Issue 17: operating a running system, in one boot (configs/qemu-virt/test-ops.dts).

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
                r"^\[tessera\] stats cpu1: entries=\d+ hvc=\d+ .* idle_ms=\d+$",
                r"^\[tessera\] stats partition 1 \(hung\): starts=3 faults=3 ",
                r"^\[tessera\] monitor: log level warn$",
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
]
