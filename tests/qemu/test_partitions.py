"""Issue 3: partitions from the static configuration, each confined by its
own stage-2 table, printing through its own virtual UART."""
import re

from qemutest import QemuTest


def lines_tagged(names):
    """Every console line is whole and tagged: [tessera] or [<partition>]."""
    tag = re.compile(r"^\[(%s)\] " % "|".join(["tessera"] + list(names)))

    def check(text):
        lines = text.splitlines()[1:]
        if not text.endswith("\n"):
            lines = lines[:-1]  # QEMU was stopped in the middle of this one
        bad = [l for l in lines if l.strip() and not tag.match(l)
               and not l.startswith("qemu-system-arm")]
        return ["untagged or broken line: %r" % bad[0]] if bad else []
    return check


def heartbeats_after(name, marker, count):
    """Partition 'name' keeps beating: 'count' heartbeats after 'marker' appears."""
    def check(text):
        at = text.find(marker)
        if at < 0:
            return ["no %r" % marker]
        beats = re.findall(r"^\[%s\] TG heartbeat \d+ ok$" % name, text[at:], re.M)
        corrupt = re.findall(r"^\[%s\] TG heartbeat \d+ CORRUPT" % name, text, re.M)
        problems = []
        if len(beats) < count:
            problems.append("%s: only %d heartbeats after %r" % (name, len(beats), marker))
        if corrupt:
            problems.append("%s: its memory changed" % name)
        return problems
    return check


def all_of(*checks):
    def check(text):
        out = []
        for c in checks:
            out += c(text)
        return out
    return check


ISOLATION_PROBES = ["other-partition-ram", "hypervisor-ram", "hypervisor-ram-end",
                    "gic-hyp-interface", "unassigned-device", "top-of-address-space"]

TESTS = [
    QemuTest(
        "partitions.isolation",
        "every access outside the partition's memory faults (injected abort), each logged "
        "with partition, IPA and PC, rate-limited; the witness sweeps its RAM and keeps beating",
        build={"CONFIG": "test-isolation"},
        expect=[r"^\[attacker\] TG DONE 19 passed, 0 failed$",
                r"^\[attacker\] TG PASS isolation\.beyond_ram$",
                r"^\[witness\] TG PASS memory\.sweep$",
                r"^\[witness\] TG DONE 2 passed, 0 failed$",
                r"WARN: partition 0 \(attacker\) vCPU 0: stage-2 data abort: read IPA 0x54000000 "
                r"VA 0x54000000 PC 0x4\w{7} \(HSR 0x\w{8}\); policy inject",
                r"WARN: partition 0 \(attacker\) vCPU 0: stage-2 data abort: write IPA 0x48000000",
                r"WARN: partition 0 \(attacker\) vCPU 0: stage-2 prefetch abort: fetch IPA "
                r"0x54000000",
                r"stage-2 pool: (\d+) of \1 tables used"]
        + [r"^\[attacker\] TG PASS isolation\.%s\.%s$" % (op, p)
           for op in ("read", "write", "exec") for p in ISOLATION_PROBES],
        forbid=[r"TG FAIL", r"CORRUPT", r"^\[witness\] TG unexpected interrupt"],
        done=r"^\[witness\] TG heartbeat 10 ok$",
        check=all_of(lines_tagged(["attacker", "witness"]),
                     heartbeats_after("witness", "[attacker] TG DONE", 5),
                     lambda t: [] if len(re.findall(r"WARN: partition 0 \(attacker\).*abort", t))
                     <= 5 else ["fault log not rate-limited"]),
        timeout=60,
    ),
    QemuTest(
        "partitions.trespass_stops",
        "fault policy 'stop': one write to the hypervisor's RAM stops the partition; the "
        "others go on: one sweeps its RAM and keeps its heartbeat, one runs code from a "
        "read-only execute-in-place image at IPA 0 and cannot write it",
        build={"CONFIG": "test-trespass"},
        expect=[r"WARN: partition 0 \(intruder\) vCPU 0: stage-2 data abort: write IPA "
                r"0x48000000 VA 0x48000000 PC 0x4\w{7} \(HSR 0x\w{8}\); policy stop",
                r"partition 0 \(intruder\): stopped",
                r"^\[bystander\] TG PASS memory\.sweep$",
                # an execute-in-place image at IPA 0, read-only: read, run, write refused
                r"^\[flash\] TG DONE 4 passed, 0 failed$",
                r"WARN: partition 1 \(flash\) vCPU 0: stage-2 data abort: write IPA 0x100 "],
        forbid=[r"still running", r"TG FAIL", r"CORRUPT", r"^\[bystander\] TG unexpected"],
        done=r"^\[bystander\] TG heartbeat 20 ok$",
        check=all_of(lines_tagged(["intruder", "bystander", "flash"]),
                     heartbeats_after("bystander", "(intruder): stopped", 10)),
        timeout=60,
    ),
]
