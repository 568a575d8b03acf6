"""Issue 6: two RTOS guests side by side, talking through a shared-memory
channel; the RTOS's own test suite in a partition; the hypercall ABI."""
import re

from qemutest import QemuTest, VIRT
from test_partitions import all_of, lines_tagged

MESSAGES = 60
SELFTEST_CASES = 21  # guests/rtos/app/selftest.c's cases[]; one of them runs bare only


def messages_in_order(text):
    """Every reading the producer sent is received once, in order, none lost."""
    sent = [int(s) for s in re.findall(r"^\[sensor\] producer: sent seq=(\d+) ", text, re.M)]
    recv = re.findall(r"^\[logger\] consumer: recv seq=(\d+) temp=[-\d.]+ (\w+)$", text, re.M)
    problems = []
    seqs = [int(s) for s, _ in recv]
    if seqs[:MESSAGES] != list(range(MESSAGES)):
        problems.append("received out of order or with gaps: %s" % seqs[:20])
    bad = [(s, v) for s, v in recv if v != "ok"]
    if bad:
        problems.append("readings not ok: %s" % bad[:5])
    if sent[:MESSAGES] != list(range(MESSAGES)):
        problems.append("producer did not send 0..%d in order" % (MESSAGES - 1))
    for name, task in (("sensor", "stats"), ("logger", "reporter"), ("logger", "filter")):
        if not re.search(r"^\[%s\] %s: " % (name, task), text, re.M):
            problems.append("task %s of %s never printed" % (task, name))
    if re.search(r"lost=[1-9]|order=[1-9]|corrupt=[1-9]|torn=[1-9]", text):
        problems.append("the consumer's report shows a loss")
    # The consumer also polls every 500 ms, which alone would receive every reading (one each
    # 100 ms): the doorbell must have woken it for most of them.
    reports = re.findall(r"^\[logger\] reporter: .* recv=(\d+) .* doorbells=(\d+) ", text, re.M)
    if not reports:
        problems.append("the logger's reporter never printed its counts")
    else:
        recv, rings = (int(n) for n in reports[-1])
        if recv < 10 or rings < recv * 3 // 4:
            problems.append("%d doorbells for %d readings: the consumer was not woken by them"
                            % (rings, recv))
    return problems


TESTS = [
    QemuTest(
        "rtos.default_system",
        "make run's system: the sensor RTOS sends %d readings through the channel and rings "
        "the doorbell; the logger RTOS receives every one in order, none lost; every task of "
        "both partitions prints under its partition's name" % MESSAGES,
        build={"CONFIG": "default"},
        expect=[r"^\[sensor\] rtos: Tessera RTOS on Tessera partition",
                r"^\[logger\] rtos: consumer on channel 0",
                r"^\[logger\] consumer: recv seq=%d temp=[-\d.]+ ok$" % (MESSAGES - 1)],
        forbid=[r"LOST", r"ORDER", r"CORRUPT", r"WARN", r"overflow"],
        done=r"^\[logger\] consumer: recv seq=%d " % MESSAGES,
        check=all_of(messages_in_order, lines_tagged(["sensor", "logger"])),
        timeout=120,
    ),
    QemuTest(
        "rtos.selftest_in_partition",
        "the RTOS's own suite in a partition: preemption order, round-robin, priority "
        "inheritance (chains), semaphore and queue blocking and timeouts, tick and sleep "
        "accuracy against the counter, stack-overflow detection; its health watchdog (1 s), kicked "
        "by the idle task, never expires",
        build={"CONFIG": "test-rtos"},
        expect=[r"^\[rtos\] RTOS-TEST SUMMARY (\d+) passed, 0 failed$",
                r"^\[rtos\] RTOS-TEST PASS priority_inheritance_chain$",
                r"^\[rtos\] RTOS-TEST PASS tick_accuracy$",
                r"^\[rtos\] RTOS-TEST PASS stack_overflow_detected$"],
        # its idle task kicks the watchdog; under -icount a timing case passes at its first run
        forbid=[r"RTOS-TEST FAIL", r"watchdog: no kick", r"retrying"],
        done=r"RTOS-TEST SUMMARY",
        check=lambda t: [] if len(re.findall(r"^\[rtos\] RTOS-TEST PASS", t, re.M)) ==
        SELFTEST_CASES - 1 else ["not every RTOS test case passed (%d, bare-only one left out)"
                                  % (SELFTEST_CASES - 1)],
        timeout=120,
    ),
    QemuTest(
        "rtos.hypercall_abi",
        "every Tessera call with good arguments; pointers and lengths outside the caller's "
        "RAM (null, hypervisor, other partition, devices, past the end, wrapping, read-only "
        "mapping) refused with BAD_ADDRESS, never a fault",
        build={"CONFIG": "test-rtos"},
        expect=[r"^\[caller\] TG DONE 36 passed, 0 failed$",
                r"^\[caller\] TG hypercalls: written through CONSOLE_WRITE$"],
        forbid=[r"\[caller\] TG FAIL", r"stage-2 data abort"],
        done=r"^\[caller\] TG DONE",
        timeout=60,
    ),
    QemuTest(
        "rtos.bare_selftest",
        "the same RTOS boots bare on QEMU virt (no hypervisor) and passes its suite",
        machine=[a.replace(",virtualization=on", "") for a in VIRT],
        kernel=False,
        args=["-kernel", "build/guests/rtos-test.elf"],
        build_targets=("guests",),
        expect=[r"^RTOS-TEST SUMMARY %d passed, 0 failed$" % SELFTEST_CASES],
        forbid=[r"RTOS-TEST FAIL", r"retrying"],
        done=r"RTOS-TEST SUMMARY",
        timeout=60,
    ),
    QemuTest(
        "rtos.bare_demo",
        "the same RTOS image boots bare (no device tree): the local producer/consumer demo",
        machine=[a.replace(",virtualization=on", "") for a in VIRT],
        kernel=False,
        args=["-kernel", "build/guests/rtos.elf"],
        build_targets=("guests",),
        expect=[r"producer: sent seq=5 ", r"consumer: recv seq=5 .*ok"],
        forbid=[r"LOST", r"ORDER"],
        timeout=60,
    ),
]
