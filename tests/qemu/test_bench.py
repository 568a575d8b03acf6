"""Issue 8: the bench guest runs in Tessera's bench system and reports every figure.

Not a timed test: the figures are only checked to be there, as numbers (the comparison with
bare QEMU and Xen is `make bench`, tools/bench.py).  Runs like `make bench` does: -icount and a
1 GHz counter, so one tick is one instruction.
"""
import re

from qemutest import VIRT, QemuTest

FIGURES = ["overhead", "hypercall", "smccc_version", "gicd_typer", "gicd_isenabler0",
           "gicd_ipriorityr", "gicd_itargetsr", "gicd_icfgr", "uart_fr", "cp15_actlr",
           "gicd_isenabler_w", "gicd_icenabler_w", "gicd_ipriorityr_b", "gicd_itargetsr_b",
           "gicd_ispendr_w", "gicd_isenabler_spi_w", "gicd_icenabler_spi_w", "gicd_ispendr1",
           "vtimer_spin", "vtimer_wfi", "ptimer_spin", "spi_passthrough", "sgi",
           "doorbell"]

MACHINE = [("cortex-a15,cntfrq=1000000000" if a == "cortex-a15" else a) for a in VIRT]


def figures_sane(text):
    problems = []
    for name in FIGURES:
        m = re.search(r"^\[bench\] BENCH %s min=(\d+) median=(\d+) max=(\d+) iterations=(\d+)$"
                      % name, text, re.M)
        if m and not 0 < int(m.group(1)) <= int(m.group(2)) <= int(m.group(3)):
            problems.append("%s: 0 < min <= median <= max does not hold" % name)
        if m and int(m.group(4)) == 0:
            problems.append("%s: no iterations" % name)
    return problems


