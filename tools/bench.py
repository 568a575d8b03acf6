#!/usr/bin/env python3
"""The engine of `make bench`: path lengths of Tessera's hot paths beside bare QEMU and Xen 4.17,
boot lengths, and the hypervisor's footprint.

Every run is QEMU virt (GICv2, virtualization on, Cortex-A15, 1 GiB) with
`-icount shift=0,align=off,sleep=off` and CNTFRQ = 1 GHz: the generic timer then counts one
tick per executed instruction, in every mode and on every CPU, and runs are repeatable bit for
bit.  The figures are path lengths in instructions, not silicon cycles.

    tools/bench.py [--runs N] [--only native,tessera,xen,...] [--no-docs] [--out DIR]

Systems (each run --runs times, default 2; any difference between runs fails the bench):
  native        guests/bench on bare QEMU (-smp 2), entered in Hyp mode: the floor
  tessera       Tessera with configs/qemu-virt/bench.dts (-smp 4)
  xen           Xen 4.17 dom0less, the bench guest as its domU (-smp 1)
  xen-slop0     the same with timer_slop=0 on Xen's command line
  boot-tessera  Tessera's first instruction (a breakpoint: should be 0)
  boot-default  Tessera's default system (two RTOS partitions): boot lengths
  boot-xen      Xen 4.17 to its domU's first instruction (a breakpoint)
  noisy         Tessera with configs/qemu-virt/bench-noisy.dts (VMID_BITS=2, -smp 4): a victim
                partition's timer beside a neighbour running each hostile load in turn, and
                the hypervisor's counters as it prints them when the machine switches off
Boot lengths come from the guests' own CNTVCT records (the guest library's at reset, the RTOS
port's before its first task; CNTVCT = CNTPCT under Tessera), read from their output or their
memory (QMP), or, while only one CPU runs, from a breakpoint (QEMU's gdb stub) and the
instruction count QEMU reports over QMP (query-replay).  Figure runs have no gdb stub.

Writes docs/bench.md and docs/bench.json (unless --no-docs) and prints the table.  Exit
status: 0 done, 1 a run failed or two runs differed, 2 bad usage or missing inputs.
"""
import argparse
import json
import os
import re
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import sloc  # noqa: E402  (tools/sloc.py)

QEMU = "qemu-system-arm"
MACHINE = "virt,virtualization=on,gic-version=2"
CPU = "cortex-a15,cntfrq=1000000000"
MEMORY = "1024"
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
CROSS = os.environ.get("CROSS", "arm-none-eabi-")

BUILD = os.path.join(ROOT, "build")
GUEST_ELF = os.path.join(BUILD, "guests", "bench.elf")
GUEST_BIN = os.path.join(BUILD, "guests", "bench.bin")
RTOS_ELF = os.path.join(BUILD, "guests", "rtos.elf")
INSN_PLUGIN = os.path.join(BUILD, "host", "insn_per_cpu.so")  # tools/insn_per_cpu.c
XEN = os.path.join(BUILD, "debs", "xen-hypervisor-4.17-armhf", "boot", "xen-4.17-armhf")
GUEST_ENTRY = 0x40000000  # every guest's first instruction (QEMU virt RAM, Xen's domU RAM)
XEN_MODULE = 0x50000000  # where QEMU's loader puts the domU image for Xen
XEN_BOOTARGS = "console=dtuart dtuart=/pl011@9000000 bootscrub=0"
XEN_DOMU_KIB = 65536  # 64 MiB: Xen puts the domU's device tree near its top, above the guest
ZIMAGE_MAGIC = 0x016f2818


def tessera_out(config):
    return os.path.join(BUILD, "qemu-virt", config)


def tessera_boot(variant):
    """-kernel tessera.elf of a build, and QEMU's generic loader placing its guest images in
    the image store where tcfg put them (gen/images.txt: address, size, SHA-256, file)."""
    out = tessera_out(variant)
    args = ["-kernel", os.path.join(out, "tessera.elf")]
    with open(os.path.join(out, "gen", "images.txt")) as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                addr, _size, _sha, path = line.rstrip("\n").split(" ", 3)
                args += ["-device", "loader,file=%s,addr=%s,force-raw=on" % (path, addr)]
    return args


NOISY_CONFIG = "bench-noisy"
NOISY_PERIODS, NOISY_PERIOD = 200, 50000  # guests/bench/noisy.c: PERIODS, PERIOD
NOISY_VARIANT = "bench-noisy-vmid2"  # tools/bench.mk builds it with VMID_BITS=2

# The neighbour's loads, in the order the victim runs them (guests/bench/noisy.c).
NOISY_LOADS = [
    ("idle", "idle (waits for its doorbell)"),
    ("fault_storm", "fault storm (stage-2 faults, policy inject)"),
    ("cpu_on_off", "CPU_ON / CPU_OFF loop (its second vCPU)"),
    ("console_flood", "console flood (127-byte lines, TESSERA_CONSOLE_WRITE)"),
    ("doorbell_ring", "doorbell ring loop (to the victim, which keeps it disabled)"),
    ("sgi_storm", "SGI storm (to its own second vCPU)"),
    ("passthrough_flood", "passthrough-IRQ flood (its PL031's alarm, raised again at once)"),
    ("restart_loop", "restart loop (PSCI SYSTEM_RESET; VMID_BITS=2)"),
]


# name, what it measures, Tessera's target (at most: issue 16's), Xen 4.17 and native floor
# quoted by issue 8 for reference (None where it quoted none).
FIGURES = [
    ("hypercall", "null hypercall round trip", 28, 487, 8),
    ("gicd_typer", "trapped distributor register read (GICD_TYPER)", 90, 768, 4),
    ("gicd_isenabler0", "trapped distributor register read (GICD_ISENABLER0)", 90, None, None),
    ("gicd_ipriorityr", "trapped distributor register read (GICD_IPRIORITYR, INTIDs 24-27)", 90,
     None, None),
    ("gicd_itargetsr", "trapped distributor register read (GICD_ITARGETSR, INTIDs 32-35)", 90,
     None, None),
    ("gicd_icfgr", "trapped distributor register read (GICD_ICFGR, INTIDs 32-47)", 90, None,
     None),
    ("gicd_isenabler_w", "trapped distributor write: GICD_ISENABLER0 (PPI 30)", 110, None, None),
    ("gicd_icenabler_w", "trapped distributor write: GICD_ICENABLER0 (PPI 30)", 110, None, None),
    ("gicd_ipriorityr_b", "trapped distributor write: GICD_IPRIORITYR byte (PPI 30)", 110, None,
     None),
    ("gicd_itargetsr_b", "trapped distributor write: GICD_ITARGETSR byte (the UART's SPI)", 110,
     None, None),
    ("gicd_ispendr_w", "trapped distributor write: GICD_ISPENDR0 (PPI 30, disabled)", 110, None,
     None),
    ("gicd_isenabler_spi_w", "trapped distributor write: GICD_ISENABLER1 (the UART's SPI)", 110,
     None, None),
    ("gicd_icenabler_spi_w", "trapped distributor write: GICD_ICENABLER1 (the UART's SPI)", 110,
     None, None),
    ("gicd_ispendr1", "trapped distributor register read (GICD_ISPENDR1: the general path)",
     None, None, None),
    ("uart_fr", "emulated UART register read (PL011 FR)", 90, 748, 4),
    ("cp15_actlr", "trapped CP15 read (ACTLR)", 45, 548, 4),
    ("vtimer_spin", "virtual timer deadline to guest vector, spinning", 100, 1217, 4),
    ("vtimer_wfi", "same, guest in WFI", 110, 45173, 5),
    ("ptimer_spin", "physical timer (CNTP, PPI 30) deadline to guest vector, spinning", 110,
     None, None),
    ("spi_passthrough", "passthrough SPI (PL031 alarm) raised to guest vector", 130, None, None),
    ("sgi", "SGI to another CPU of the partition, send to vector", 250, None, None),
    ("doorbell", "inter-partition doorbell, ring to the peer's vector", 250, None, None),
    ("smccc_version", "SMCCC_VERSION through HVC #0", None, None, None),
    ("overhead", "the measurement itself (ISB, counter read)", None, None, None),
]
BOOT_TARGET = 2000000  # issue 16: default system, reset to each partition's first instruction
XEN_DEB_GLOB = os.path.join(BUILD, "debs", "xen-hypervisor-4.17-armhf_*_armhf.deb")
FOOTPRINT_TARGETS = {"text_kib": 24, "sloc": 5000}


def xen_version():
    """The exact version of the Xen package measured (its .deb under build/debs)."""
    import glob
    debs = sorted(glob.glob(XEN_DEB_GLOB))
    if not debs:
        return "unknown (no .deb under build/debs)"
    out = subprocess.run(["dpkg-deb", "-f", debs[-1], "Version"], capture_output=True,
                         text=True)
    return "%s (%s)" % (out.stdout.strip() or "unknown", os.path.basename(debs[-1]))


class BenchError(Exception):
    pass


# ---- QEMU, its gdb stub and QMP ------------------------------------------------------------

class Console:
    """Collects a process's output in a thread; waits for a pattern."""

    def __init__(self, stream):
        self.stream = stream
        self.chunks = []
        self.cond = threading.Condition()
        self.closed = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while True:
            data = os.read(self.stream.fileno(), 65536)
            with self.cond:
                if not data:
                    self.closed = True
                    self.cond.notify_all()
                    return
                self.chunks.append(data)
                self.cond.notify_all()

    def text(self):
        with self.cond:
            return b"".join(self.chunks).decode("utf-8", "replace").replace("\r", "")

    def wait_for(self, pattern, deadline):
        regex = re.compile(pattern, re.M)
        while True:
            if regex.search(self.text()):
                return True
            with self.cond:
                if self.closed:
                    return bool(regex.search(self.text()))
                left = deadline - time.time()
                if left <= 0:
                    return False
                self.cond.wait(min(left, 0.5))


def connect_unix(path, deadline):
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except OSError:
            s.close()
            if time.time() > deadline:
                raise BenchError("could not connect to %s" % path)
            time.sleep(0.05)


class Qmp:
    """QEMU's machine protocol, for one command: query-replay (the instruction count)."""

    def __init__(self, path, deadline):
        self.sock = connect_unix(path, deadline)
        self.file = self.sock.makefile("rwb")
        self._read()  # greeting
        self._command("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise BenchError("QMP connection closed")
        return json.loads(line)

    def _command(self, name):
        self.file.write(json.dumps({"execute": name}).encode() + b"\n")
        self.file.flush()
        while True:
            msg = self._read()
            if "return" in msg:
                return msg["return"]
            if "error" in msg:
                raise BenchError("QMP %s: %s" % (name, msg["error"]))

    def icount(self):
        return int(self._command("query-replay")["icount"])

    def read64(self, address):
        """The little-endian 64-bit word at a physical address (HMP xp)."""
        self.file.write(json.dumps({"execute": "human-monitor-command", "arguments": {
            "command-line": "xp /2wx 0x%x" % address}}).encode() + b"\n")
        self.file.flush()
        while True:
            msg = self._read()
            if "return" in msg:
                words = re.findall(r"0x([0-9a-f]{8})", msg["return"].split(":", 1)[1])
                return int(words[0], 16) | int(words[1], 16) << 32
            if "error" in msg:
                raise BenchError("QMP xp: %s" % msg["error"])

    def close(self):
        self.sock.close()


class Gdb:
    """A minimal client of QEMU's gdb stub (GDB remote serial protocol)."""

    def __init__(self, path, deadline):
        self.sock = connect_unix(path, deadline)
        self.buf = b""

    def _send(self, payload):
        data = payload.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xff))

    def _packet(self, deadline):
        while True:
            m = re.search(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buf)
            if m:
                self.buf = self.buf[m.end():]
                self.sock.sendall(b"+")
                return m.group(1).decode()
            left = deadline - time.time()
            if left <= 0:
                raise BenchError("gdb stub: no answer")
            self.sock.settimeout(min(left, 1.0))
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            if not data:
                raise BenchError("gdb stub: connection closed")
            self.buf += data

    def command(self, payload, deadline):
        self._send(payload)
        return self._packet(deadline)

    def close(self):
        self.sock.close()


