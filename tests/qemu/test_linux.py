"""Linux beside an RTOS (issue 15): Debian's own armhf LPAE kernel and a busybox initramfs
in a two-vCPU partition (configs/qemu-virt/linux-rtos.dts), the RTOS's sensor demo beside it.

One QEMU run serves every check, because a Linux boot is the expensive part: Linux reaches
user space; its initramfs (guests/linux/rcS) mounts the virtio disk passed through
(identity-mapped partition) and reads a file, finds the PL031 RTC as rtc0 and reports SMCCC
1.1; then a kernel panic (sysrq 'c') restarts only the Linux partition a second later
(panic=1 in the configuration's bootargs), which comes back to user space; then
`poweroff` stops it for good, and the RTOS, which printed all along, keeps printing with no
reading lost.

The same system on the Allwinner H3 (configs/allwinner-h3/linux-rtos.dts), booted by Debian's
U-Boot from the SD image on QEMU's orangepi-pc, gets the same checks in one run, less what the
board lacks (docs/h3-notes.md): no virtio disk, the board's RTC in place of the PL031.

The kernel and busybox come from Debian through `tools/deps.sh linux` (the build runs it);
without a network the cases are skipped, saying so.
"""
import os
import re
import subprocess

from qemutest import VIRT, QemuTest
from test_uboot import hypervisor_up, on_h3

LINUX_OUT = "build/guests/linux"
# BusyBox's prompt.  A slow moment of the host between its bytes can send it out in two lines
# (the console sends a partial line after 50 ms, hyp/dev/vuart.c): "[linux] /", then
# "[linux]  # ".  Either form is the prompt.
PROMPT = r"^\[linux\] (?:/ # | ?# )"


def fetch(root):
    """Fetch the Debian packages; a reason to skip if the network is not there."""
    r = subprocess.run(["tools/deps.sh", "linux"], cwd=root, capture_output=True, text=True,
                       timeout=600)
    if r.returncode == 0:
        return None
    text = r.stdout + r.stderr
    if re.search(r"Temporary failure resolving|Could not resolve|Failed to fetch|"
                 r"Network is unreachable|Could not connect|could not download", text):
        return "Debian's kernel and busybox-static could not be fetched (no network?): " + \
            text.strip().splitlines()[-1]
    return None  # some other problem: let the build fail and say why


def rtos_seqs(text):
    """The readings the RTOS printed, in order.  The console may send a line out in pieces (a
    partial line goes out after 50 ms, hyp/dev/vuart.c: the RTOS's vCPU stalled by a busy
    host in mid-line), so its lines are searched joined end to end."""
    joined = "".join(re.findall(r"^\[rtos\] (.*)$", text, re.M))
    return [int(s) for s in re.findall(r"producer: sent seq=(\d+) ", joined)]


def count_lines(text, want, pieces=4):
    """How many lines match want (a pattern anchored at a "[tag] " line start), a line the
    console sent in pieces counted once: a partial line goes out after 50 ms
    (hyp/dev/vuart.c), so a line Linux's serial driver writes slowly on a busy host (seen: an
    H3 boot under CI's load, one line in three pieces) is seen as several lines of its tag,
    which are tried joined (up to 'pieces') when none of them matches alone."""
    tag = re.match(r"\^\\\[(\w+)\\\] ", want)
    if not tag:
        return len(re.findall(want, text, re.M))
    prefix = "[%s] " % tag.group(1)
    lines = [line for line in text.splitlines() if line.startswith(prefix)]
    n = i = 0
    while i < len(lines):
        joined = lines[i]
        for k in range(pieces):
            if k and (i + k >= len(lines) or re.search(want, lines[i + k])):
                break
            if k:
                joined += lines[i + k][len(prefix):]
            if re.search(want, joined):
                n += 1
                i += k
                break
        i += 1
    return n