TESTS = [
    QemuTest(
        "bench.tessera_figures",
        "the bench guest in a two-vCPU partition with a peer partition reports every figure "
        "(hypercall, distributor reads and writes, UART, CP15, virtual timer spinning and in WFI, "
        "physical timer, passthrough SPI, SGI, doorbell)",
        build={"CONFIG": "bench", "GIC_REPOKE_MS": "0"},  # as make bench
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
    QemuTest(
        "bench.doorbell_smp_peer",
        "the bench guest's doorbell figure alone (figure=doorbell) into a peer partition of two "
        "vCPUs (bench-smp-peer.dts, /include/s bench.dts and amends it): the ring reaches the "
        "peer through a partition of several vCPUs' path (its first instance under the lock, the "
        "rest refilled without it), every iteration",
        build={"CONFIG": "bench-smp-peer", "GIC_REPOKE_MS": "0"},  # as make bench
        machine=MACHINE,
        expect=[r"^\[peer\] BENCH-INFO peer=ready$",
                r"^\[bench\] BENCH doorbell min=\d+ median=\d+ max=\d+ iterations=201$",
                r"^\[bench\] BENCH-DONE 1 figures$"],
        forbid=[r"BENCH \w+ n/a", r"env=unknown", r"BENCH hypercall"],
        done=r"BENCH-DONE",
        check=figures_sane,
        timeout=120,
    ),
]


# ---- issue 14: the noisy-neighbour system and the hypervisor's counters ----------------------

NOISY_LOADS = ["idle", "fault_storm", "cpu_on_off", "console_flood", "doorbell_ring",
               "sgi_storm", "passthrough_flood", "restart_loop"]
NOISY_PERIODS = 200  # guests/bench/noisy.c


def counters_plausible(text):
    """The stats lines printed at power-off add up and match what the guests did."""
    problems = []
    stats = {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
             for m in re.finditer(r"^\[tessera\] stats (cpu\d|partition \d \(\w+\)|machine): "
                                  r"(.*)$", text, re.M)}
    noise = {m.group(1): {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
             for m in re.finditer(r"^\[victim\] NOISE-SUM (\w+) (.*)$", text, re.M)}
    per_period = {m.group(1): (int(m.group(2)), int(m.group(3))) for m in
                  re.finditer(r"^\[victim\] NOISE (\w+) periods=\d+ lat=\d+/\d+ "
                              r"entries=(\d+)/(\d+)", text, re.M)}
    for cpu in ("cpu0", "cpu1", "cpu2", "cpu3"):
        c = stats.get(cpu)
        if not c:
            problems.append("no stats line for %s" % cpu)
            continue
        causes = sum(c[k] for k in ("hvc", "dabt", "cp", "other", "irq", "async"))
        if c["entries"] != causes:
            problems.append("%s: entries=%d, but its causes add up to %d"
                            % (cpu, c["entries"], causes))
    if problems or len(noise) != len(NOISY_LOADS):
        return problems or ["NOISE-SUM lines: %s" % sorted(noise)]
    victim, noisy = stats["cpu0"], stats["cpu1"]
    calls = len(NOISY_LOADS) * (NOISY_PERIODS + 1)  # TESSERA_FID_CPU_STATS, per load
    if victim["hvc"] < calls:
        problems.append("cpu0: hvc=%d, but the victim made %d stats calls"
                        % (victim["hvc"], calls))
    if victim["injected"] < len(NOISY_LOADS) * NOISY_PERIODS:
        problems.append("cpu0: injected=%d, fewer than the victim's timer interrupts (%d)"
                        % (victim["injected"], len(NOISY_LOADS) * NOISY_PERIODS))
    # Beside an idle neighbour a period is one timer interrupt and one stats call.
    if per_period.get("idle", (0, 0))[0] != 2:
        problems.append("idle: %s entries per period (median), expected 2"
                        % per_period.get("idle", ("none",))[0])
    if noisy["dabt"] < noise["fault_storm"]["load"]:
        problems.append("cpu1: dabt=%d, fewer than the neighbour's %d faults"
                        % (noisy["dabt"], noise["fault_storm"]["load"]))
    if noise["passthrough_flood"]["load"] < 100:
        problems.append("passthrough flood: the neighbour took %d of its device's interrupts"
                        % noise["passthrough_flood"]["load"])
    if victim["kicks"] < noise["doorbell_ring"]["kicks"]:
        problems.append("cpu0: kicks=%d, fewer than the victim counted while rung (%d)"
                        % (victim["kicks"], noise["doorbell_ring"]["kicks"]))
    starts = stats.get("partition 1 (noisy)", {}).get("starts", 0)
    if starts < 2:
        problems.append("partition noisy: starts=%d after its restart loop" % starts)
    return problems + isolation_holds(noise)


def isolation_holds(noise):
    """Issue 14's goal, in counts (deterministic under -icount, not times): beside every
    load the victim's CPU takes the interrupts it took beside an idle neighbour (its own
    timer's) and no IPI, so exactly its hypervisor entries; but for the restart loop, whose
    VMID wraps each cost every CPU a TLB-flush kick (an entry each), and the doorbell ring
    loop's first ring, which makes the victim's disabled doorbell pending (one IPI: the
    victim's CPU records it; every later ring finds it pending and costs nothing), if it
    falls in the window.  Exact,
    because the system is built without QEMU's 1 ms GIC tick (GIC_REPOKE_MS=0, as on a
    GIC-400), whose count in the window moved with the other CPUs' instructions."""
    problems = []
    idle = noise.get("idle")
    if not idle:
        return ["no NOISE-SUM line for the idle reference"]
    for load in NOISY_LOADS[1:]:
        n = noise.get(load)
        if not n:
            problems.append("no NOISE-SUM line for %s" % load)
            continue
        kicks_allowed = 8 if load == "restart_loop" else 0
        first_ring = 1 if load == "doorbell_ring" else 0
        if n["injected"] != idle["injected"] or n["kicks"] > kicks_allowed or \
                not 0 <= n["entries"] - idle["entries"] - n["kicks"] <= first_ring:
            problems.append("victim beside %s: entries=%d kicks=%d injected=%d, against the "
                            "idle reference's entries=%d injected=%d" % (
                                load, n["entries"], n["kicks"], n["injected"],
                                idle["entries"], idle["injected"]))
    return problems


TESTS.append(QemuTest(
    "bench.noisy_counters",
    "issue 14: the noisy-neighbour system runs every load, both partitions switch off, and the "
    "hypervisor then prints its per-CPU, per-partition and machine counters, which add up and "
    "match what the guests did (stats calls, timer interrupts, faults, kicks, restarts); "
    "beside every load the victim's CPU takes no interrupt, kick or entry more than beside an "
    "idle neighbour (the restart loop's VMID-wrap kicks excepted); QEMU ends with the "
    "machine's PSCI SYSTEM_OFF",
    build={"CONFIG": "bench-noisy", "VMID_BITS": "2", "GIC_REPOKE_MS": "0"},  # as make bench
    machine=MACHINE,
    expect=[r"^\[victim\] NOISE %s periods=%d lat=\d+/\d+ entries=\d+/\d+ hyp=\d+/\d+$"
            % (load, NOISY_PERIODS) for load in NOISY_LOADS]
    + [r"^\[victim\] NOISE-DONE %d loads$" % len(NOISY_LOADS),
       r"^\[tessera\] every partition has switched itself off: switching the machine off$"]
    + [r"^\[tessera\] stats cpu%d: entries=\d+ hvc=\d+ dabt=\d+ cp=\d+ other=\d+ irq=\d+ "
       r"async=\d+ kicks=\d+ injected=\d+ hyp_cycles=\d+ idle_ms=\d+ console_bytes=\d+$" % i for i in range(4)]
    + [r"^\[tessera\] stats partition 0 \(victim\): starts=1 faults=\d+ lock_wait_max=\d+ "
       r"vgic_lock_wait_max=\d+ console_dropped=\d+ console_escaped=\d+$",
       r"^\[tessera\] stats partition 1 \(noisy\): starts=\d+ ",
       r"^\[tessera\] stats machine: vmid_lock_wait_max=\d+ console_dropped=\d+ "
       r"hyp_lines_lost=\d+ console_lock_wait_max=\d+$"],
    forbid=[r"NOISE \w+ n/a", r"NOISE-INFO error"],
    done=r"^QEMU never prints this$",  # run until the machine switches itself off
    expect_exit=0,
    check=counters_plausible,
    timeout=120,
))