def stop_cpu(reply):
    """The CPU index in a stop reply (T05thread:01; or T05thread:p1.02;)."""
    m = re.search(r"thread:(?:p[0-9a-f]+\.)?([0-9a-f]+);", reply)
    return int(m.group(1), 16) - 1 if m else 0


def qemu_command(smp, args, gdb=None, qmp=None, machine=MACHINE, memory=MEMORY):
    cmd = [QEMU, "-nographic", "-nic", "none", "-M", machine, "-cpu", CPU, "-smp", str(smp),
           "-m", memory] + ICOUNT
    if gdb:
        cmd += ["-S", "-gdb", "unix:%s,server=on,wait=off" % gdb]
    if qmp:
        cmd += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    return cmd + args


def run_qemu(smp, args, done, timeout, breakpoints=(), memory=(), log=None, machine=MACHINE,
             ram=MEMORY):
    """Run QEMU until every pattern in `done` appeared on the console; with breakpoints, first
    until each was hit as often as asked; then read the 64-bit words at the physical addresses
    in `memory`.  breakpoints: [(label, address, hits)], memory: [(label, address)].  Returns
    (console text, [(label, cpu, icount)], {label: value})."""
    tmp = tempfile.mkdtemp(prefix="bench-", dir="/tmp")
    gdb_path = os.path.join(tmp, "gdb") if breakpoints else None
    qmp_path = os.path.join(tmp, "qmp") if breakpoints or memory else None
    cmd = qemu_command(smp, args, gdb_path, qmp_path, machine, ram)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    console = Console(proc.stdout)
    deadline = time.time() + timeout
    hits, values = [], {}
    try:
        qmp = Qmp(qmp_path, deadline) if qmp_path else None
        if breakpoints:
            hits = _collect_hits(gdb_path, qmp, breakpoints, deadline)
        for pattern in done:
            if not console.wait_for(pattern, deadline):
                raise BenchError("no /%s/ within %d s" % (pattern, timeout))
        for label, address in memory:
            values[label] = qmp.read64(address)
            while not values[label] and time.time() < deadline:  # not written yet
                time.sleep(0.1)
                values[label] = qmp.read64(address)
    finally:
        proc.kill()
        proc.wait()
        console.thread.join(5)
        if log:
            os.makedirs(os.path.dirname(log), exist_ok=True)
            with open(log, "w") as f:
                f.write("$ " + " ".join(cmd) + "\n" + console.text())
        for name in ("gdb", "qmp"):
            try:
                os.unlink(os.path.join(tmp, name))
            except OSError:
                pass
        os.rmdir(tmp)
    return console.text(), hits, values


def _collect_hits(gdb_path, qmp, breakpoints, deadline):
    """Breakpoints through the gdb stub; the instruction count from QMP at each hit.  Exact
    only while one CPU runs: QEMU stops the others a little after the one that hit."""
    gdb = Gdb(gdb_path, deadline)
    hits = []
    try:
        gdb.command("Qqemu.sstep=1", deadline)  # a step over a breakpoint is a plain step
        wanted = {}
        for label, address, count in breakpoints:
            wanted[address] = [label, count]
            if gdb.command("Z0,%x,4" % address, deadline) != "OK":
                raise BenchError("gdb stub refused a breakpoint at 0x%x" % address)
        while any(c for _, c in wanted.values()):
            reply = gdb.command("c", deadline)
            if not reply.startswith("T"):
                raise BenchError("gdb stub: unexpected stop %r" % reply)
            cpu = stop_cpu(reply)
            regs = gdb.command("g", deadline)  # r0-r15 first, 8 hex digits each (little-endian)
            pc = struct.unpack("<I", bytes.fromhex(regs[15 * 8:16 * 8]))[0]
            if pc not in wanted:
                raise BenchError("stopped at 0x%08x, not a breakpoint" % pc)
            hits.append((wanted[pc][0], cpu, qmp.icount()))
            wanted[pc][1] -= 1
            gdb.command("z0,%x,4" % pc, deadline)
            if wanted[pc][1] > 0:
                gdb.command("s", deadline)  # step over it, then set it again
                gdb.command("Z0,%x,4" % pc, deadline)
        gdb._send("D")  # detach: QEMU runs on
    finally:
        gdb.close()
    return hits


# ---- the systems -----------------------------------------------------------------------------

def parse_figures(text):
    figures = {}
    for m in re.finditer(r"BENCH (\w+) min=(\d+) median=(\d+) max=(\d+) iterations=(\d+)", text):
        figures[m.group(1)] = {k: int(m.group(i)) for i, k in
                               enumerate(["min", "median", "max", "iterations"], 2)}
    for m in re.finditer(r"BENCH (\w+) n/a reason=(\S+)", text):
        figures[m.group(1)] = {"na": m.group(2)}
    return figures