def check(text, wants=None):
    """The checks of one run: each of wants (default: QEMU virt's) seen once per Linux boot,
    the reboot and the poweroff contained, the RTOS undisturbed."""
    problems = []
    for want in wants or (r"^\[linux\] linux-rtos: user space up, 2 CPUs",
                 r"^\[linux\] linux-rtos: disk: hello from the virtio disk",
                 r"^\[linux\] linux-rtos: rtc0: rtc-pl031",
                 r"^\[linux\] linux-rtos: SMC Calling Convention v1\.1",
                 # its PMU: the core's 6 event counters less the hypervisor's, and the cycle counter
                 r"^\[linux\] \[ *[\d.]+\] hw perfevents: enabled with armv7_cortex_a15 PMU "
                 r"driver, 6 counters available",
                 # the channel both ways: 100 requests to the RTOS, 100 answers, each
                 # doorbell an edge on the emulated PL061's input line
                 r"^\[linux\] linux-rtos: channel: tchan: link sent=100 recv=100 lost=0 "
                 r"corrupt=0 doorbells=[1-9]\d*$"):
        n = count_lines(text, want)
        if n != 2:  # once per Linux boot: before and after the reboot
            problems.append("/%s/ seen %d times, expected 2 (one per boot)" % (want, n))
    reboot = text.find("partition 0 (linux): start 2")
    off = text.find("partition 0 (linux): stopping (PSCI SYSTEM_OFF)")
    if reboot < 0:
        problems.append("reboot did not restart the Linux partition")
    if off < 0 or off < reboot:
        problems.append("poweroff did not stop the Linux partition after its reboot")
        return problems
    # The RTOS: one start, never stopped, its readings consecutive from start to end, and
    # still coming well after Linux switched off.
    if len(re.findall(r"partition 1 \(rtos\): (start|stopping|restarting)", text)) != 1:
        problems.append("the RTOS partition was started, stopped or restarted again")
    seqs = rtos_seqs(text)
    if not seqs or any(b <= a for a, b in zip(seqs, seqs[1:])):
        problems.append("the RTOS's readings do not follow each other")
    elif not re.search(r"console: rtos: \d+ lines", text) and \
            seqs != list(range(seqs[0], seqs[0] + len(seqs))):
        # A line the console dropped (and said so) is not a lost reading; any other gap is.
        problems.append("the RTOS's readings are not consecutive")
    after = rtos_seqs(text[off:])
    if len(after) < 10:
        problems.append("only %d RTOS readings after Linux switched off" % len(after))
    if re.search(r"^\[rtos\] stats: .*(dropped|lost)=[1-9]", text, re.M):
        problems.append("the RTOS reports dropped or lost readings")
    # The RTOS's end of the channel: both runs of Linux's program, every request taken in
    # order and answered, none lost or corrupt.
    link = re.findall(r"^\[rtos\] link: (recv=\d+ lost=\d+ corrupt=\d+ sent=\d+ full=\d+) "
                      r"doorbells=(\d+)", text, re.M)
    if not link or link[-1][0] != "recv=200 lost=0 corrupt=0 sent=200 full=0" or \
            int(link[-1][1]) < 1:
        problems.append("the RTOS's channel counts are %s, expected recv=200 lost=0 "
                        "corrupt=0 sent=200 full=0" % (" ".join(link[-1]) if link else "absent"))
    return problems


def crash_then_check(text):
    """check's, the first boot ended by a kernel panic (sysrq 'c'): one panic, before the
    restart, which panic=1 asked for (PSCI SYSTEM_RESET, not a fault or a stop)."""
    problems = check(text)
    panics = [m.start() for m in re.finditer(r"Kernel panic - not syncing: sysrq triggered "
                                             r"crash", text)]
    restart = text.find("partition 0 (linux): restarting (PSCI SYSTEM_RESET)")
    if len(panics) != 1 or restart < 0 or panics[0] > restart:
        problems.append("expected one kernel panic, then the partition restarting by PSCI "
                        "SYSTEM_RESET (panic=1): panics at %s, restart at %d" % (panics, restart))
    return problems


class LinuxTest(QemuTest):
    def skip_reason(self, root):
        return fetch(root)


