"""Linux beside an RTOS (issue 15): Debian's own armhf LPAE kernel and a busybox initramfs
in a two-vCPU partition (configs/qemu-virt/linux-rtos.dts), the RTOS's sensor demo beside it.

One QEMU run serves every check, because a Linux boot is the expensive part: Linux reaches
user space; its initramfs (guests/linux/rcS) mounts the virtio disk passed through
(identity-mapped partition) and reads a file, finds the PL031 RTC as rtc0 and reports SMCCC
1.1; then `reboot` restarts only the Linux partition, which comes back to user space; then
`poweroff` stops it for good, and the RTOS, which printed all along, keeps printing with no
reading lost.

The kernel and busybox come from Debian through `tools/deps.sh linux` (the build runs it);
without a network the case is skipped, saying so.
"""
import re
import subprocess

from qemutest import VIRT, QemuTest

LINUX_OUT = "build/guests/linux"
PROMPT = r"^\[linux\] / # "


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
    return [int(s) for s in re.findall(r"^\[rtos\] producer: sent seq=(\d+)", text, re.M)]


def check(text):
    problems = []
    for want in (r"^\[linux\] linux-rtos: user space up, 2 CPUs",
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
        n = len(re.findall(want, text, re.M))
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


class LinuxTest(QemuTest):
    def skip_reason(self, root):
        return fetch(root)


TESTS = [
    LinuxTest(
        "linux.beside_rtos",
        "Debian's LPAE kernel in a 2-vCPU partition beside the RTOS: user space, the "
        "passed-through virtio disk mounted and a file read (identity-mapped partition), the "
        "PL031 as rtc0, SMCCC 1.1 through PSCI_FEATURES, its PMU probed, 100 records each way "
        "over a channel with the RTOS (/dev/mem and the emulated PL061's GPIO lines); `reboot` "
        "restarts only Linux, which "
        "comes back; `poweroff` stops it and the RTOS keeps printing, no reading lost",
        build={"CONFIG": "linux-rtos"},
        args=["-drive", "if=none,id=disk0,file=" + LINUX_OUT + "/disk.ext4,format=raw,"
              "readonly=on", "-device", "virtio-blk-device,drive=disk0,bus=virtio-mmio-bus.0"],
        machine=VIRT,
        inputs=[(PROMPT, "reboot\n"),
                (r"(?s)partition 0 \(linux\): start 2.*" + PROMPT[1:], "poweroff\n")],
        expect=[r"partition 0 \(linux\): start 2",
                r"partition 0 \(linux\): stopping \(PSCI SYSTEM_OFF\)"],
        forbid=[r"Kernel panic", r"Oops", r"\[tessera\].*(fault|abort)"],
        done=r"(?s)stopping \(PSCI SYSTEM_OFF\)(.*?\[rtos\] producer: sent){12}",
        check=check,
        timeout=240,
        icount=False,  # Linux boots in seconds in real time, minutes counting instructions
    ),
]