def symbol(elf, name):
    out = subprocess.run([CROSS + "nm", elf], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^([0-9a-f]+) \w %s$" % re.escape(name), out, re.M)
    if not m:
        raise BenchError("%s: no symbol %s" % (elf, name))
    return int(m.group(1), 16)


def elf_entry(elf):
    out = subprocess.run([CROSS + "readelf", "-h", elf], capture_output=True, text=True,
                         check=True).stdout
    return int(re.search(r"Entry point address:\s+0x([0-9a-f]+)", out).group(1), 16)


def partitions(config):
    """[(label, boot CPU, PA of memory@0)] of configs/qemu-virt/<config>.dts, in order."""
    text = open(os.path.join(ROOT, "configs", "qemu-virt", config + ".dts")).read()
    out = []
    for block in re.split(r"\bpartition@", text)[1:]:
        label = re.search(r'label\s*=\s*"([^"]+)"', block).group(1)
        cpu = int(re.search(r"cpus\s*=\s*<\s*(\d+)", block).group(1))
        pa = int(re.search(r"memory@0\s*{[^}]*?\bpa\s*=\s*<\s*(0x[0-9a-fA-F]+)", block).group(1),
                 16)
        out.append((label, cpu, pa))
    return out


def xen_inputs(work, slop0):
    """Xen's device tree (QEMU's own plus the dom0less /chosen) and the padded domU image."""
    os.makedirs(work, exist_ok=True)
    image = open(GUEST_BIN, "rb").read()
    magic, start, end = struct.unpack_from("<III", image, 0x24)
    if magic != ZIMAGE_MAGIC or end <= start or end - start < len(image):
        raise BenchError("%s has no valid zImage header at 0x24" % GUEST_BIN)
    module = os.path.join(work, "bench-domu.bin")
    with open(module, "wb") as f:  # the header's end covers .bss: Xen copies exactly that
        f.write(image + b"\0" * (end - start - len(image)))
    dtb = os.path.join(work, "xen%s.dtb" % ("-slop0" if slop0 else ""))
    subprocess.run([QEMU, "-M", MACHINE + ",dumpdtb=" + dtb, "-cpu", CPU, "-smp", "1", "-m",
                    MEMORY, "-nographic", "-nic", "none"], check=True, capture_output=True)
    props = subprocess.run(["fdtget", "-p", dtb, "/chosen"], capture_output=True,
                           text=True).stdout.split()
    bootargs = XEN_BOOTARGS + (" timer_slop=0" if slop0 else "")
    domu = "/chosen/domU1"
    mod = domu + "/module@%x" % XEN_MODULE
    steps = [(["-d"], ["/chosen", p]) for p in ("rng-seed", "kaslr-seed") if p in props]
    steps += [
        (["-t", "s"], ["/chosen", "xen,xen-bootargs", bootargs]),
        (["-t", "i"], ["/chosen", "#address-cells", "1"]),
        (["-t", "i"], ["/chosen", "#size-cells", "1"]),
        (["-c"], [domu]),
        (["-t", "s"], [domu, "compatible", "xen,domain"]),
        (["-t", "i"], [domu, "#address-cells", "1"]),
        (["-t", "i"], [domu, "#size-cells", "1"]),
        (["-t", "i"], [domu, "memory", "0", str(XEN_DOMU_KIB)]),
        (["-t", "i"], [domu, "cpus", "1"]),
        (["-t", "s"], [domu, "vpl011", ""]),
        (["-c"], [mod]),
        (["-t", "s"], [mod, "compatible", "multiboot,kernel", "multiboot,module"]),
        (["-t", "i"], [mod, "reg", str(XEN_MODULE), str(end - start)]),
    ]
    for opts, rest in steps:
        subprocess.run(["fdtput"] + opts + [dtb] + rest, check=True)
    return dtb, module


class Spec:
    """One system to run: QEMU's CPUs and arguments (None: Xen's, made per run), the console
    patterns that end the run, breakpoints and memory words to read (see run_qemu)."""

    def __init__(self, desc, smp, args, done, timeout, breakpoints=(), memory=(),
                 machine=MACHINE, ram=MEMORY):
        self.desc, self.smp, self.args, self.done = desc, smp, args, done
        self.timeout, self.breakpoints, self.memory = timeout, breakpoints, memory
        self.machine, self.ram = machine, ram


def guest_word(elf, name, partition_pa):
    """The physical address of a guest symbol in a partition whose RAM starts at IPA
    GUEST_ENTRY (0x40000000)."""
    return partition_pa + symbol(elf, name) - GUEST_ENTRY


def system_runs():
    tessera_default = os.path.join(tessera_out("default"), "tessera.elf")
    done = [r"BENCH-DONE \d+ figures\n"]  # the whole line
    runs = {
        "native": Spec("bench guest on bare QEMU, entered in Hyp mode", 2,
                       ["-kernel", GUEST_ELF], done, 120),
        "tessera": Spec("bench guest in Tessera (configs/qemu-virt/bench.dts)", 4,
                        tessera_boot("bench"), done, 600),
        # The doorbell alone, into a peer of two vCPUs (bench.dts but the peer's CPUs).
        "tessera-smp-peer": Spec("bench guest in Tessera, a peer of two vCPUs "
                                 "(configs/qemu-virt/bench-smp-peer.dts)", 4,
                                 tessera_boot("bench-smp-peer"), done, 300),
        "xen": Spec("bench guest as a Xen 4.17 dom0less domU", 1, None, done, 900),
        "xen-slop0": Spec("bench guest as a Xen 4.17 dom0less domU, timer_slop=0", 1, None,
                          done, 900),
    }
    # Tessera's first instruction: a breakpoint is exact while one CPU runs (the others are
    # still off at reset).
    runs["boot-tessera"] = Spec("Tessera, to its first instruction", 4,
                                tessera_boot("default"), [], 120,
                                breakpoints=[("tessera", elf_entry(tessera_default), 1)])
    # The default system: the library's and the RTOS port's own CNTVCT records, read from the
    # partitions' memory once both run their tasks.
    memory = []
    for label, _, pa in partitions("default"):
        memory += [("%s:entry" % label, guest_word(RTOS_ELF, "guest_boot_count_value", pa)),
                   ("%s:first-task" % label, guest_word(RTOS_ELF, "port_first_task_count", pa))]
    # Done once a task of each partition printed (lines not from the RTOS's main()).
    # With the per-CPU counting plugin (tools/insn_per_cpu.c): what each CPU executed by the
    # time it took its partition's first start (partition_boot), had hashed its share of the
    # images' chunks (images_checked's first call), began loading (partition_start), and
    # entered the guest.
    watch = [GUEST_ENTRY, symbol(tessera_default, "partition_boot"),
             symbol(tessera_default, "images_checked"),
             symbol(tessera_default, "partition_start")]
    plugin = ["-d", "plugin", "-plugin",
              INSN_PLUGIN + "".join(",watch=0x%x" % a for a in watch)]
    runs["boot-default"] = Spec(
        "Tessera's default system, to each partition's first instruction and first RTOS task",
        4, plugin + tessera_boot("default"),
        [r"^\[%s\] (?!rtos:)\w+: " % label for label, _, _ in partitions("default")], 300,
        memory=memory)
    # Xen boots one CPU: exact.  Xen's zImage is started by QEMU's Linux loader, whose stub sits
    # at 0x40000000 too: the first hit there is QEMU's stub, the second the domU's first
    # instruction.
    runs["boot-xen"] = Spec("Xen 4.17, to the domU's first instruction", 1, None, [], 900,
                            breakpoints=[("entry", GUEST_ENTRY, 2)])
    # Linux's boot (issue 15): one CPU each side (configs/qemu-virt/bench-linux.dts says why),
    # counted by the plugin from Linux's first instruction to /bin/bootmark's.
    # No virtio disk: its I/O completes at host-dependent virtual times (a few tens of
    # thousands of instructions run to run); the transport is probed and found empty, alike.
    # The PL031 counts from a fixed date in virtual time: the host's date changed Linux's path.
    disk = ["-rtc", "base=2026-01-01T00:00:00,clock=vm"]
    linux_plugin = ["-d", "plugin", "-plugin", INSN_PLUGIN + ",watch=0x%x,watch=0x%x"]
    runs["linux-bare"] = Spec(
        "Linux on bare QEMU (-smp 1, 256 MiB, the partition's device tree)", 1,
        [a if i < 3 else a % (LINUX_BARE_ENTRY, BOOTMARK) for i, a in enumerate(linux_plugin)]
        + ["-dtb", LINUX_DTB, "-kernel", LINUX_ZIMAGE, "-initrd", LINUX_INITRD,
           "-append", LINUX_BOOTARGS] + disk,
        [r"^BOOT-MARK: user space"], 900, machine="virt,gic-version=2", ram="256")
    if os.path.exists(os.path.join(tessera_out(LINUX_CONFIG), "gen", "config.c")):
        runs["linux-tessera"] = Spec(
            "Linux in a Tessera partition (configs/qemu-virt/%s.dts)" % LINUX_CONFIG, 4,
            [a if i < 3 else a % (linux_entry(), BOOTMARK) for i, a in enumerate(linux_plugin)]
            + tessera_boot(LINUX_CONFIG) + disk, [r"^\[linux\] BOOT-MARK: user space"], 900)
    runs["noisy"] = Spec("victim beside a noisy neighbour (configs/qemu-virt/%s.dts)"
                         % NOISY_CONFIG, 4,
                         tessera_boot(NOISY_VARIANT),
                         [r"NOISE-DONE \d+ loads\n", r"stats machine: .*\n"], 300)
    return runs


LINUX_CONFIG = "bench-linux"
LINUX_OUT = os.path.join(BUILD, "guests", "linux")
LINUX_ZIMAGE = os.path.join(LINUX_OUT, "zImage")
LINUX_INITRD = os.path.join(LINUX_OUT, "initramfs.cpio.gz")
LINUX_DTB = os.path.join(BUILD, "bench", "linux-partition.dtb")  # written by linux_dtb()
LINUX_BOOTARGS = "console=ttyAMA0"  # configs/qemu-virt/bench-linux.dts
LINUX_BARE_ENTRY = 0x40010000  # QEMU's loader: RAM + 64 KiB, after its 4-instruction stub
BOOTMARK = 0x20000000  # /bin/bootmark's first instruction (guests/linux/bootmark.S)
LINUX_GOAL = 1.1  # issue 15: Linux's boot under Tessera within 1.1x of bare


def linux_entry():
    """Linux's entry in its partition (tcfg's generated tables: partition 0's .entry)."""
    text = open(os.path.join(tessera_out(LINUX_CONFIG), "gen", "config.c")).read()
    return int(re.search(r"\.entry = (0x[0-9a-fA-F]+)ULL", text).group(1), 16)


def linux_dtb():
    """The device tree tcfg made for the Linux partition, for the bare run: the same machine
    description (QEMU rewrites its memory node to its own RAM and /chosen's initrd)."""
    text = open(os.path.join(tessera_out(LINUX_CONFIG), "gen", "config.c")).read()
    m = re.search(r"const u8 p0_dtb\[(\d+)\] = \{(.*?)\};", text, re.S)
    blob = bytes(int(x, 16) for x in re.findall(r"0x([0-9a-fA-F]{2})", m.group(2)))
    if len(blob) != int(m.group(1)):
        raise BenchError("could not read the Linux partition's device tree from config.c")
    os.makedirs(os.path.dirname(LINUX_DTB), exist_ok=True)
    with open(LINUX_DTB, "wb") as f:
        f.write(blob)


def linux_rows(results):
    """[(what, bare, Tessera, ratio, status)] of Linux's boot, entry to user space."""
    def window(name, entry):
        r = results.get(name)
        if not r:
            return None
        hits = {(a, cpu): (own, cpus) for a, cpu, own, cpus in r["watch"]}
        if (entry, 0) not in hits or (BOOTMARK, 0) not in hits:
            return None
        (e, ecpus), (m, mcpus) = hits[(entry, 0)], hits[(BOOTMARK, 0)]
        return m - e, [b - a for a, b in zip(ecpus, mcpus)]
    bare = window("linux-bare", LINUX_BARE_ENTRY)
    tess = window("linux-tessera", linux_entry()) if "linux-tessera" in results else None
    if not bare or not tess:
        return []
    ratio = tess[0] / bare[0]
    rows = [["Linux's CPU, its first instruction to user space (/bin/bootmark)", str(bare[0]),
             str(tess[0]), "%.4f" % ratio, "<= %.1fx: %s" % (
                 LINUX_GOAL, "met" if ratio <= LINUX_GOAL else "missed")],
            ["the same window, every CPU (QEMU's -icount clock, less WFI skips)",
             str(sum(bare[1])), str(sum(tess[1])), "%.4f" % (sum(tess[1]) / sum(bare[1])), ""],
            ["of which the RTOS neighbour's CPU (cpu2), left out of the first row", "",
             str(tess[1][2]), "", ""]]
    return rows


LINUX_HEADER = ["Linux boot (instructions)", "bare QEMU", "Tessera", "Tessera / bare",
                "goal (issue 15)"]


def xen_args(work, slop0):
    dtb, module = xen_inputs(work, slop0)
    return ["-dtb", dtb, "-kernel", XEN, "-device",
            "loader,file=%s,addr=0x%x,force-raw=on" % (module, XEN_MODULE)]


def parse_entries(text):
    """{partition or "guest": instructions before its first instruction} from BENCH-INFO."""
    return {m.group(1) or "guest": int(m.group(2)) for m in
            re.finditer(r"^(?:\[(\w+)\] |\(XEN\) DOM\d+: )?BENCH-INFO role=\S+ entry=(\d+)",
                         text, re.M)}


def parse_noise(text):
    """{load: figures} from the victim's NOISE and NOISE-SUM lines (guests/bench/noisy.c)."""
    out = {}
    for m in re.finditer(r"NOISE (\w+) periods=(\d+) lat=(\d+)/(\d+) entries=(\d+)/(\d+) "
                         r"hyp=(\d+)/(\d+)", text):
        out[m.group(1)] = dict(zip(["periods", "lat_median", "lat_max", "entries_median",
                                    "entries_max", "hyp_median", "hyp_max"],
                                   map(int, m.groups()[1:])))
    for m in re.finditer(r"NOISE-SUM (\w+) entries=(\d+) hyp=(\d+) kicks=(\d+) "
                         r"injected=(\d+) load=(\d+)", text):
        out.setdefault(m.group(1), {}).update(zip(["entries", "hyp", "kicks", "injected", "load"],
                                                  map(int, m.groups()[1:])))
    for m in re.finditer(r"NOISE (\w+) n/a reason=(\S+)", text):
        out[m.group(1)] = {"na": m.group(2)}
    return out


def parse_watch(text):
    """[(address, cpu, own count, every CPU's count)] from tools/insn_per_cpu.c's lines."""
    return [(int(m.group(1), 16), int(m.group(2)), int(m.group(3)),
             [int(x) for x in m.group(4).split(",")])
            for m in re.finditer(r"INSN-WATCH addr=0x([0-9a-f]+) cpu=(\d+) own=(\d+) all=\d+ "
                                 r"cpus=([\d,]+)", text)]


def parse_stats(text):
    """The hypervisor's counters as it printed them at power-off (hyp/core/stats.c)."""
    out = {}
    for m in re.finditer(r"stats (cpu\d+|partition \d+ \(\w+\)|machine): (.*)", text):
        out[m.group(1)] = {k: int(v) for k, v in re.findall(r"(\w+)=(\d+)", m.group(2))}
    return out


def run_system(name, spec, work, index):
    args = spec.args
    if args is None:
        args = xen_args(os.path.join(work, "%s-%d" % (name, index)), name == "xen-slop0")
    log = os.path.join(work, "%s.run%d.log" % (name, index))
    start = time.time()
    text, hits, values = run_qemu(spec.smp, args, spec.done, spec.timeout, spec.breakpoints,
                                  spec.memory, log, spec.machine, spec.ram)
    result = {"figures": parse_figures(text), "hits": hits, "memory": values,
              "entries": parse_entries(text), "noise": parse_noise(text),
              "stats": parse_stats(text), "watch": parse_watch(text),
              "seconds": time.time() - start}
    if name == "noisy" and len(result["noise"]) != len(NOISY_LOADS):
        raise BenchError("%s: incomplete output (log: %s)" % (name, os.path.relpath(log)))
    if any("BENCH-DONE" in p for p in spec.done):
        m = re.search(r"BENCH-DONE (\d+) figures", text)
        if not m or int(m.group(1)) != len(result["figures"]):
            raise BenchError("%s: incomplete output (log: %s)" % (name, os.path.relpath(log)))
        if "env=unknown" in text or "PANIC" in text:
            raise BenchError("%s: the guest failed (log: %s)" % (name, os.path.relpath(log)))
    return result


# ---- static facts ----------------------------------------------------------------------------

def sections(elf):
    out = subprocess.run([CROSS + "size", "-A", elf], capture_output=True, text=True,
                         check=True).stdout
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r"^(\.\S+)\s+(\d+)\s+\d+", out, re.M)}


def symbols(elf):
    out = subprocess.run([CROSS + "nm", "-S", elf], capture_output=True, text=True,
                         check=True).stdout
    syms = []
    for m in re.finditer(r"^([0-9a-f]+) ([0-9a-f]+) (\w) (\S+)$", out, re.M):
        syms.append((m.group(4), int(m.group(1), 16), int(m.group(2), 16), m.group(3)))
    return syms


def text_by_folder(elf, start, end):
    """Code bytes in [start, end) by the folder of the source each function comes from
    (hyp/ by its subfolder), from the ELF's line information; assembly without it is
    "asm", functions from headers count with the header's folder, the rest as "other"."""
    out = subprocess.run([CROSS + "nm", "-S", "-l", elf], capture_output=True, text=True,
                         check=True).stdout
    folders = {}
    for m in re.finditer(r"^([0-9a-f]+) ([0-9a-f]+) [tT] \S+(?:\t(\S+):\d+)?$", out, re.M):
        if not start <= int(m.group(1), 16) < end:
            continue
        path = os.path.relpath(m.group(3), ROOT) if m.group(3) else "asm"
        parts = path.split(os.sep)
        folder = ("/".join(parts[:2]) if parts[0] == "hyp" else parts[0]) \
            if len(parts) > 1 and not path.startswith("..") else \
            ("asm" if path == "asm" else "other")
        folders[folder] = folders.get(folder, 0) + int(m.group(2), 16)
    return folders


def s2_tables(config):
    """{partition: stage-2 tables} from tcfg's generated config.c."""
    text = open(os.path.join(tessera_out(config), "gen", "config.c")).read()
    return {m.group(1): int(m.group(2)) for m in
            re.finditer(r'\.name = "([^"]+)",(?:(?!\.name =).)*?\.s2_table_count = (\d+)',
                        text, re.S)}


def footprint(config):
    elf = os.path.join(tessera_out(config), "tessera.elf")
    sec = sections(elf)
    syms = symbols(elf)
    text_start = symbol(elf, "__text_start")
    code_end = max(a + s for _, a, s, t in syms if t in "tT" and
                   text_start <= a < text_start + sec[".text"])
    # The guest images are outside the hypervisor, in the image store tcfg laid out.
    with open(os.path.join(tessera_out(config), "gen", "images.txt")) as f:
        store = re.search(r"^# store 0x[0-9a-f]+ 0x([0-9a-f]+)$", f.read(), re.M)
    images = int(store.group(1), 16) if store else 0
    berkeley = subprocess.run([CROSS + "size", elf], capture_output=True, text=True,
                              check=True).stdout.splitlines()[1].split()
    bss_big = sorted(((n, s) for n, _, s, t in syms if t in "bB" and s >= 4096),
                     key=lambda x: -x[1])
    tables = s2_tables(config)
    page = 4096
    return {
        "config": config,
        "size_berkeley": {"text": int(berkeley[0]), "data": int(berkeley[1]),
                          "bss": int(berkeley[2])},
        "text_section": sec[".text"],
        "text_code": code_end - text_start,
        "text_by_folder": text_by_folder(elf, text_start, code_end),
        "rodata": sec.get(".rodata", 0),
        "image_store": images,
        "data": sec.get(".data", 0),
        "bss": sec.get(".bss", 0),
        "bss_largest": dict(bss_big),
        "static_memory": sec.get(".data", 0) + sec.get(".bss", 0),
        "s2_tables": tables,
        "s2_bytes": {p: n * page for p, n in tables.items()},
        "s2_pool_bytes": sum(tables.values()) * page,
    }