TESTS = [
    LinuxTest(
        "linux.beside_rtos",
        "Debian's LPAE kernel in a 2-vCPU partition beside the RTOS: user space, the "
        "passed-through virtio disk mounted and a file read (identity-mapped partition), the "
        "PL031 as rtc0, SMCCC 1.1 through PSCI_FEATURES, its PMU probed, 100 records each way "
        "over a channel with the RTOS (/dev/mem and the emulated PL061's GPIO lines); a kernel "
        "panic restarts only Linux (panic=1), which comes back; `poweroff` stops it and the "
        "RTOS keeps printing, no reading lost",
        build={"CONFIG": "linux-rtos"},
        args=["-drive", "if=none,id=disk0,file=" + LINUX_OUT + "/disk.ext4,format=raw,"
              "readonly=on", "-device", "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0"],
        machine=VIRT,
        # A crash in place of `reboot`: the same SYSTEM_RESET, by panic=1 (the config's
        # bootargs); the H3 case below restarts with `reboot`.
        inputs=[(PROMPT, "echo c > /proc/sysrq-trigger\n"),
                (r"(?s)partition 0 \(linux\): start 2.*" + PROMPT[1:], "poweroff\n")],
        expect=[r"partition 0 \(linux\): start 2",
                r"partition 0 \(linux\): stopping \(PSCI SYSTEM_OFF\)"],
        forbid=[r"Kernel panic - not syncing: (?!sysrq triggered crash)", r"Oops",
                r"\[tessera\].*(fault|abort)"],
        done=r"(?s)stopping \(PSCI SYSTEM_OFF\)(.*?\[rtos\] producer: sent){12}",
        check=crash_then_check,
        timeout=240,
        icount=False,  # Linux boots in seconds in real time, minutes counting instructions
    ),
]


# ---- The same system on the Allwinner H3, through U-Boot (issue 15) ----------------------

# configs/allwinner-h3/linux-rtos.dts: the same partitions, the guest view of QEMU virt; the
# board's RTC in place of the PL031, no virtio (no disk), the Cortex-A7's PMU.
H3_WANTS = (r"^\[linux\] linux-rtos: user space up, 2 CPUs",
            r"^\[linux\] linux-rtos: disk: none \(no virtio device\)",
            r"^\[linux\] linux-rtos: rtc0: sun6i-rtc 1f00000\.sun8i-h3-rtc",
            r"^\[linux\] linux-rtos: SMC Calling Convention v1\.1",
            r"^\[linux\] \[ *[\d.]+\] OF: fdt: Machine model: tessera,linux",
            # the Cortex-A7's 4 event counters less the hypervisor's, and the cycle counter
            r"^\[linux\] \[ *[\d.]+\] hw perfevents: enabled with armv7_cortex_a7 PMU "
            r"driver, 4 counters available",
            r"^\[linux\] linux-rtos: channel: tchan: link sent=100 recv=100 lost=0 "
            r"corrupt=0 doorbells=[1-9]\d*$")

# What only one board has in its Linux partition's device tree: QEMU virt's virtio transport
# and PL031, the H3's RTC.  The PMU node differs by its compatible (the boards' cores).
BOARD_ONLY = {"qemu-virt": ("mmio@a000000", "pl031@9010000"),
              "allwinner-h3": ("sun8i-h3-rtc@1f00000",)}


def linux_tree(root, board, work):
    """The Linux partition's device tree of configs/<board>/linux-rtos.dts (tcfg --dtbs) as
    {node: text}, "/" holding the root's own properties; or a string saying what failed."""
    os.makedirs(work, exist_ok=True)
    dtbs = {}
    for name, src in (("platform", "platform/%s/platform.dts" % board),
                      ("system", "configs/%s/linux-rtos.dts" % board)):
        dtbs[name] = os.path.join(work, name + ".dtb")
        r = subprocess.run(["dtc", "-q", "-W", "no-unit_address_vs_reg", "-I", "dts", "-O",
                            "dtb", "-o", dtbs[name], src], cwd=root, capture_output=True,
                           text=True)
        if r.returncode:
            return "dtc %s: %s" % (src, r.stderr.strip()[-200:])
    r = subprocess.run(["build/host/tcfg", "--platform", dtbs["platform"], "--system",
                        dtbs["system"], "--name", "linux-rtos", "--vmid-bits", "8", "--images",
                        "build/guests", "--dtbs", work], cwd=root, capture_output=True,
                       text=True)
    if r.returncode:
        return "tcfg --dtbs for %s: %s" % (board, r.stderr.strip()[-200:])
    dts = subprocess.run(["dtc", "-q", "-I", "dtb", "-O", "dts", os.path.join(work, "linux.dtb")],
                         capture_output=True, text=True).stdout
    nodes = dict(re.findall(r"^\t(\S+) \{\n(.*?)^\t\};", dts, re.M | re.S))
    nodes["/"] = "".join(re.findall(r"^\t[^\t{}]*;\n", dts, re.M))
    return nodes


