"""The QEMU integration-test harness.

A test boots one image in a fresh QEMU, feeds it input if asked, and checks
what the console printed: patterns that must appear (`expect`), patterns that
must not (`forbid`; a hypervisor PANIC is always forbidden unless expected),
and an optional `check(output)` function for anything richer.  A run ends
when `done` appears (or, without `done`, when every expectation has been
seen), when QEMU exits, or at `timeout` seconds - which is a failure.
A test may `prepare` extra files from the build's outputs (a disk image) before
QEMU starts; tests whose -drive options name the same image file take turns.

Test files are tests/qemu/test_*.py; each defines TESTS, a list of QemuTest.
"""
import glob
import importlib.util
import io
import os
import re
import select
import subprocess
import threading
import time

VIRT = ["-M", "virt,virtualization=on,gic-version=2", "-cpu", "cortex-a15", "-smp", "4",
        "-m", "1024"]

# Instruction counting (PLATFORM-NOTES.md): the virtual clock advances one
# nanosecond per instruction and idle time in WFI is skipped, so timing seen
# by the guests is exact and every run identical, whatever the host's load.
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]


def image_loader_args(out, root=".", replace=None):
    """QEMU's generic loader options placing every guest image of the build in the image
    store, as tcfg laid it out ({out}/gen/images.txt: address, size, SHA-256, file);
    replace maps an image's file name to another file to hand QEMU in its place."""
    args = []
    with open(os.path.join(root, out, "gen", "images.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            addr, _size, _sha, path = line.rstrip("\n").split(" ", 3)
            path = (replace or {}).get(os.path.basename(path), path)
            args += ["-device", "loader,file=%s,addr=%s,force-raw=on" % (path, addr)]
    return args


def out_dir(build):
    """Where `make` puts the image for these build variables (mirrors the Makefile)."""
    platform = build.get("PLATFORM", "qemu-virt")
    variant = build.get("CONFIG", "default")
    if build.get("VMID_BITS", "8") != "8":
        variant += "-vmid" + build["VMID_BITS"]
    if build.get("SELFTEST"):
        variant += "-" + build["SELFTEST"]
    if build.get("UART_BAUD"):
        variant += "-baud" + build["UART_BAUD"]
    if build.get("FIT_LOCKED"):
        variant += "-locked"
    return os.path.join("build", platform, variant)


class QemuTest:
    def __init__(self, name, doc, build=None, machine=None, args=None, kernel=True,
                 timeout=30, expect=(), forbid=(), done=None, check=None, inputs=(),
                 build_targets=("all",), grace=0.2, expect_exit=None, prepare=None,
                 icount=True, images=None, qemu_log=None, log_check=None):
        self.name = name
        self.doc = doc
        self.build = dict(build or {})
        self.machine = list(machine if machine is not None else VIRT)
        self.args = list(args or [])
        self.kernel = kernel
        self.timeout = timeout
        self.expect = [re.compile(p, re.M) for p in expect]
        self.forbid = [re.compile(p, re.M) for p in forbid]
        if not any("PANIC" in p.pattern for p in self.expect):
            self.forbid.append(re.compile(r"PANIC"))
        self.done = re.compile(done, re.M) if done else None
        self.check = check
        self.inputs = [(re.compile(w, re.M), data) for w, data in inputs]
        self.build_targets = build_targets
        self.grace = grace
        self.expect_exit = expect_exit
        self.icount = icount
        # With kernel (-kernel tessera.elf), the guest images go into the image store through
        # QEMU's generic loader; images maps an image's file name to a file to load in its
        # place (a path with {out} and {root}, e.g. a corrupted copy made by prepare).
        self.images = dict(images or {})
        # prepare(root, out): run after the build, before QEMU (e.g. to make a disk image
        # from the build's outputs); returns a list of problems, empty if all went well.
        self.prepare = prepare
        # qemu_log: a file name in the build's output directory that QEMU's own log (-D,
        # e.g. a plugin's lines with -d plugin) goes to, apart from the guests' console;
        # log_check(log text) returns a list of problems, as check does for the console.
        self.qemu_log = qemu_log
        self.log_check = log_check

    def skip_reason(self, root):
        """Why the test cannot run here (asked before it is built), or None."""
        return None

    def command(self, root):
        out = out_dir(self.build)
        cmd = ["qemu-system-arm", "-nographic", "-nic", "none"] + self.machine
        if self.icount:
            cmd += ICOUNT
        if self.kernel:
            cmd += ["-kernel", os.path.join(out, "tessera.elf")]
            cmd += image_loader_args(out, root, {k: v.format(out=out, root=root)
                                                 for k, v in self.images.items()})
        cmd += [a.format(out=out, root=root) for a in self.args]
        if self.qemu_log:
            cmd += ["-D", os.path.join(out, self.qemu_log)]
        return cmd

    def finished(self, text):
        if self.done:
            return bool(self.done.search(text))
        return all(p.search(text) for p in self.expect)

    def disk_images(self, root):
        """Image files the command line opens with -drive file=...: QEMU locks them."""
        out = out_dir(self.build)
        drives = [a.format(out=out, root=root) for opt, a in zip(self.args, self.args[1:])
                  if opt == "-drive"]
        return sorted(set(m.group(1) for d in drives
                          for m in re.finditer(r"(?:^|,)file=([^,]+)", d)))

    def run(self, root, log_dir):
        # Tests that open the same disk image (QEMU locks it for writing) take turns.
        locks = [_image_lock(path) for path in self.disk_images(root)]
        for lock in locks:
            lock.acquire()
        try:
            return self._run(root, log_dir)
        finally:
            for lock in reversed(locks):
                lock.release()

    def _run(self, root, log_dir):
        if self.prepare:
            problems = list(self.prepare(root, out_dir(self.build)) or [])
            if problems:
                return "FAIL qemu.%s: %s" % (self.name, "; ".join(problems[:4]))
        cmd = self.command(root)
        if self.qemu_log and os.path.exists(os.path.join(root, cmd[cmd.index("-D") + 1])):
            os.remove(os.path.join(root, cmd[cmd.index("-D") + 1]))
        start = time.time()
        proc = subprocess.Popen(cmd, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)
        chunks = []
        text = ""
        pending = list(self.inputs)
        timed_out = False
        finished_at = None
        fd = proc.stdout.fileno()
        while True:
            now = time.time()
            if finished_at is not None and now - finished_at >= self.grace:
                break
            if now - start > self.timeout:
                timed_out = True
                break
            ready, _, _ = select.select([fd], [], [], 0.05)
            if ready:
                data = os.read(fd, 65536)
                if not data:  # QEMU closed its output: it is exiting, let it finish
                    try:
                        proc.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        pass
                    break
                chunks.append(data)
                text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
                while pending and pending[0][0].search(text):
                    _, send = pending.pop(0)
                    proc.stdin.write(send if isinstance(send, bytes) else send.encode())
                    proc.stdin.flush()
                if finished_at is None and not pending and self.finished(text):
                    finished_at = time.time()
            elif proc.poll() is not None:
                break
        exited = proc.poll()
        if exited is None:
            proc.kill()
        proc.wait()
        elapsed = time.time() - start

        os.makedirs(log_dir, exist_ok=True)
        log = os.path.join(log_dir, "qemu.%s.log" % self.name)
        with open(log, "w") as f:
            f.write("$ " + " ".join(cmd) + "\n" + text)

        problems = []
        if timed_out and not (self.done is None and self.finished(text)):
            what = self.done.pattern if self.done else "the expected output"
            problems.append("timed out after %d s waiting for /%s/" % (self.timeout, what))
        for p in self.expect:
            if not p.search(text):
                problems.append("missing /%s/" % p.pattern)
        for p in self.forbid:
            m = p.search(text)
            if m:
                line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
                problems.append("forbidden /%s/ in: %s" % (p.pattern, line.strip()[:160]))
        if self.expect_exit is not None and exited != self.expect_exit:
            problems.append("QEMU exit status %s, expected %s" % (exited, self.expect_exit))
        if self.check and not problems:
            problems += list(self.check(text) or [])
        if self.qemu_log:
            path = os.path.join(root, cmd[cmd.index("-D") + 1])
            with open(path, errors="replace") if os.path.exists(path) else io.StringIO() as f:
                qemu_log = f.read()
            with open(os.path.join(log_dir, "qemu.%s.qemu-log" % self.name), "w") as f:
                f.write(qemu_log)
            if self.log_check and not problems:
                problems += list(self.log_check(qemu_log) or [])
        if problems:
            return "FAIL qemu.%s: %s (%.1f s, log: %s)" % (self.name, "; ".join(problems[:4]),
                                                       elapsed, os.path.relpath(log, root))
        return "PASS qemu.%s (%.1f s)" % (self.name, elapsed)


_image_locks = {}
_image_locks_guard = threading.Lock()


def _image_lock(path):
    with _image_locks_guard:
        return _image_locks.setdefault(path, threading.Lock())


def load_all(directory):
    tests = []
    for path in sorted(glob.glob(os.path.join(directory, "test_*.py"))):
        name = os.path.splitext(os.path.basename(path))[0]
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        tests.extend(module.TESTS)
    return tests