def source_lines():
    counts = sloc.count([os.path.join(ROOT, d) for d in sloc.HYPERVISOR_DIRS])
    folders, total = sloc.by_folder(counts, ROOT)
    return {"folders": folders, "total": total, "files": len(counts)}


# ---- report ----------------------------------------------------------------------------------

def median(results, system, name):
    f = results.get(system, {}).get("figures", {}).get(name)
    return f.get("median") if f and "median" in f else None


def fmt(v):
    return "n/a" if v is None else str(v)


def boot_lengths(results):
    """[(what, instructions executed before it since QEMU's reset)]."""
    out = []
    if "boot-tessera" in results:
        for _, _, count in results["boot-tessera"]["hits"]:
            out.append(("Tessera's first instruction", count))
    if "tessera" in results:
        cpus = dict((p, cpu) for p, cpu, _ in partitions("bench"))
        for p, count in sorted(results["tessera"]["entries"].items(), key=lambda x: x[1]):
            out.append(("bench system: partition %s's first instruction (cpu%d)" %
                        (p, cpus.get(p, -1)), count))
    if "boot-default" in results:
        mem = results["boot-default"]["memory"]
        for p, cpu, _ in partitions("default"):
            # Each count a read returns includes the reading instruction: the library's read
            # is the image's second instruction; the RTOS port's comes 5 before the first task.
            if "%s:entry" % p in mem:
                out.append(("default system: partition %s's first instruction (cpu%d); target "
                            "<= %d: %s" % (p, cpu, BOOT_TARGET,
                                           status(mem["%s:entry" % p] - 2, BOOT_TARGET)),
                            mem["%s:entry" % p] - 2))
            if "%s:first-task" % p in mem:
                out.append(("default system: partition %s's first RTOS task (cpu%d)" %
                            (p, cpu), mem["%s:first-task" % p] + 5))
    if "native" in results and "guest" in results["native"]["entries"]:
        out.append(("bare QEMU: the bench guest's first instruction",
                    results["native"]["entries"]["guest"]))
    if "boot-xen" in results:
        hits = results["boot-xen"]["hits"]
        if len(hits) == 2:
            out.append(("Xen 4.17: the domU's first instruction (QEMU's loader stub at %d)"
                        % hits[0][2], hits[1][2]))
    return out


def partition_images(config):
    """{label: set of image files} of configs/qemu-virt/<config>.dts."""
    text = open(os.path.join(ROOT, "configs", "qemu-virt", config + ".dts")).read()
    return {re.search(r'label\s*=\s*"([^"]+)"', b).group(1): set(re.findall(r'\bimage\s*=\s*"([^"]+)"', b))
            for b in re.split(r"\bpartition@", text)[1:]}


def boot_per_cpu(results):
    """The default system per CPU (tools/insn_per_cpu.c): [(partition, cpu, own instructions
    at partition_boot, when its share of the images' chunks was hashed, at partition_start, at
    its first instruction, board estimate)].

    The board estimate runs each CPU's own counts on one time line, as CPUs that run at once
    would: CPU 0 hands every other partition its first start just before its own
    (partition_boot); each CPU hashes its share of the chunks of the image files its partition
    loads; a partition starts loading once every partition that shares a file with it has
    hashed its share (its partition_start no earlier than the latest of them, plus its own
    instructions from its share to partition_start); each CPU's own work follows."""
    r = results.get("boot-default")
    if not r or not r.get("watch"):
        return []
    elf = os.path.join(tessera_out("default"), "tessera.elf")
    at = {"boot": symbol(elf, "partition_boot"), "hashed": symbol(elf, "images_checked"),
          "start": symbol(elf, "partition_start"), "entry": GUEST_ENTRY}
    own = {(a, cpu): n for a, cpu, n, _ in r["watch"]}
    images = partition_images("default")
    handoff = own.get((at["boot"], 0))
    counts, hashed = {}, {}
    for label, cpu, _ in partitions("default"):
        n = {k: own.get((a, cpu)) for k, a in at.items()}
        if None in n.values() or handoff is None:
            continue
        counts[label] = (cpu, n)
        hashed[label] = (n["hashed"] if cpu == 0 else handoff + n["hashed"] - n["boot"])
    rows = []
    for label, (cpu, n) in counts.items():
        start = max(t for other, t in hashed.items()
                    if other == label or images[other] & images[label])
        start += n["start"] - n["hashed"]
        rows.append((label, cpu, n["boot"], n["hashed"], n["start"], n["entry"],
                     start + n["entry"] - n["start"]))
    return rows


PER_CPU_HEADER = ["default system, partition (boot CPU)", "its CPU's own instructions: "
                  "to partition_boot / its share hashed / partition_start / first instruction",
                  "board estimate to its first instruction (CPUs at once)", "target"]


def per_cpu_rows(results):
    return [["%s (cpu%d)" % (label, cpu), "%d / %d / %d / %d" % (b, h, st, e), str(board),
             "<= %d: %s" % (BOOT_TARGET, status(board, BOOT_TARGET))]
            for label, cpu, b, h, st, e, board in boot_per_cpu(results)]


def status(value, target):
    if value is None or target is None:
        return ""
    if value <= target:
        return "met"
    return "missed by %d (%.2fx the target)" % (value - target, value / target)


def table_rows(results):
    rows = []
    for name, what, target, xen_ref, floor_ref in FIGURES:
        n, t, x = (median(results, s, name) for s in ("native", "tessera", "xen"))
        ratio = "%.2f" % (t / x) if t is not None and x else ""
        excess = str(t - n) if t is not None and n is not None else ""
        rows.append([what, fmt(n), fmt(t), fmt(x), ratio, excess,
                     "" if target is None else "<= %d" % target, status(t, target),
                     "" if xen_ref is None else "%d / %d" % (xen_ref, floor_ref)])
        if name == "cp15_actlr" and t is not None:
            # QEMU charges a trapped MRC in the middle of a translation block one instruction
            # that never ran (the ISB after it): both sides are one high (Method).
            rows.append(["same, less the instruction QEMU charges but never runs",
                         fmt(n), str(t - 1), "" if x is None else str(x - 1),
                         "%.2f" % ((t - 1) / (x - 1)) if x else "",
                         str(t - 1 - n) if n is not None else "",
                         "<= %d" % target, status(t - 1, target), ""])
        if name == "doorbell" and median(results, "tessera-smp-peer", name) is not None:
            t2 = median(results, "tessera-smp-peer", name)
            rows.append(["same, to a peer of two vCPUs",
                         "n/a", str(t2), "n/a", "", "", "<= %d" % target, status(t2, target),
                         ""])
        if name == "vtimer_wfi" and median(results, "xen-slop0", name) is not None:
            xs = median(results, "xen-slop0", name)
            rows.append(["same, guest in WFI; Xen with timer_slop=0", fmt(n), fmt(t), fmt(xs),
                         "%.2f" % (t / xs) if t is not None else "", excess, "", "",
                         "9415 / 5"])
    return rows


HEADER = ["path (median, instructions)", "native", "Tessera", "Xen 4.17", "Tessera / Xen",
          "Tessera - native", "target", "Tessera vs target", "issue's Xen / floor"]


def markdown_table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def text_table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip()
    return "\n".join([line(header), line(["-" * w for w in widths])] + [line(r) for r in rows])


def detail_rows(results):
    rows = []
    for name, what, *_ in FIGURES:
        row = [name]
        for system in ("native", "tessera", "xen", "xen-slop0"):
            f = results.get(system, {}).get("figures", {}).get(name)
            if not f:
                row.append("")
            elif "na" in f:
                row.append("n/a (%s)" % f["na"].replace("-", " "))
            else:
                row.append("%d / %d / %d" % (f["min"], f["median"], f["max"]))
        rows.append(row)
        f = results.get("tessera-smp-peer", {}).get("figures", {}).get(name)
        if f and "min" in f:
            rows.append([name + " (a peer of two vCPUs)", "", "%d / %d / %d"
                         % (f["min"], f["median"], f["max"]), "", ""])
    return rows


def text_status(code):
    kib = lambda b: "%.1f KiB" % (b / 1024)
    target = FOOTPRINT_TARGETS["text_kib"] * 1024
    return "<= %d KiB: %s" % (FOOTPRINT_TARGETS["text_kib"], status(code, target).replace(
        "missed by %d" % (code - target), "missed by %s" % kib(code - target)))


def footprint_rows(fp, sl, every=None):
    """every: the footprint of configs/qemu-virt/every-feature.dts, on which the .text
    target (issue 16: "with every round-two feature in") is judged."""
    kib = lambda b: "%.1f KiB" % (b / 1024)
    rows = [
        [".text (code)", kib(fp["text_code"]),
         "what this system's hypervisor holds: tcfg leaves out the parts no partition uses"],
        [".text (code), every optional part in (`every-feature` system)",
         kib(every["text_code"]), text_status(every["text_code"])] if every else
        [".text (code)", kib(fp["text_code"]), text_status(fp["text_code"])],
        [".text (code) by folder%s" % (", `every-feature` system" if every else ""), "",
         ", ".join("%s %s" % (f, kib(b)) for f, b in sorted(
             (every or fp)["text_by_folder"].items(), key=lambda x: -x[1]))],
        [".text (section, padded to 4 KiB)", kib(fp["text_section"]), ""],
        [".rodata", kib(fp["rodata"]), ""],
        ["image store (guest images, outside the image)", kib(fp["image_store"]), ""],
        [".data", "%d bytes" % fp["data"], ""],
        [".bss", kib(fp["bss"]), ", ".join("%s %s" % (n, kib(s))
                                            for n, s in fp["bss_largest"].items())],
        ["arm-none-eabi-size (text, data, bss)", "%d, %d, %d" % (
            fp["size_berkeley"]["text"], fp["size_berkeley"]["data"],
            fp["size_berkeley"]["bss"]), "text includes .rodata and the guest images"],
        ["static memory (.data + .bss)", kib(fp["static_memory"]),
         "stacks, Hyp page tables, stage-2 pool and console ring included"],
    ]
    for p, n in fp["s2_tables"].items():
        rows.append(["stage-2 tables, partition %s" % p, "%d x 4 KiB = %s" % (n, kib(n * 4096)),
                     ""])
    rows.append(["source lines (include/ boot/ hyp/ mm/ vgic/ platform/)", str(sl["total"]),
                 "<= %d: %s; %s" % (FOOTPRINT_TARGETS["sloc"],
                                     status(sl["total"], FOOTPRINT_TARGETS["sloc"]),
                                     ", ".join("%s/ %d" % kv for kv in sorted(
                                         sl["folders"].items())))])
    return rows


NOISY_HEADER = ["neighbour's load", "victim's timer latency, median / max (ticks, shared clock)",
                "victim CPU: Hyp entries per period, median / max",
                "victim CPU: Hyp entries / kicks in all periods",
                "victim CPU: Hyp cycles per period, median", "neighbour's iterations",
                "victim CPU same as beside an idle neighbour"]


