"""Issue 9: the hostile guest's catalogue of attacks, beside a heartbeat
partition that checks its own memory and the period of its heartbeat."""
import re

from qemutest import QemuTest
from test_partitions import all_of, lines_tagged

CASES = ["memory", "foreign-interrupts", "undescribable-mmio", "random-calls", "psci",
         "coprocessors", "storm-and-spin"]


def heartbeat_undisturbed(text):
    problems = []
    start = text.find("[hostile] TG hostile: case memory")
    end = text.find("[hostile] TG DONE")
    if start < 0 or end < 0:
        return ["the catalogue did not run to its end"]
    beats = re.findall(r"^\[heartbeat\] TG heartbeat \d+ ok$", text[start:end], re.M)
    if len(beats) < 3:
        problems.append("only %d heartbeats while the attacks ran" % len(beats))
    worst = [int(w) for w in re.findall(
        r"^\[heartbeat\] TG heartbeat worst deviation (\d+) us", text, re.M)]
    if not worst or max(worst) > 1000:
        problems.append("heartbeat period off by more than 1 ms: %s" % worst[-1:])
    return problems


def faults_logged(text):
    problems = []
    lines = re.findall(r"^\[tessera\] WARN: partition 0 \(hostile\) vCPU 0: (.*)$", text, re.M)
    aborts = [l for l in lines if "abort" in l or "syndrome" in l]
    if not aborts:
        problems.append("no fault logged")
    for l in aborts:
        if not re.search(r"VA 0x\w{8} PC 0x\w{8}", l):
            problems.append("fault logged without address and PC: %s" % l)
    if len(aborts) > 10:
        problems.append("%d fault lines: not rate-limited" % len(aborts))
    return problems


TESTS = [
    QemuTest(
        "hostile.catalogue",
        "memory outside the partition, foreign interrupts and CPUs, accesses the syndrome "
        "cannot describe, random and boundary HVC/SMC, PSCI abuse, CP15/CP14 abuse, undefined "
        "instructions, an interrupt storm, WFE/WFI spins: each contained as stated, the "
        "heartbeat partition's memory and period (within 1 ms) undisturbed, faults logged "
        "with name, address and PC, rate-limited",
        build={"CONFIG": "test-hostile"},
        expect=[r"^\[hostile\] TG DONE 39 passed, 0 failed$"]
        + [r"^\[hostile\] TG hostile: case %s: must " % c for c in CASES]
        + [r"WARN: partition 0 \(hostile\) vCPU 0: stage-2 data abort: read IPA 0x52000000 "
           r"VA 0x52000000 PC 0x4\w{7}",
           r"WARN: partition 0 \(hostile\) vCPU 0: SGI aimed at a CPU outside the partition"],
        forbid=[r"TG FAIL", r"CORRUPT", r"LATE by", r"ERROR",
                r"^\[heartbeat\] TG unexpected interrupt"],
        done=r"^\[heartbeat\] TG heartbeat 150 ok$",
        check=all_of(heartbeat_undisturbed, faults_logged,
                     lines_tagged(["hostile", "heartbeat"])),
        timeout=120,
    ),
]
