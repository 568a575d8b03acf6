"""Issue 8: the bench guest runs in Tessera's bench system and reports every figure.

Not a timed test: the figures are only checked to be there, as numbers (the comparison with
bare QEMU and Xen is `make bench`, tools/bench.py).  Runs like `make bench` does: -icount and a
1 GHz counter, so one tick is one instruction.
"""
import re

from qemutest import VIRT, QemuTest

FIGURES = ["overhead", "hypercall", "smccc_version", "gicd_typer", "gicd_isenabler0", "uart_fr",
           "cp15_actlr", "vtimer_spin", "vtimer_wfi", "sgi", "doorbell"]

MACHINE = [("cortex-a15,cntfrq=1000000000" if a == "cortex-a15" else a) for a in VIRT]


def figures_sane(text):
    problems = []
    for name in FIGURES:
        m = re.search(r"^\[bench\] BENCH %s min=(\d+) median=(\d+) max=(\d+) iterations=(\d+)$"
                      % name, text, re.M)
        if m and not int(m.group(1)) <= int(m.group(2)) <= int(m.group(3)):
            problems.append("%s: min <= median <= max does not hold" % name)
    return problems


TESTS = [
    QemuTest(
        "bench.tessera_figures",
        "the bench guest in a two-vCPU partition with a peer partition reports every figure "
        "(hypercall, distributor, UART, CP15, timer spinning and in WFI, SGI, doorbell)",
        build={"CONFIG": "bench"},
        machine=MACHINE,
        expect=[r"^\[bench\] BENCH-INFO env=tessera cpus=2 ",
                r"^\[peer\] BENCH-INFO peer=ready$",
                r"^\[bench\] BENCH-DONE %d figures$" % len(FIGURES)]
        + [r"^\[bench\] BENCH %s min=\d+ median=\d+ max=\d+ iterations=\d+$" % name
           for name in FIGURES],
        forbid=[r"BENCH \w+ n/a", r"env=unknown"],
        done=r"BENCH-DONE",
        check=figures_sane,
        timeout=120,
    ),
]