def noisy_rows(results):
    noise = results.get("noisy", {}).get("noise", {})
    idle = noise.get("idle", {})
    rows = []
    for name, what in NOISY_LOADS:
        n = noise.get(name)
        if not n or "na" in n:
            rows.append([what, "n/a (%s)" % (n or {}).get("na", "not run"), "", "", "", "", ""])
            continue
        own = (("entries_max", "entries max"), ("entries", "entries"), ("kicks", "kicks"),
               ("hyp_median", "Hyp cycles median"))
        same = "entries" in idle and all(n[k] == idle[k] for k, _ in own)
        first_ring = name == "doorbell_ring" and "entries" in idle and all(
            n[k] - idle[k] == (1 if k in ("entries", "entries_max") else 0) for k, _ in own)
        if name == "idle":
            verdict = "(the reference)"
        elif same:
            verdict = "yes"
        elif first_ring:
            verdict = ("yes, but for one entry, the first ring's: it makes the doorbell "
                       "pending (notes)")
        else:
            verdict = "no: %s" % ", ".join(
                "%s %s" % (label, "+%d" % (n[k] - idle[k]) if n[k] >= idle[k] else
                           "-%d" % (idle[k] - n[k]))
                for k, label in own if n[k] != idle[k])
        rows.append([what, "%d / %d" % (n["lat_median"], n["lat_max"]),
                     "%d / %d" % (n["entries_median"], n["entries_max"]),
                     "%d / %d" % (n["entries"], n["kicks"]), str(n["hyp_median"]),
                     str(n["load"]), verdict])
    return rows


STATS_HEADER = ["CPU (partition)", "entries", "HVC/SMC", "data aborts", "CP14/15", "other",
                "IRQs", "async aborts", "kicks", "injected", "Hyp cycles", "console bytes"]


def stats_rows(results):
    stats = results.get("noisy", {}).get("stats", {})
    owner = {"cpu0": "victim", "cpu1": "noisy", "cpu2": "noisy", "cpu3": "none"}
    rows = []
    for cpu in sorted(k for k in stats if k.startswith("cpu")):
        c = stats[cpu]
        rows.append(["%s (%s)" % (cpu, owner.get(cpu, "?"))] +
                    [str(c.get(k, "")) for k in ("entries", "hvc", "dabt", "cp", "other", "irq",
                                                 "async", "kicks", "injected", "hyp_cycles",
                                                 "console_bytes")])
    return rows


def lock_rows(results):
    stats = results.get("noisy", {}).get("stats", {})
    rows = []
    for key in sorted(k for k in stats if k.startswith("partition")):
        s_ = stats[key]
        rows.append(["%s: partition lock" % key, str(s_.get("lock_wait_max", ""))])
        rows.append(["%s: vGIC lock" % key, str(s_.get("vgic_lock_wait_max", ""))])
        rows.append(["%s: console bytes dropped" % key, str(s_.get("console_dropped", ""))])
    m = stats.get("machine", {})
    if m:
        rows.append(["VMID allocator's lock", str(m.get("vmid_lock_wait_max", ""))])
        rows.append(["console lock", str(m.get("console_lock_wait_max", ""))])
        rows.append(["console: guest bytes dropped (all partitions)",
                     str(m.get("console_dropped", ""))])
    return rows


NOISY_METHOD = """\
## Noisy neighbour: method

- `configs/qemu-virt/bench-noisy.dts`, built with `VMID_BITS=2` and `GIC_REPOKE_MS=0` (below),
  run like the rest (`-smp 4`, -icount, 1 GHz counter): the victim partition (`guests/bench`, role `victim`) owns CPU 0;
  the neighbour (role `noisy`, fault policy `inject`) owns CPUs 1 and 2; CPU 3 is idle. A
  channel joins them: the victim writes the load's number into its page and rings the
  neighbour's doorbell, and waits until the neighbour says it runs that load. The neighbour's
  doorbell to the victim stays disabled in the victim's distributor (it never asked for it).
- For each load the victim times {periods} periods of its virtual timer, {period} ticks each,
  waiting in WFI: the latency is the CNTVCT read by the IRQ vector's second instruction minus the
  deadline. Around each period it calls `TESSERA_FID_CPU_STATS`, which returns the hypervisor's
  counters for the calling CPU: entries of every cause, cycles in Hyp mode, kicks (SGIs between
  CPUs) received and interrupts injected.
- **Separating the victim's CPU from the others.** QEMU runs the CPUs round-robin under -icount
  and the virtual clock advances with every CPU's instructions: when the deadline passes while
  another CPU runs, the victim's vector waits for that CPU's time slice, and CNTVCT (and QEMU's
  cycle counter, which follows the same clock) counts the neighbour's instructions too. So the
  latency column is the **shared clock** (a QEMU artefact where it moves with a load and the
  victim's entries do not), and the victim's own CPU is measured by what the hypervisor counted
  there: entries and kicks, exact counts kept by the hypervisor on CPU 0 alone (per-CPU
  words in memory; Hyp cycles from the PMU event counter it reserves for Hyp mode;
  `hyp/core/stats.h`). Hyp cycles per period
  are shown as the median, which a rare slice switch in the middle of a Hyp path does not move.
- **How long QEMU's turns are** (QEMU 7.2, `accel/tcg/tcg-accel-ops-rr.c` and
  `-icount.c`): a vCPU runs until the machine's next timer deadline, and a vCPU that moves a
  deadline earlier (writes a compare register: CNTHP_CVAL for the hypervisor's own timer)
  is kicked and hands its turn to the next vCPU at once. A neighbour that computes flat out
  then runs until that deadline. Seen in `qemu.console.noisy_neighbours` (115200-baud console
  model, a flooding neighbour): the hypervisor on the bystander's CPU paces the console with
  its timer every 1.4 ms while output waits, and each reprogramming gave CPU 1 a whole 1.4 ms;
  one bystander line took 46 ms of the clock while its CPU executed 12,447 instructions
  (`tools/insn_per_cpu.c` with `gaps=0`: after each CNTHP_CVAL write a 1 ms pause of CPU 0,
  not in WFI or WFE, while CPU 1 ran). Which period this hits moves with any change of code
  layout (47 ms, then 3 ms, then 20 ms on trees that differ by a few instructions), so that
  test judges the bystander on its laps (`laps=on`: per period, the clock less the time the
  others ran while its CPU could have run, and its CPU's own instructions), not on the clock.
  The same turns can starve a vCPU for good: the vCPU after one that spins until the deadline
  gets a turn of zero instructions every time (fixed in QEMU 8.1). A test partition whose
  vCPU 0 polled AFFINITY_INFO for vCPU 1, the next in the order, hung the whole machine that
  way once vCPU 1 held the console's ticket lock; the test guests' waits for another vCPU
  now execute YIELD (`cpu_yield`, `guests/lib/arch.h`), which ends a turn. So do the noisy
  neighbour's busy loads after each iteration: a NOP on the cores, it keeps QEMU from starving
  the victim's CPU (traced on a tree before it: in the doorbell ring loop CPU 0 got turns of
  almost no instructions for 11 ms while CPU 1 rang, 78 Hyp entries more, all after=run).
- The goal (issue 14): with every load the victim's CPU does the same hypervisor work as beside
  an idle neighbour: the same entries (per period at worst, and in all), kicks and Hyp cycles
  per period. The last column says where it differs today. The latency column is shown for what
  it is: where it moves and the victim's counts do not, the neighbour ran in the victim's place
  in QEMU's round-robin, which a board with a CPU each does not do.
- **Without QEMU's GIC tick.** This system is built with `GIC_REPOKE_MS=0`: the 1 ms Hyp
  timer tick the hypervisor runs where it finds QEMU's GIC (README, Known limits) is off, as on
  a GIC-400, which needs none. With the tick, about 10 fell in the victim's 10 ms window and
  how many moved with the other CPUs' instructions: 409 to 411 entries from load to load on the
  same tree (400 under every load without it, the tick's share confirmed), and each tick could
  end a QEMU turn in the middle of a period (latency maxima of 400 to 2,400 ticks under the
  fault storm, the CPU_ON/CPU_OFF loop and the passthrough flood; 92, the median, without it).
  No load here needs the tick: the victim's handler stops its timer before the EOI, and the
  neighbour's passthrough flood takes as many alarms without it as with it (46,068 and 46,041).
- **What the table shows.** Under every load the victim's entries are the idle reference's
  400 (its 200 timer interrupts and its 200 `TESSERA_FID_CPU_STATS` calls), 2 a period, and
  its Hyp cycles per period 192 at median, but for two loads:
  - the restart loop: 4 kicks and their 4 entries, one for each VMID wrap (below);
  - the doorbell ring loop: one entry, in one period. The neighbour's first ring makes the
    victim's disabled doorbell pending, and the victim's CPU records that (the IPI, the drain
    and the general path under the partition's vGIC lock: 453 Hyp cycles in that period, 192
    in the others). Every later ring finds it pending and costs the victim nothing. A GIC
    latches such an edge without the CPU; here the distributor's state is kept by the target
    vCPU's CPU, and a test of the enable byte on the ring path, to leave the edge in the
    inbox without an IPI, would cost every ring 3 instructions (the doorbell's figure, 248,
    would miss its target of 250).
  The latency column moves under two loads (the passthrough flood's median and maximum, 98, and
  the restart loop's maximum, one period): the shared clock's; the victim's own counts do not
  move with them.
- **The restart loop's one long period, when it comes (323,741 ticks on c65ad1f; about a
  thousand on most trees, 310,831 or 1,206,963 on some, with boot code and layout alone
  changed), and the VMID allocator's longest wait with it
  (307,604 there).** Traced on c65ad1f with
  `tools/insn_per_cpu.c`'s `gaps=0:100000`: CPU 0, the victim's, waited in WFE in
  `spin_lock_wait` for the VMID lock (after=wfe, 309,564 ticks) while CPU 1, the restarting
  neighbour's, ran 309,394 instructions. Under the VMID lock a starting CPU only advances the
  generation and sends flush requests, and an SGI sent while it holds the lock ends its QEMU
  turn (QEMU's round-robin kicks the running vCPU when it raises another's interrupt); the
  waiter's WFE yields, and the lock comes back only when the holder's next turn does. So it
  is a QEMU turn, not a hold: on a board, with a CPU each, the holder goes on at once. The
  victim's own counts are the same on every tree (a kick and an entry for each VMID wrap the
  neighbour's restarts make, 192 Hyp cycles a period at median).
- **The console lock's longest wait** (0 on the trees before 7e22ba3, which keeps each
  partition's open line apart, and whose drain does a few instructions more a byte; 15,771
  and 17,217 on the two trees since): QEMU's PL011 takes every byte at once, so one drain under the lock sends the whole
  backlog the console flood left (thousands of bytes), where a board's 16-byte FIFO ends a
  hold after 16; a CPU that wants the lock meanwhile (to put a line, or its stats at the
  end) waits for it, a whole QEMU turn if the holder's ends. Not traced to the CPU that
  waited. The victim's latencies and entries in the noise table are as before; in the
  counters table its Hyp cycles for the whole run are about 23,000 more (cpu2's too), as such
  a wait would make them.
- **Passthrough-interrupt flood:** the neighbour has QEMU virt's PL031 passed through and
  raises its alarm again as soon as it took the last one (the match register written with the
  current count: QEMU raises the alarm at once, as the passthrough-SPI figure uses), so its
  CPU takes its device's interrupt through the hypervisor flat out. (Before this tree it was
  not measured, with a wrong reason: that the alarm has a one-second resolution.)
- The counters table is the hypervisor's own report when the machine switched off (both
  partitions called SYSTEM_OFF), for the whole run, boot included: `stats cpuN` lines per CPU,
  `stats partition` and `stats machine` lines with the longest wait for each shared lock (in
  counter ticks, measured only when a CPU had to wait).
"""