def same_machine(root, out):
    """prepare: Linux on the H3 sees QEMU virt's machine: the two systems' device trees for
    the Linux partition hold the same nodes with the same contents, but for what one board
    alone has (BOARD_ONLY) and the cores' and the PMU's compatibles."""
    work = os.path.join(root, "build", "test-work", "h3-linux-dt")
    trees = {}
    for board in BOARD_ONLY:
        trees[board] = linux_tree(root, board, os.path.join(work, board))
        if isinstance(trees[board], str):
            return ["prepare: " + trees[board]]
        trees[board]["pmu"] = re.sub(r"cortex-a(7|15)-pmu", "PMU", trees[board].get("pmu", ""))
        trees[board]["cpus"] = re.sub(r"arm,cortex-a(7|15)\b", "CPU",
                                      trees[board].get("cpus", ""))
        for name in BOARD_ONLY[board]:
            if trees[board].pop(name, None) is None:
                return ["prepare: %s's Linux device tree has no %s" % (board, name)]
    virt, h3 = trees["qemu-virt"], trees["allwinner-h3"]
    return ["Linux's device tree: /%s %s on the H3 (configs/allwinner-h3/linux-rtos.dts) as "
            "on QEMU virt" % (n, "is not the same" if n in virt and n in h3 else
                               "is missing" if n in virt else "is extra")
            for n in sorted(set(virt) | set(h3)) if virt.get(n) != h3.get(n)]


TESTS += [
    LinuxTest(
        "uboot.h3_linux_rtos",
        "Allwinner H3 (QEMU orangepi-pc): Debian's U-Boot boots the FIT of the Linux-beside-"
        "an-RTOS system from sd.img (kernel, initramfs and RTOS as hashed loadables in an image "
        "store moved below Linux's RAM); Linux sees QEMU virt's machine (its device tree, from "
        "tcfg --dtbs, the same as on virt but for the boards' own devices and PMU: RAM at "
        "0x50000000, PL011, GIC, timer, PSCI), gets 2 CPUs, the board's RTC as rtc0 and SMCCC 1.1; "
        "`reboot` restarts only Linux, `poweroff` stops it, and the RTOS keeps printing, no "
        "reading lost",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "linux-rtos"},
        **on_h3(),
        prepare=same_machine,
        inputs=[(PROMPT, "reboot\n"),
                (r"(?s)partition 0 \(linux\): start 2.*" + PROMPT[1:], "poweroff\n")],
        expect=[r"Found U-Boot script /boot\.scr",
                r"Trying 'zImage' loadables subimage",
                r"Loading loadables from 0x\w+ to 0x4c000000",
                r"Trying 'initramfs\.cpio\.gz' loadables subimage"]
        + hypervisor_up("allwinner-h3")
        + [r"partition 0 \(linux\): start 1, .*entry 0x52000000, device tree at 0x58000000",
           r"partition 0 \(linux\): start 2",
           r"partition 0 \(linux\): stopping \(PSCI SYSTEM_OFF\)"],
        forbid=[r"Kernel panic", r"Oops", r"\[tessera\].*(fault|abort|ERROR)",
                r"SCRIPT FAILED", r"Bad hash"],
        done=r"(?s)stopping \(PSCI SYSTEM_OFF\)(.*?\[rtos\] producer: sent){12}",
        check=lambda text: check(text, H3_WANTS),
        timeout=180,
    ),
]
