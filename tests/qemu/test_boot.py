"""Issue 2: the hypervisor boots on every CPU in Hyp mode, refuses to run
outside Hyp mode, and dumps registers on an exception in Hyp mode."""
import os
import pty
import re
import select
import shutil
import signal
import socket
import subprocess
import time

from qemutest import QemuTest, VIRT, image_loader_args, out_dir

WORK = os.path.join("build", "test-work")
PRELOAD = os.path.join(WORK, "preload-mmu-on.elf")


def build_preloader(root, out):
    """tests/qemu/preload/mmu_on.S, a loader that enters 0x48000000 in HYP mode with its
    own Hyp MMU and caches on (as U-Boot's 'go' from HYP mode does)."""
    os.makedirs(os.path.join(root, WORK), exist_ok=True)
    proc = subprocess.run(["arm-none-eabi-gcc", "-march=armv7ve", "-nostdlib",
                           "-Ttext=0x40000000", "-o", PRELOAD,
                           "tests/qemu/preload/mmu_on.S"], cwd=root, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    return ["prepare: %s" % proc.stdout.strip()[-300:]] if proc.returncode else []


class GdbCtrlC(QemuTest):
    """make debug's tools/debug.sh under a terminal, as a user runs it: 'continue', then
    Ctrl-C at the terminal, which the line discipline sends as SIGINT to the whole
    foreground process group.  gdb must stop the target and read its registers, and QEMU
    must not die of that SIGINT; then 'continue' and the terminal closes: QEMU must not
    outlive it (hung up, as gdb is)."""

    def skip_reason(self, root):
        if not shutil.which("gdb-multiarch"):
            return "gdb-multiarch is not installed (make debug installs it)"
        return None

    def _run(self, root, log_dir):
        out = out_dir(self.build)
        with socket.socket() as s:  # a free port for the stub
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        argv = (["sh", "tools/debug.sh", os.path.join(out, "tessera.elf")] + VIRT
                + image_loader_args(out, root))
        pid, fd = pty.fork()
        if pid == 0:
            os.chdir(root)
            os.environ["GDB_PORT"] = str(port)
            os.environ["TERM"] = "dumb"
            os.execvp(argv[0], argv)
        text = ""
        problems = []

        def until(pattern, timeout):
            nonlocal text
            end = time.time() + timeout
            while time.time() < end:
                if re.search(pattern, text):
                    return True
                ready, _, _ = select.select([fd], [], [], 0.1)
                if ready:
                    try:
                        data = os.read(fd, 65536)
                    except OSError:
                        return False
                    if not data:
                        return False
                    text += data.decode("utf-8", "replace")
            return bool(re.search(pattern, text))

        start = time.time()
        steps = [(None, r"\(gdb\) $"), (b"continue\n", r"Continuing\."),
                 (b"\x03", r"received signal SIGINT[\s\S]*\(gdb\) $"),
                 (b"info registers pc\n", r"pc\s+0x[0-9a-f]+[\s\S]*\(gdb\) $")]
        for send, want in steps:
            if send == b"\x03":
                time.sleep(1)  # let it boot a little
            if send:
                text = ""
                os.write(fd, send)
            if not until(want, 20):
                problems.append("after %r: no /%s/" % (send, want))
                break
        if not problems:  # running again, then the terminal closes
            text = ""
            os.write(fd, b"continue\n")
            if not until(r"Continuing\.", 20):
                problems.append("after continue: no /Continuing./")
        log_text = text
        time.sleep(0.5)
        os.close(fd)  # a hangup for everything still running in the terminal
        for _ in range(100):
            if os.waitpid(pid, os.WNOHANG)[0]:
                break
            time.sleep(0.1)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if "terminating on signal" in log_text:
            problems.append("QEMU died of the terminal's SIGINT")
        with socket.socket() as s:  # nor must QEMU outlive the terminal
            if s.connect_ex(("127.0.0.1", port)) == 0:
                problems.append("QEMU still serves its gdb stub after the terminal closed")
        os.makedirs(log_dir, exist_ok=True)
        log = os.path.join(log_dir, "qemu.%s.log" % self.name)
        with open(log, "w") as f:
            f.write("$ GDB_PORT=%d %s\n%s" % (port, " ".join(argv), log_text))
        if problems:
            return "FAIL qemu.%s: %s (log: %s)" % (self.name, "; ".join(problems),
                                                   os.path.relpath(log, root))
        return "PASS qemu.%s (%.1f s)" % (self.name, time.time() - start)


CPU_UP = r"cpu%d: up, MPIDR 0x8000000%d, HYP mode, MMU on, D-cache on, I-cache on"

TESTS = [
    QemuTest(
        "boot.banner",
        "banner, then all four CPUs up in HYP mode with the MMU and caches on",
        expect=[r"Tessera \d+\.\d+\.\d+ \(.+\), a static-partitioning hypervisor",
                r"platform qemu-virt, 4 CPUs",
                r"GIC: QEMU's model detected, 1 ms re-evaluation tick on$"]
        + [CPU_UP % (i, i) for i in range(4)]
        + [r"4 of 4 CPUs up in HYP mode"],
        forbid=[r"ERROR"],
        timeout=20,
    ),
    QemuTest(
        "boot.refuses_svc_mode",
        "without virtualization=on the CPU starts in SVC mode: a clear refusal",
        machine=[a.replace(",virtualization=on", "") for a in VIRT],
        expect=[r"Tessera cannot start: the CPU is not in HYP mode",
                r"entered in SVC mode",
                r"-M virt,virtualization=on",
                r"'bootm'",
                r"^Halted\."],
        forbid=[r"\[tessera\]"],
        timeout=20,
    ),
    QemuTest(
        "boot.hyp_fault_dump",
        "a deliberate data abort in Hyp mode prints a full register dump and stops that CPU",
        build={"SELFTEST": "hyp-fault"},
        expect=[r"PANIC: cpu0: unexpected exception in Hyp mode: data abort \(vector 0x10\)",
                r"HSR     0x9\w{7}  EC 0x25 \(data abort taken in Hyp mode\).*"
                r"translation fault, level \d, read",
                r"HDFAR   0xfffff000",
                r"ELR_hyp 0x48\w{6}  SPSR  0x\w{8}  CPU 0",
                r"r0  0x\w{8}  r1  0x\w{8}  r2  0x\w{8}  r3  0x\w{8}",
                r"r12 0x\w{8}  sp  0x\w{8}  lr  0x\w{8}",
                r"cpu0 stopped"],
        timeout=20,
    ),
    QemuTest(
        "boot.refuses_cntfrq_zero",
        "a firmware that left CNTFRQ 0 (its reset value is UNKNOWN and only Secure state "
        "writes it; QEMU presets it): a clear refusal, not timeouts that all expire at once "
        "and guests whose clocks stop",
        build={"SELFTEST": "cntfrq-zero"},
        expect=[r"ERROR: cpu0: CNTFRQ reads 0: the firmware did not program the generic "
                r"timer's frequency \(only Secure state can\): halted, nothing started"],
        forbid=[r"CPUs up in HYP mode"],
        timeout=20,
    ),
    QemuTest(
        "boot.refuses_cntfrq_mismatch",
        "a secondary CPU whose firmware programmed another CNTFRQ than the boot CPU's: that "
        "CPU halts with a message naming both values (its guests would read another timer "
        "frequency than the counter's, its timeouts would be off), the boot CPU does not "
        "wait out its timeout for it, the others go on",
        build={"SELFTEST": "cntfrq-mismatch"},
        expect=[r"ERROR: cpu3: CNTFRQ reads 24000000, the boot CPU's 62500000: the firmware "
                r"must program the same frequency on every CPU \(only Secure state can\): "
                r"halted$",
                r"3 of 4 CPUs up in HYP mode"],
        forbid=[r"cpu[0-2]: CNTFRQ", r"did not come up"],
        timeout=20,
    ),
    QemuTest(
        "boot.store_read_only",
        "the image store is read-only in the hypervisor's own tables: a write to it from "
        "Hyp mode is a permission fault, so no stray write of the hypervisor's can change "
        "what a restart reloads",
        build={"SELFTEST": "store-write"},
        expect=[r"selftest: writing the image store at 0x(\w{8}) in Hyp mode",
                r"PANIC: cpu0: unexpected exception in Hyp mode: data abort",
                r"HSR     0x9\w{7}  EC 0x25 \(data abort taken in Hyp mode\).*"
                r"permission fault, level \d, write",
                r"cpu0 stopped"],
        check=lambda text: [] if re.search(
            r"HDFAR   0x%s" % re.search(r"image store at 0x(\w{8})", text).group(1), text)
        else ["HDFAR is not the store's address"],
        timeout=20,
    ),
    QemuTest(
        "boot.refuses_wrong_load_address",
        "the raw tessera.bin handed to QEMU's -kernel is loaded and entered at 0x40010000, "
        "not where it is linked: a clear refusal naming both addresses, not a silent hang",
        kernel=False,
        args=["-kernel", "{out}/tessera.bin"],
        expect=[r"Tessera cannot start: it was entered at 0x40010000, but it runs only "
                r"where it is linked, 0x48000000\.",
                r"a raw tessera\.bin must be loaded at 0x48000000",
                r"^Halted\."],
        forbid=[r"\[tessera\]"],
        timeout=20,
    ),
    QemuTest(
        "boot.refuses_mmu_on",
        "a loader that enters Tessera in HYP mode with its Hyp MMU and D-cache on (U-Boot's "
        "'go'): a clear refusal, not a boot whose first writes sit in a cache it then "
        "invalidates",
        kernel=False,
        prepare=build_preloader,
        args=["-kernel", os.path.join("{root}", PRELOAD),
              "-device", "loader,file={out}/tessera.bin,addr=0x48000000,force-raw=on"],
        expect=[r"Tessera cannot start: it was entered with the Hyp MMU on and the data "
                r"cache on \(HSCTLR 0x\w{8}\)",
                r"start it with 'bootm'",
                r"^Halted\."],
        forbid=[r"\[tessera\]"],
        timeout=20,
    ),
    GdbCtrlC(
        "boot.debug_ctrl_c",
        "make debug (tools/debug.sh) at a terminal: Ctrl-C after 'continue' stops the "
        "target in gdb, whose registers then read; QEMU does not die of the terminal's SIGINT",
    ),
]