METHOD = """\
## Method

- QEMU {qemu} `-M virt,virtualization=on,gic-version=2 -cpu cortex-a15,cntfrq=1000000000
  -m 1024 -icount shift=0,align=off,sleep=off`: the generic timer advances one tick per executed
  instruction, in every mode (Hyp included) and on every CPU, and WFI skips to the next timer
  deadline. These are **path lengths in instructions, not silicon cycles**: no caches, TLBs,
  pipelines or memory latency are modelled, and every instruction costs one.
- One guest, `guests/bench`, the same image everywhere: on bare QEMU (`-smp 2`; it enters in Hyp
  mode and the guest library leaves a Hyp vector whose HVC entry is a lone `eret`: the floor),
  in Tessera (`configs/qemu-virt/bench.dts`, `-smp 4`, built with `GIC_REPOKE_MS=0`: without the
  1 ms tick the hypervisor runs for QEMU's GIC model, which a GIC-400 does not need; each tick
  that fell in a run made one maximum about 276 above its median) and as a Xen 4.17 dom0less domU (`-smp 1`,
  Debian's `xen-hypervisor-4.17-armhf`, measured here: {xen}; zImage header in
  `guests/bench/bench_asm.S`). It finds the GIC and UART in its device tree. The Xen figures
  drift between Debian's builds (4.17.5 and 4.17.7 differ by a few dozen instructions on the
  WFI path): `make bench` prints the version it measured and writes it into `docs/bench.json`.
- A figure is `ISB; MRRC CNTVCT; operation; ISB; MRRC CNTVCT` (the `overhead` row is that with
  no operation), run {warmup} times unrecorded, then {sync} times (interrupt paths {asyncn});
  min, median and max are over the recorded runs. Interrupt latencies are the CNTVCT read as the
  second instruction of the guest's IRQ vector minus the deadline (timer) or the sender's stamp.
- Paths: hypercall = Tessera `TESSERA_VERSION` (HVC #0), Xen `xen_version` (HVC #0xEA1, r12 =
  17), native an HVC to the stub; distributor = `GICD_TYPER` (and `GICD_ISENABLER0`); UART =
  PL011 `FR` (Xen's vpl011); CP15 = `ACTLR` read, which Tessera (HCR.TAC) and Xen (HCR.TAC,
  `vcpu->arch.actlr`) both trap; timer = virtual timer, guest spinning or in WFI (IRQs masked
  around WFI, taken on wake-up), and the physical timer (CNTP, PPI 30) spinning, its latency
  counted from the deadline in the virtual count (CNTPCT - CNTVCT read once). Distributor
  writes: ISENABLER0/ICENABLER0 and an IPRIORITYR byte of PPI 30 (its timer stopped), an
  ITARGETSR byte of the UART's SPI (Xen's vpl011: INTID 32; QEMU's PL011: 33), ISPENDR0 of PPI
  30 while it is disabled (cleared again, untimed, after each store). Passthrough SPI: the
  PL031 RTC passed through to the bench partition (INTID 34); writing its match register with
  the current count makes QEMU raise the alarm at once, so the figure runs from that store to
  the guest's IRQ vector, the sender halting in WFI with IRQs masked as for the SGI. Xen: n/a
  (the PL031 is not passed through to the domU: dom0less passthrough needs a partial device
  tree this bench does not build).
- **QEMU charges a trapped MRC one instruction that never ran.** A trapped non-I/O MRC in the
  middle of a translation block ends the block with the exception, but -icount has already
  counted the whole block: the CP15 figure is one high on both sides (with `-singlestep` it
  drops by one: 43 -> 42 on this tree, the hypercall and GICD_TYPER unchanged). The row "less
  the instruction QEMU charges" gives both figures without it.
  MMIO loads do not have this: QEMU ends the block at an I/O access.
- **Every maximum is its median** (above): nothing else runs while a figure does. In Tessera the
  bench guest waits for the peer partition's "ready" ring before its first figure: QEMU runs
  the CPUs in turns, and the peer's start on CPU 2 (its load, its first instructions) had
  been charged to the one sample it preempted, an IPRIORITYR read of 16,644 (traced with
  `tools/insn_per_cpu.c`'s `gaps=0:3000`: CPU 0 paused after=run while CPU 2 ran 17,042);
  and the system runs without QEMU's GIC tick (above). A maximum above its median now means
  something ran during that sample.
- Cross-CPU paths (SGI, doorbell): QEMU runs the CPUs one at a time under -icount, and an
  interrupt raised for another CPU is only taken once the running CPU halts, so the sender halts
  in WFI right after sending. The figure counts every instruction executed on both CPUs from the
  send to the receiver's vector: the rest of the sender's path, then the receiver's. On hardware
  the two overlap. Xen boots only one CPU under -icount (SGI: n/a); doorbells are Tessera's.
- Boot lengths are instructions executed since QEMU's reset, which is Tessera's first
  instruction (checked with a breakpoint). Partitions' first instructions and the RTOS's first
  task come from the guests' own CNTVCT reads (the guest library's at reset, the RTOS port's
  just before its first task; Tessera sets CNTVOFF = 0), read from their output or, for the
  default system, from their memory over QMP. Xen's domU gets another CNTVOFF: its entry comes
  from a breakpoint through QEMU's gdb stub and QMP `query-replay` (exact while one CPU runs).
- Each system ran {runs} times; `make bench` fails if any figure or boot length differs.

## Where the instructions go, per path (from `-d exec,nochain` traces of this tree)

Every trap pays the same frame: the vector's branch, one `push` of r0-r12 and LR, HSR, the
table dispatch by HSR.EC (`hyp/arch/vectors.S`, 8 instructions) and the exit (HTPIDR, the
request word and its test, the dummy STREX that clears the exclusive monitor, `pop`, `eret`:
7). An interrupt's entry is 4 (no HSR, no table). The bench's
own measurement is 2 more (`overhead`), the trapping instruction and its return 1-2. Figures
below are approximate shares of the medians above.

- **Null hypercall (28):** entry 8, `smccc_trap_hvc` 8 (PMU count, the TESSERA_VERSION test,
  the answer: no stack frame), exit 7, HVC + measurement 2. What is left is the frame every
  trap pays: the floor of this design is about 23.
- **CP15 ACTLR (39; 38 without QEMU's extra count, checked with `-singlestep`):** entry 8,
  `cp_trap` 20 (the one ARM-state function of `hyp/arch/cp15.c`, the rest is Thumb: the trap
  count, the ACTLR test, the answer, and the skip in place: ELR + 4, an MRC being 32 bits in
  either state, then the Thumb IT-state test), exit 7, the guest's MRC and the measurement.
  Left: a `push`/`pop` of LR that GCC takes as a scratch register (2), and the IT-state test
  for ARM-state guests (2).
- **PL011 FR (63) and GICD_TYPER (65):** entry 8, `mmio_trap_dabt` 46-48 (in `hyp/dev/mmio.c`,
  built at -O2 with the fast paths in its own frame: the abort counter and the HPFAR test
  against the two emulated pages 15, the syndrome decoded once for loads and stores and HDFAR's
  offset 6, FR or TYPER computed in place and the register write, the skip 8 and the frame's
  `pop`), exit 7, the guest's load and the measurement. The UART's FR test is its own
  function's (`emulate_uart`), the distributor's page goes to `emulate_gicd`, both inline in
  the trap: no second call and frame (before: `trap_dabt` in -Os `hyp/core/trap.c`, 20, then
  `mmio_emulate` about 30 with its own frame).
- **Other distributor reads (ISENABLER0 71, IPRIORITYR 78, ITARGETSR 79, ICFGR 79):** the
  same path as TYPER, then `vgicd_read_word` inline (about 12: two range tests and one load).
  Each of these registers is kept as the guest reads it, a word: the private enable map,
  priorities in IPRIORITYR's layout (a byte per INTID, banked per vCPU for private ones), SPI
  targets and triggers mirrored in ITARGETSR's and ICFGR's, and foreign interrupts' bytes kept
  0, so nothing is masked; no lock (docs/design.md, Locking). An SPI's enable word (no
  target) is gathered from its 32 enable bytes.
- **Distributor writes (ISENABLER0 86, ICENABLER0 88, ISPENDR0 85, IPRIORITYR byte 94,
  ITARGETSR byte 96):** entry 8 and exit 7, `mmio_trap_dabt` 47-50 (the same frame as the
  reads; the store tests come after the load test, on the same decoded syndrome: a word
  store to GICD_SGIR first, then the word and byte stores), then for a word the choice
  inline in the trap (`vgicd_write_word_fast`, vgic.h: word 0 of a register, or a later word
  of ISENABLER/ICENABLER, 2-4) and `vgicd_write_priv_word` 18-19 (the enable and pending words
  of the vCPU's own timers: one test of the offset, the physical distributor written, the
  enable map; ICENABLER0 also looks whether a list register is in use, 3, and if one is,
  whether it holds the timer, which the general path then takes back), or
  `vgicd_write_byte_fast` 27-29 (the range test, a private priority byte or a target byte that
  changes nothing, both without the lock). The split by size (before: one `vgicd_write_fast`
  testing size and alignment for every store) and GICD_SGIR's own test in the trap took 15-17
  off the word stores and 7-8 off the bytes; the word-0 stores gave 4 back to the SPI words'
  test in front of them (81/83/80 before this tree).
- **An SPI's enable word (ISENABLER1, ICENABLER1 of the UART's SPI: 104 / 105, target 110
  met):** the same entry, trap and word-store tests, then `vgicd_write_spi_enable` about 30,
  without the lock (docs/design.md, Locking): the partition's SPIs of that word (a map kept
  since the partition's start) checked against the value, one SPI (a value below
  `value ^ (value - 1)`: one test for none and several), not passthrough, then its enable
  byte stored, one DMB, and one load: `VIRQ_PENDING` for an enable, the list-register booking
  for a disable. Only when that is set (the vCPUs to kick, the entry to take back), for
  several SPIs at once and for a passthrough SPI does the word go under the lock
  (`spi_enable_locked`, `apply_bit`). Before this tree the word took the lock every time: 145
  / 146 (the lock and unlock 17, the flags byte's read-modify-write, a 10-register frame), and
  before that the general path (`emulate`, the inbox, 32 fields one by one): about 1,050. The
  price: an SPI's enable left its flags byte (whose other writers hold the lock) for a byte of
  its own, so the paths that test it lock-free load one byte more (passthrough SPI +7,
  doorbell +3, below), and a read of an SPI's enable word (no target) gathers its 32 bytes,
  eight words and a multiplication each, where it read one stored word; the placements of
  partitions of several vCPUs and the withdrawals under the lock look at the enable a second
  time after a barrier (not on a measured path).
- **Other distributor registers (ISPENDR1 read: the general path):** `emulate` decodes the
  syndrome, `vgicd_read` takes the lock, the inbox and the list registers' state, and
  `read_field` reads only the partition's interrupts of the word (about 500 for ISPENDR1; 32
  fields one by one before this tree, about 1,550). Reads of CTLR (about 256) and IGROUPR0
  (the 16 SGIs and 2 timers: about 1,070) go the same way. No target: issue 16 names the
  five registers above.
- **Timers (virtual 91 / in WFI 92, physical 91):** interrupt entry 4, `hyp_irq_handle` 19
  (acknowledge, the IRQ counter, then the partition's own interrupt: `vgic_inject_hw` called
  from there, no `irq_dispatch` frame, which now serves only the rest: the hypervisor's own
  interrupts, a second one pending, the idle loop), `vgic_inject_hw` about 30, a leaf (no
  lock: a private interrupt's last list register, emptied by the guest's EOI, is refilled;
  list registers are written by index from one base), priority drop 2, exit 7, the guest's
  IRQ entry; the rest is QEMU taking the interrupt at the next instruction boundary.
- **Passthrough SPI (112; 114 before its refill test was shared with the doorbell's):** interrupt entry and `hyp_irq_handle` 23, `vgic_inject_hw` about
  74 with the priority drop (its enable a byte of its own since this tree: 7 more than the one
  flags test before), exit and the guest's WFI and vector 16. The refill is now
  lock-free for an SPI too (docs/design.md, Locking): the list register its last instance
  used, which this vCPU's own bookkeeping (`lr_used`, `lr_intid`) still holds and the guest's
  EOI emptied, takes it back; the SPI's shared flags byte is read once and not written, so
  only an instance neither active nor pending in software goes this way (the locked path,
  `vgic_inject_hw_locked`, clears VIRQ_ACTIVE and takes everything else, the retargeted SPI of
  issue 14's defect 9 included). Before: 149, of which the lock and the out-of-line locked
  part about 90.
- **SGI (249; 250 before the drain scanned the inbox from its last word):** sender about 108: entry 8, `mmio_trap_dabt` 47 (counter and HPFAR 15, the
  syndrome and the GICD_SGIR test 12, the skip 10, done before the post so that
  `vgicd_sgir` is a tail call), `vgicd_sgir` 45 (the target-list filter tested first, the
  partition's vCPU mask and the sender's inbox word and bit precomputed at the partition's
  start, one atomic OR into the target's inbox word, LDREX/STREX with its DMB, then the IPI
  inline: DSB and the GICD_SGIR store, only when the word was empty), exit 7 and the guest's
  store and WFI. No lock and no shared state. Receiver about 142: interrupt entry 4,
  `hyp_irq_handle` 21 (acknowledge, the IRQ and kick counters, EOI, deactivate: a kick goes
  straight to the drain, without `irq_dispatch`'s frame), `vgic_inbox_drain` 107 (the scan of
  the two inbox words with the exchange about 30, `sgi_place` inline about 70: pending and
  group tests, ELRSR, the lowest empty list register, here the one the previous SGI held, its
  active flag cleared as `lr_complete` would, bookkeeping and the list register value), exit
  7 and the guest's vector 2 (traced again with the bench guest's `figure=sgi`: the drain
  118 with its frame, of which the look at the words after the one placed 13, the loop's end
  one test less now). One instruction to spare; what is left is the two trap frames
  (about 30 sender, 14 receiver), the inbox's atomics and barriers (about 15), the stats
  counters the noisy-neighbour table needs (6) and the drain's bookkeeping. Next steps: a
  summary of the completed SGI's list register that needs no flag write (VIRQ_ACTIVE of SGIs
  read from the list registers), and a drain loop that keeps fewer registers live.
- **Doorbell (238; 235 before that test was shared with the passthrough refill, 231 before
  the refill checked its booking against the vCPU's own
  bookkeeping, 232 before the drain scanned the inbox from its last word, 248 before the
  lock-free refill below and the SPI's target vCPU in its
  state word, 243 before the SPI's enable had a byte of its own, 246 before the exit cleared
  the exclusive monitor):** sender about 98: entry 8, `smccc_trap_hvc` 8, `smccc_dispatch` 23
  (DOORBELL_RING's bounds test inline), `partition_ring` 8, `vgic_raise` 43 (the lock-free
  pending test that makes a ring of a pending doorbell free; the target vCPU read from the
  SPI's state word, `struct virq.target`, kept beside ITARGETSR's mask so that no path
  computes it; this CPU's number read inline from HTPIDR; the atomic OR into the target
  vCPU's inbox; the IPI inline), exit 7. Receiver about 134: the IPI's entry and
  `hyp_irq_handle` 25-33, `vgic_inbox_drain` 49, `spi_place` about 61 (`spi_refill`, vgic/fast.c:
  the SPI's state word read with one load, its target this vCPU and its booking confirmed by
  this vCPU's own bookkeeping (`lr_used`, `lr_intid`), the
  entry empty, the enable byte and the group, then the list register its last instance used,
  which the guest completed, written again; nothing shared is written, so no lock, in a
  partition of one vCPU or of several, docs/design.md, Locking), exit 7 and the guest's vector.
  Next steps as for the SGI, and `doorbell_ring`'s and `partition_ring`'s calls folded into
  one.
- **Doorbell into a peer of two vCPUs (238, `bench-smp-peer.dts`: bench.dts with the peer on
  CPUs 2 and 3, the bench guest measuring only this figure; 320 before the lock-free refill,
  traced with `-d in_asm,exec,nochain`):** the same path as into a peer of one vCPU. Before,
  the placement took the partition's lock (`spin_lock`, `spin_unlock` and the enable's
  recheck 46), and booked a fresh list register at every ring (27 more): each entry asked for
  an EOI maintenance interrupt, whose `lr_complete` gave the booking up so that the next
  instance could go to another vCPU. That interrupt cost the peer's CPU about 250 Hyp
  instructions more a doorbell: its Hyp instructions a round trip (its answer's ring
  included) went from 627 to 186. The entry now asks for the EOI only when an instance waits
  for it (`vgic_lr_sync`: one due on another vCPU, whose arrival kicked the holder,
  `spi_wait_holder`; `lr_take_back`: one taken back from an active entry for another vCPU;
  `lr_merge`: an edge merged before the guest acknowledged the last).
- **The inbox (both paths):** each vCPU has a few words (`vgic_cpu.inbox`): SGIs by source,
  then doorbells by INTID. A sender sets its bit with one atomic OR and sends the IPI only if
  the word was empty; the target's CPU takes the words (atomic exchange) in its IPI's handler
  and places a single SGI or doorbell straight into a list register; anything else (two at
  once, a duplicate of one still listed, a disabled or untargeted doorbell, no free list
  register, a vCPU with interrupts already waiting) goes through the general path under the
  lock (`vgic_inbox_general`: pending maps, `vgic_flush_locked`). An SGI to the sender itself is placed
  at once, in its own trap. Reads of the pending registers and general-path writes take the
  inbox first, so the guest sees what was sent as pending.
- **Kicks of the SGI storm's sink (noise table, counters):** the storm partition's second
  vCPU took ~11,800 kicks before the inbox: every SGI marked the target dirty and kicked it
  (`vgic_mark_dirty` kicks unconditionally, and `write_sgir`, now `vgicd_sgir`, called it for
  each SGI, pending already or not). With the inbox a post that finds the word non-empty rides on the IPI
  already sent: the sink now takes about 260, and the storm runs some 9 times more iterations.
- **Boot (default system, about 1.9M a CPU on the board estimate):** see "Boot" above: each
  partition's CPU hashes its half of the shared RTOS image's chunks (1.4M), then clears its
  32 MiB through the Hyp map's non-cacheable view with VSTM (`mem_zero_vfp`, 0.29M) and
  copies the image and device tree, with no clean; the boot CPU's own start-up 0.15M.

## Notes kept out of the code

- Boot length is mostly the image check and clearing partition RAM at every start:
  `mem_zero_vfp` (`mm/cache.S`, a partition's own CPU) stores 128 bytes a VSTM, 32 stores a
  loop, about 0.0085 instructions a byte; `mem_zero` (any CPU; in practice the channels at boot) eight
  registers a store, two stores a loop, about 0.08; the hypervisor's `memset` (`hyp/core/memset.c`, a word
  a store, for small buffers; newlib's is not linked) takes 0.5.
- `take_pending` (`vgic/vgic.c`, now the general path) was inline while on the SGI and doorbell paths, where a
  call and its return cost some 14 instructions; `sgi_place` is inline in `vgic_inbox_drain`
  for the same reason (out of line, or the drain's loop over a word pointer, cost the SGI 5-10
  more: GCC then keeps more registers live across the loop), `spi_place` is not (its calls
  to the locked placement would make the drain save every register on the SGI path too).
- Tried and left out (measured): `irq_dispatch` taking the first interrupt's IAR from
  `hyp_irq_handle` (+5 on the timers), the partition's interrupts in a function of their own
  below `hyp_irq_handle` (kick -1, timers +7), the data abort trap moved to -O2 alone
  without its fast paths inline (no gain: the frame is the same), an SGI's duplicate search
  out of line (no gain, 56 bytes more).
- `timer_ms_to_ticks` (`hyp/core/timer.c`) divides CNTFRQ by 1000 as a 32-bit constant
  division (a multiply): libgcc's 64-bit division would be some 250 instructions on the Hyp
  timer's interrupt path.
"""


def noisy_markdown(results):
    if "noisy" not in results:
        return []
    return ["## Noisy neighbour (issue 14): measured on today's code",
            "",
            "A victim partition's virtual timer beside a neighbour partition running each "
            "hostile load; counts are for the victim's own CPU (CPU 0). Method below.",
            "",
            markdown_table(NOISY_HEADER, noisy_rows(results)),
            "",
            "### The hypervisor's counters at power-off (noisy-neighbour run)",
            "",
            markdown_table(STATS_HEADER, stats_rows(results)),
            "",
            markdown_table(["longest wait for a shared lock (ticks)", "ticks"],
                           lock_rows(results)),
            "",
            NOISY_METHOD.format(periods=NOISY_PERIODS, period=NOISY_PERIOD),
            ""]


BOOT_NOTES = """\
- **Which figure the target is judged on.** The rows above are QEMU's clock under -icount:
  every CPU's instructions advance it, and QEMU runs the CPUs one at a time, so work the
  partitions' CPUs do at once on a board adds up there. The per-CPU table is what each CPU
  executed itself, and its board estimate lays those counts on one time line (CPU 0 hands each
  other partition its first start just before its own; each CPU hashes its share of the chunks
  of the image files its partition loads; a partition starts loading once every partition that
  shares a file with it has hashed its share): what a board with one instruction a cycle would
  see. Issue 16's target (each partition's reset to first instruction <= 2M) is judged on the
  board estimate, because the parallel start is there for silicon; the icount figure is kept
  beside it, unchanged in meaning since issue 8.
- **Where the instructions go (default system, per CPU).** CPU 0 to the hand-off about 0.15M:
  reset to `boot_main` 0.05M (`.bss` cleared eight registers a store, the Hyp tables, the
  hypervisor image invalidated by VA), then console, log lines, GIC, secondary CPUs and
  stage-2 tables. Each partition's boot CPU then hashes its half of `rtos.bin` (about 78 KB in
  16 chunks of 4992 bytes, 8 each, at about 35 instructions a byte: 1.4M), and once both halves
  are checked, loads its partition: 32 MiB cleared 128 bytes a store (`mem_zero_vfp`, 0.29M),
  the image and device tree copied (0.02M), and no clean.
- **Chunked image checks.** tcfg records, beside each image file's SHA-256 (images.txt, docs),
  the SHA-256 of each of 16 chunks (a multiple of 64 bytes, at least 4 KiB: `struct
  cfg_image`); each partition started at boot hashes its equal share of the chunks of every
  file it loads (`check_share`; tcfg lists who loads each file: `cfg_image.loaders`), and starts once every chunk of its files is checked, by it or
  by the others (the CPU that checks a file's last chunk sends the others back to
  `partition_boot`). A mismatch in any chunk halts every partition that loads the file, each
  with its ERROR line, as before. 16 chunks share evenly among 1, 2, 4, 8 or 16 CPUs; a
  chunk's padding block and call cost about 1.5% more than one whole-file hash.
- **RAM cleared with no clean (first start only).** Each partition's cleared RAM is Normal
  non-cacheable in the Hyp map until its first load (`boot/mmu.c`; HMAIR index 2, outer
  shareable as B3-1377 asks of Normal non-cacheable), so the clear and the copies go to memory
  and need no clean: no cache holds a line of that RAM, because no translation regime mapped
  it cacheable since the boot loader handed over (U-Boot's `cleanup_before_linux` cleans and
  invalidates every level of the data cache, turns it off and invalidates it all again before
  `bootm` enters an image; QEMU's `-kernel` has no caches) and speculative accesses fill lines
  only through a cacheable mapping (ARM ARM B2.2.2). Then that RAM turns Normal write-back
  (`hyp_map_cacheable`: break before make, B3.10.1, with a TLB invalidation every CPU sees),
  still with no line in any cache, as A3.5.7 asks of a change of attributes: a guest that
  starts with its caches off (B2.2.7) or later maps memory non-cacheable sees what was
  written. Restarts keep the write-back map and the clean to the point of coherency by VA
  (B2.2.6): the guest's last run may have left lines in any CPU's caches. The clear uses VSTM
  of d0-d15 (128 bytes a store, 32 a loop), on a CPU of the partition's own only (its VFP
  registers are reset at every vCPU start, `vfp_reset`), with HCPTR.TCP10/11 cleared and
  FPEXC.EN set for the stores; elsewhere (a manager's start) STM of twelve registers.
- **What each change bought (board estimate, sensor's CPU):** 5.10M before; the clear through
  the non-cacheable map with no clean -1.78M (clean 1.25M, STM clear 0.85M -> VSTM 0.31M); the
  chunked check shared by the two CPUs -1.32M (2.75M -> 1.42M); `.bss` with eight-register
  STM -0.05M; the Hyp map's pages written in one loop (`pt.c`) -0.05M: 1.90M.
- **What is left.** 1.42M of the 1.90M is the hash at 35 instructions a byte; a block function
  at OpenSSL's 23 would take about 0.45M more off (the next step: Thumb-2 C does not keep the
  schedule in registers; an unrolled schedule and word loads tried at -O2 came out worse,
  `-mno-unaligned-access` turns each load into a call). The clear is at its floor for one
  instruction a 128 bytes. Before the hand-off, 46k build the Hyp map.
- **What changed since 11.2M** (before this issue's round two). SHA-256 eight rounds unrolled,
  Thumb-2 at -O2 (73 -> about 35 instructions a byte: -3.0M); the boot CPU invalidates the
  hypervisor's image only, not its whole 16 MiB reserved region (-0.65M); each partition is
  checked and loaded on its own boot CPU; bytes an image overwrites are not cleared first.
- **The noisy-neighbour counters for the whole run** (below) include the boot, and Hyp cycles
  follow the shared clock, which also advances while the neighbour's CPU loads its partition at
  the same time.
- **One long period seen on intermediate trees, explained** (all with the GIC tick on, before
  this system was built without it). With the boot work merged and
  before the test guests' YIELD (6b91c28), the doorbell ring loop's row showed one period with a
  victim latency of 27.95M ticks and 44 more Hyp entries, deterministic on that tree. Traced with
  `tools/insn_per_cpu.c` (`gaps=0`): in that period CPU 0 executed 13,335 instructions while CPU 1
  (the neighbour ringing) executed 57M, in 57 pauses of CPU 0 of about a million each, every one
  after=run (CPU 0 could have run). Each pause began when CPU 0's Hyp timer tick (the QEMU GIC
  workaround, 1 ms) reprogrammed CNTHP_CVAL: QEMU handed the turn to CPU 1, which ran until that
  next tick; CPU 0 then took the tick at once on its way back to the guest and handed its turn
  away again, so the guest never ran until the pattern broke. QEMU's scheduling, not the
  hypervisor's path (on a board the tick costs CPU 0 about 200 instructions a millisecond); which
  load it hits moves with any change of timing. At 36bea31 it was the fault storm's one
  period of 1,000,280 ticks, traced the same way: CPU 0 paused in `hyp_timer_expired` (its 1 ms
  tick), after=run, while CPU 1 (the neighbour faulting) ran 988,974 instructions, one tick's
  worth; the victim's entries were one fewer in all (409), a tick the long period absorbed. On
  an intermediate tree of the lock-free SPI enable words (e9df60d) it was the passthrough-IRQ
  flood's one period of 389,537 ticks (389,630 of them in Hyp mode by the PMU, whose cycle
  counter follows the same clock), traced the same way (`gaps=0:200000`): CPU 0 paused in
  `vgic_inject_hw` (its own timer's PPI, the lock-free refill), after=run, while CPU 1 (the
  neighbour's flood) ran 442,675 instructions; with one victim entry more (411). Each of these
  began at the tick, which this system no longer runs; the victim's entries and kicks, counted
  whatever the scheduling, are the check (`qemu.bench.noisy_counters`)."""


LINUX_NOTES = """\
- **What is measured.** Debian's armhf LPAE kernel and the busybox initramfs of
  `guests/linux`, from Linux's first instruction to the first instruction of `/bin/bootmark`,
  the first program the initramfs's `/init` runs (`guests/linux/bootmark.S`, linked at
  0x20000000 so that `tools/insn_per_cpu.c` can watch it): instructions executed by Linux's CPU,
  hypervisor work on that CPU included. Bare: QEMU virt without the virtualization extensions
  (Linux enters in SVC mode, as in a partition), `-smp 1 -m 256`, given the device tree tcfg
  made for the partition (QEMU rewrites its memory node to its own RAM at 0x40000000 and
  /chosen's initrd), the same bootargs; no disk on either side (its I/O completes at
  host-dependent virtual times; the virtio transport is probed and found empty) and the PL031
  counting from a fixed date in virtual time (`-rtc clock=vm`). Tessera: `configs/qemu-virt/bench-linux.dts`,
  `linux-rtos.dts` with one vCPU for Linux (cpu0), the RTOS beside it on cpu2.
- **The neighbour's CPU is separated** as in the noisy-neighbour table, by counting per CPU:
  under -icount QEMU's clock advances with every CPU's instructions, the RTOS's included (second
  row; the third says how much of it was the RTOS's CPU); the plugin counts each CPU's own, and
  the first row, on which the goal is judged, is Linux's CPU alone. The window starts at Linux's
  entry, so the hypervisor's boot and the images' SHA-256 before it are not counted.
- **One vCPU, not the partition's two.** With two vCPUs under -icount, QEMU runs one CPU at a
  time until its time slice ends, and a CPU spinning for the other (IPIs, stop_machine) burns its
  whole slice: one such run counted 16.9G instructions to user space under Tessera (5 minutes
  of wall time) and the bare one stalled; the counts were QEMU's schedule, not Linux's work.
- **What costs the difference.** Linux's own work is the same on both sides; what Tessera adds
  is its traps: each byte of the console (about 11.5 KB of boot log before user space) is a
  trapped PL011 FR read and DR store (75-110 instructions each: about 2M), the emulated
  distributor's accesses while the GIC driver probes, and the virtual timer's interrupts. The
  device tree being the same, Linux probes the same devices on both sides."""


def render_markdown(results, fp, sl, meta, every=None):
    parts = ["# Tessera benchmarks",
             "",
             "Generated by `make bench` (`tools/bench.py`) from %s on %s; do not edit by hand. "
             "Machine-readable: `docs/bench.json`." % (meta["git"], meta["date"]),
             "",
             "## Hot paths",
             "",
             "Medians in instructions (QEMU -icount: path lengths, not cycles). "
             "Targets are issue 16's, each printed met or missed; issue 8's reference figures "
             "are in the last column. Xen: %s." % meta["xen"],
             "",
             markdown_table(HEADER, table_rows(results)),
             "",
             "### min / median / max",
             "",
             markdown_table(["figure", "native", "Tessera", "Xen 4.17",
                             "Xen 4.17, timer_slop=0"], detail_rows(results)),
             "",
             "## Boot",
             "",
             markdown_table(["from QEMU's reset to", "instructions"],
                            [[w, str(c)] for w, c in boot_lengths(results)]),
             "",
             "Per CPU (`tools/insn_per_cpu.c`, a QEMU plugin counting each CPU's own "
             "instructions; same runs):",
             "",
             markdown_table(PER_CPU_HEADER, per_cpu_rows(results)),
             "",
             BOOT_NOTES,
             "",
             "## Linux boot (issue 15)",
             "",
             markdown_table(LINUX_HEADER, linux_rows(results)),
             "",
             LINUX_NOTES,
             "",
             ] + noisy_markdown(results) + [
             "## Footprint (`%s` system)" % fp["config"],
             "",
             markdown_table(["what", "size", "notes"], footprint_rows(fp, sl, every)),
             "",
             METHOD.format(qemu=meta["qemu"], xen=meta["xen"], warmup=16, sync=1001,
                           asyncn=201,
                           runs=meta["runs"]),
             ]
    return "\n".join(parts)


# ---- main ------------------------------------------------------------------------------------

def check_inputs(names):
    need = [GUEST_ELF, GUEST_BIN]
    if "tessera" in names:
        need.append(os.path.join(tessera_out("bench"), "tessera.elf"))
    if "tessera-smp-peer" in names:
        need.append(os.path.join(tessera_out("bench-smp-peer"), "tessera.elf"))
    if "boot-default" in names or "boot-tessera" in names:
        need += [os.path.join(tessera_out("default"), "tessera.elf"), RTOS_ELF, INSN_PLUGIN]
    if any(n.startswith("xen") or n == "boot-xen" for n in names):
        need.append(XEN)
    if "noisy" in names:
        need.append(os.path.join(tessera_out(NOISY_VARIANT), "tessera.elf"))
    if "linux-bare" in names or "linux-tessera" in names:
        need += [os.path.join(tessera_out(LINUX_CONFIG), "tessera.elf"), LINUX_ZIMAGE,
                 LINUX_INITRD, INSN_PLUGIN]
    missing = [p for p in need if not os.path.exists(p)]
    if missing:
        raise BenchError("missing %s (make bench builds them; Xen: tools/deps.sh bench)"
                         % ", ".join(os.path.relpath(p, ROOT) for p in missing))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=2, help="runs of each system (default 2)")
    ap.add_argument("--only", default="", help="comma-separated systems to run")
    ap.add_argument("--no-docs", action="store_true", help="do not write docs/bench.*")
    ap.add_argument("--out", default=os.path.join(BUILD, "bench"), help="logs and work files")
    args = ap.parse_args()

    try:
        work = os.path.abspath(args.out)
        os.makedirs(work, exist_ok=True)
        all_runs = ["native", "tessera", "tessera-smp-peer", "xen", "xen-slop0",
                    "boot-tessera", "boot-default",
                    "boot-xen", "noisy", "linux-bare", "linux-tessera"]
        names = [n for n in args.only.split(",") if n] or all_runs
        unknown = set(names) - set(all_runs)
        if unknown:
            print("bench: unknown system(s): %s" % ", ".join(sorted(unknown)), file=sys.stderr)
            return 2
        check_inputs(names)
        if "linux-bare" in names:
            linux_dtb()
        specs = system_runs()
        results, problems = {}, []
        for name in names:
            runs = []
            for i in range(1, args.runs + 1):
                print("bench: %s, run %d of %d: %s" % (name, i, args.runs, specs[name].desc),
                      flush=True)
                r = run_system(name, specs[name], work, i)
                print("bench:   %.1f s" % r["seconds"], flush=True)
                runs.append(r)
            first = runs[0]
            for i, r in enumerate(runs[1:], 2):
                if any(r[k] != first[k] for k in ("figures", "hits", "memory", "entries",
                                                  "noise", "stats", "watch")):
                    problems.append("%s: run %d differs from run 1" % (name, i))
            results[name] = first
    except BenchError as e:
        print("bench: FAILED: %s" % e, file=sys.stderr)
        return 1

    fp = footprint("default")
    every = footprint("every-feature")
    sl = source_lines()
    meta = {
        "git": subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                              capture_output=True, text=True).stdout.strip() or "unknown",
        "date": time.strftime("%Y-%m-%d"),
        "qemu": subprocess.run([QEMU, "--version"], capture_output=True,
                               text=True).stdout.split("\n")[0].replace("QEMU emulator version ",
                                                                         ""),
        "runs": args.runs,
        "deterministic": not problems,
        "xen": xen_version(),
    }
    print("bench: Xen measured: %s" % meta["xen"])
    print()
    print(text_table(HEADER, table_rows(results)))
    print()
    print(text_table(["from QEMU's reset to", "instructions"],
                     [[w, str(c)] for w, c in boot_lengths(results)]))
    print()
    print(text_table(PER_CPU_HEADER, per_cpu_rows(results)))
    print()
    print(text_table(LINUX_HEADER, linux_rows(results)))
    print()
    print(text_table(["footprint (%s system)" % fp["config"], "size", "notes"],
                     footprint_rows(fp, sl, every)))
    if "noisy" in results:
        print()
        print(text_table(NOISY_HEADER, noisy_rows(results)))
        print()
        print(text_table(STATS_HEADER, stats_rows(results)))
        print()
        print(text_table(["longest wait for a shared lock", "ticks"], lock_rows(results)))
    if not args.no_docs:
        doc = {"meta": meta,
               "targets": {n: t for n, _, t, _, _ in FIGURES if t is not None},
               "issue_reference": {n: {"xen": x, "floor": f} for n, _, _, x, f in FIGURES
                                   if x is not None},
               "systems": {n: {"figures": r["figures"], "entries": r["entries"],
                               "memory": r["memory"], "noise": r["noise"], "stats": r["stats"],
                               "boot_hits": [{"label": l, "cpu": c, "icount": v}
                                             for l, c, v in r["hits"]]}
                           for n, r in results.items()},
               "boot": [{"what": w, "instructions": c} for w, c in boot_lengths(results)],
               "linux_boot": linux_rows(results),
               "boot_per_cpu": [dict(zip(["partition", "cpu", "at_partition_boot",
                                          "at_share_hashed", "at_partition_start", "at_entry",
                                          "board_estimate"],
                                         row)) for row in boot_per_cpu(results)],
               "footprint": fp, "footprint_every_feature": every, "source_lines": sl}
        with open(os.path.join(ROOT, "docs", "bench.json"), "w") as f:
            json.dump(doc, f, indent=1, sort_keys=True)
            f.write("\n")
        with open(os.path.join(ROOT, "docs", "bench.md"), "w") as f:
            f.write(render_markdown(results, fp, sl, meta, every) + "\n")
        print("\nbench: wrote docs/bench.md and docs/bench.json")
    if problems:
        for p in problems:
            print("bench: FAILED: %s" % p, file=sys.stderr)
        return 1
    print("bench: every system gave identical figures in %d runs" % args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
