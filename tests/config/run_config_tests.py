#!/usr/bin/env python3
"""Tests of the configuration compiler, tools/tcfg.

Each tests/config/*.dts is one case, described by comment directives:

  /* expect: TEXT */          a bad case: tcfg must exit 1 and print TEXT in one of its
                              "tcfg: error:" lines (the directive may repeat)
  /* errors: N */             a bad case: exactly N "tcfg: error:" lines (one problem is
                              said once, not again by the rules that depend on it)
  /* rule: N */               the rule of docs/configuration.md a bad case exercises;
                              every rule 1..13 must have at least one case
  /* args: ARGS */            extra tcfg arguments
  /* image: NAME SIZE */      create an image file of SIZE bytes (default: rtos.bin, 64 KiB)
  /* zimage: NAME SIZE */     the same, with an ARM zImage's magic number at offset 0x24
  /* zimage: NAME SIZE klsz=INFLATED,BSS,TEXT_OFFSET */  and its size extension table
  /* warn: TEXT */            a good case that must print TEXT in a "tcfg: warning:" line
                              (and nothing else on stderr)
  /* platform: NAME */        run against platform/NAME's board description (default qemu-virt)
  /* board: OLD => NEW */     run against a copy of the board description with OLD replaced
  /* memory-map: LINE */      a good case: --memory-map must print a line starting with LINE
                              (blanks collapsed)
  /* compile-error: TEXT */   a good case whose config.c must fail to compile, saying TEXT

A case without "expect" is good: tcfg must succeed silently (but for its "warn" lines); its config.c must compile with
the host compiler (and with arm-none-eabi-gcc, if installed, using the hypervisor's flags);
and tests/config/check_tables.c, linked with the generated config.c, must pass.

Prints "PASS config.<case>" or "FAIL config.<case>: <why>" per case and exits 1 on any
failure.  Usage: run_config_tests.py [--tcfg PATH] [--work DIR] [--keep] [CASE...]
"""

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTS = os.path.join(ROOT, "tests", "config")
BOARD = os.path.join(ROOT, "platform", "qemu-virt")
DTC = ["dtc", "-q", "-W", "no-unit_address_vs_reg", "-I", "dts", "-O", "dtb"]
HOST_CFLAGS = ["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wconversion",
               "-Wmissing-prototypes", "-Wstrict-prototypes", "-Wvla", "-pedantic"]
CROSS_CFLAGS = ["-march=armv7ve", "-marm", "-ffreestanding", "-std=c11", "-Wall", "-Wextra",
                "-Werror", "-Wshadow", "-Wconversion", "-Wmissing-prototypes",
                "-Wstrict-prototypes", "-Wvla"]
RULES = range(1, 14)

results = []


def report(name, why=None):
    results.append(why is None)
    if why is None:
        print(f"PASS config.{name}", flush=True)
    else:
        why = " | ".join(line for line in str(why).strip().splitlines() if line.strip())
        print(f"FAIL config.{name}: {why}", flush=True)


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def directives(text):
    found = {}
    for key, value in re.findall(r"/\*\s*([a-z-]+):\s*(.*?)\s*\*/", text, re.S):
        found.setdefault(key, []).append(" ".join(value.split()))
    return found


def pattern_image(path, size, zimage=False, klsz=None):
    """Byte i of an image of n bytes is (i * 7 + n) & 0xff: check_tables.c verifies it
    (but for a zImage's header, bytes 0x24-0x7f, which it accepts as they are).  A zImage
    has its magic number 0x016f2818 at 0x24; with klsz = (inflated size, bss size,
    TEXT_OFFSET), also the extension table vmlinux.lds.S writes: 0x45454545 at 0x34, the
    table's offset at 0x38, the table (6 words, "KLSZ" ...) at 0x40, the size at 0x60."""
    with open(path, "wb") as f:
        f.write(bytes((i * 7 + size) & 0xFF for i in range(256)) * (size // 256))
        f.write(bytes((i * 7 + size) & 0xFF for i in range(size - size % 256, size)))
        if zimage:
            f.seek(0x24)
            f.write((0x016F2818).to_bytes(4, "little"))
        if klsz:
            inflated, bss, text_offset = klsz
            words = {0x34: 0x45454545, 0x38: 0x40, 0x40: 6, 0x44: 0x5A534C4B, 0x48: 0x60,
                     0x4C: bss, 0x50: text_offset, 0x54: 0x10000, 0x60: inflated}
            for at, word in words.items():
                f.seek(at)
                f.write(word.to_bytes(4, "little"))


class Case:
    def __init__(self, args, path, work):
        self.args = args
        self.path = path
        self.name = os.path.basename(path)[:-4]
        self.work = os.path.join(work, self.name)
        with open(path) as f:
            self.d = directives(f.read())
        self.bad = "expect" in self.d

    def prepare(self):
        """Board DTB, system DTB and images in the case's work directory."""
        os.makedirs(os.path.join(self.work, "out"), exist_ok=True)
        images = os.path.join(self.work, "images")
        os.makedirs(images, exist_ok=True)
        pattern_image(os.path.join(images, "rtos.bin"), 0x10000)
        for spec in self.d.get("image", []):
            name, size = spec.split()
            pattern_image(os.path.join(images, name), int(size, 0))
        for spec in self.d.get("zimage", []):
            name, size, *table = spec.split()
            klsz = [int(v, 0) for v in table[0].split("=")[1].split(",")] if table else None
            pattern_image(os.path.join(images, name), int(size, 0), zimage=True, klsz=klsz)
        board_dir = BOARD
        for name in self.d.get("platform", []):
            board_dir = os.path.join(ROOT, "platform", name)
        with open(os.path.join(board_dir, "platform.dts")) as f:
            board = f.read()
        for spec in self.d.get("board", []):
            old, new = (s.strip() for s in spec.split("=>"))
            if old not in board:
                raise RuntimeError(f"board directive: '{old}' not in platform.dts")
            board = board.replace(old, new)
        board_dts = os.path.join(self.work, "platform.dts")
        with open(board_dts, "w") as f:
            f.write(board)
        self.board = os.path.join(self.work, "platform.dtb")
        self.system = os.path.join(self.work, self.name + ".dtb")
        # A description may /incbin/ an image the directives made (-i: dtc's search path).
        for src, dst in ((board_dts, self.board), (self.path, self.system)):
            r = run(DTC + ["-i", images, "-o", dst, src])
            if r.returncode:
                raise RuntimeError(f"dtc {os.path.basename(src)}: {r.stderr}")
        self.images = images

    def tcfg(self, out, extra=()):
        cmd = [self.args.tcfg, "--platform", self.board, "--system", self.system,
               "--images", self.images, "--out", out] + list(extra)
        for a in self.d.get("args", []):
            cmd += a.split()
        return run(cmd)

    def check_bad(self):
        out = os.path.join(self.work, "out")
        r = self.tcfg(out)
        if r.returncode != 1:
            return f"exit status {r.returncode}, expected 1; stderr: {r.stderr}"
        lines = r.stderr.splitlines()
        for line in lines:
            if not line.startswith("tcfg: error: "):
                return f"stray stderr line: {line}"
        for want in self.d["expect"]:
            if not any(want in " ".join(line.split()) for line in lines):
                return f"no error line contains '{want}'; got: {r.stderr}"
        for n in self.d.get("errors", []):
            if len(lines) != int(n):
                return f"{len(lines)} error lines, expected {n}: {r.stderr}"
        if os.listdir(out):
            return f"refused, but wrote {os.listdir(out)}"
        return None

    def check_good(self):
        out = os.path.join(self.work, "out")
        r = self.tcfg(out, ["--memory-map"])
        warnings = [line for line in r.stderr.splitlines()
                    if line.startswith("tcfg: warning: ")]
        if r.returncode or len(warnings) != len(r.stderr.splitlines()):
            return f"exit status {r.returncode}: {r.stderr}"
        for want in self.d.get("warn", []):
            if not any(want in " ".join(line.split()) for line in warnings):
                return f"no warning line contains '{want}'; got: {r.stderr}"
        if warnings and not self.d.get("warn"):
            return f"unexpected warning: {r.stderr}"
        for f in ("config.c", "config_gen.h", "images.txt", "config.d"):
            if not os.path.exists(os.path.join(out, f)):
                return f"{f} not written"
        # The memory map: expected lines, sorted by address.
        mm = [" ".join(line.split()) for line in r.stdout.splitlines()]
        for want in self.d.get("memory-map", []):
            if not any(line.startswith(want) for line in mm):
                return f"memory map has no line '{want}'; got: {r.stdout}"
        starts = [int(line.split("-")[0], 16) for line in mm if line.startswith("0x")]
        if starts != sorted(starts) or not starts:
            return "memory map not sorted by address"
        # Reproducible: a second run writes the same files.
        again = os.path.join(self.work, "again")
        os.makedirs(again, exist_ok=True)
        self.tcfg(again)
        for f in ("config.c", "config_gen.h", "images.txt"):
            with open(os.path.join(out, f)) as a, open(os.path.join(again, f)) as b:
                if a.read() != b.read():
                    return f"{f} differs between two runs"
        # Dependencies: every image file and both DTBs.
        with open(os.path.join(out, "config.d")) as f:
            deps = f.read()
        why, stored = self.check_store(out)
        if why:
            return why
        for dep in [self.board, self.system] + stored:
            if os.path.realpath(dep) not in deps:
                return f"config.d does not list {dep}"
        return self.compile(out)

    def check_store(self, out):
        """images.txt: each image file once, 4 KiB aligned, packed from the store's base in
        order, inside the store, with its size and SHA-256 (hashlib: an oracle independent
        of the hypervisor's implementation that tcfg uses)."""
        with open(os.path.join(out, "images.txt")) as f:
            text = f.read()
        m = re.search(r"^# store 0x([0-9a-f]+) 0x([0-9a-f]+)$", text, re.M)
        if not m:
            return "images.txt has no '# store' line", []
        base, size = int(m.group(1), 16), int(m.group(2), 16)
        at, files = base, []
        for line in text.splitlines():
            if line.startswith("#"):
                continue
            addr, length, digest, path = line.split(" ", 3)
            with open(path, "rb") as img:
                data = img.read()
            if int(addr, 16) != at or int(length) != len(data):
                return f"images.txt: {line}: expected address 0x{at:x}, {len(data)} bytes", []
            if hashlib.sha256(data).hexdigest() != digest:
                return f"images.txt: {line}: SHA-256 is {hashlib.sha256(data).hexdigest()}", []
            if path in files:
                return f"images.txt lists {path} twice", []
            files.append(path)
            at += (len(data) + 0xFFF) & ~0xFFF
        if at != base + size:
            return f"images.txt: the store is 0x{size:x} bytes, the images take 0x{at - base:x}", []
        return None, files

    def compile(self, out):
        board = BOARD
        for name in self.d.get("platform", []):
            board = os.path.join(ROOT, "platform", name)  # its platform.h, as the build's
        inc = ["-I" + os.path.join(ROOT, "include"), "-I" + ROOT, "-I" + board, "-I" + out]
        config_c = os.path.join(out, "config.c")
        r = run(["gcc"] + HOST_CFLAGS + inc + ["-fsyntax-only", config_c])
        if "compile-error" in self.d:
            want = self.d["compile-error"][0]
            if r.returncode == 0:
                return "config.c compiled, but it should not have"
            if want not in " ".join(r.stderr.split()):
                return f"compiler did not say '{want}': {r.stderr}"
            return None
        if r.returncode:
            return f"config.c does not compile: {r.stderr}"
        if shutil.which("arm-none-eabi-gcc"):
            for src in ("config.c",):
                r = run(["arm-none-eabi-gcc"] + CROSS_CFLAGS + inc +
                        ["-c", "-o", os.path.join(out, src + ".arm.o"), os.path.join(out, src)])
                if r.returncode:
                    return f"{src} does not build for the target: {r.stderr}"
        check = os.path.join(self.work, "check_tables")
        r = run(["gcc", "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wconversion"] + inc +
                ["-o", check, os.path.join(TESTS, "check_tables.c"), os.path.join(ROOT, "mm", "pt.c"),
                 os.path.join(ROOT, "mm", "hyp_map.c"), config_c,
                 os.path.join(ROOT, "hyp", "core", "sha256.c"), "-lfdt"])
        if r.returncode:
            return f"check_tables does not build: {r.stderr}"
        r = run([check, self.name, self.images])
        failed = [line for line in r.stdout.splitlines() if line.startswith("FAIL")]
        if r.returncode or failed:
            return f"check_tables: {' '.join(failed) or r.stdout}"
        return None

    def check(self):
        try:
            self.prepare()
            return self.check_bad() if self.bad else self.check_good()
        except (RuntimeError, OSError, ValueError) as e:
            return str(e)


def docs_example(work):
    """The complete example of docs/configuration.md, as a good case."""
    with open(os.path.join(ROOT, "docs", "configuration.md")) as f:
        m = re.search(r"```dts\n(.*?)```", f.read(), re.S)
    path = os.path.join(work, "good-docs-example.dts")
    with open(path, "w") as f:
        f.write("/* image: data.bin 0x3000 */\n/* zimage: zImage 0x200000 */\n"
                "/* image: initrd.cpio.gz 0x10000 */\n" + (m.group(1) if m else ""))
    return path


def usage_case(args):
    r = run([args.tcfg, "--system", "x.dtb"])
    if r.returncode != 2 or "usage:" not in r.stderr:
        return f"missing --platform: exit status {r.returncode}, expected 2 with usage"
    r = run([args.tcfg, "--platform", "a", "--system", "b", "--out", ".", "--vmid-bits", "9"])
    if r.returncode != 2:
        return f"--vmid-bits 9: exit status {r.returncode}, expected 2"
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tcfg", default=os.path.join(ROOT, "build", "host", "tcfg"))
    ap.add_argument("--work", help="work directory (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    ap.add_argument("cases", nargs="*", help="case names (default: all)")
    args = ap.parse_args()
    args.tcfg = os.path.abspath(args.tcfg)
    if not os.access(args.tcfg, os.X_OK):
        print(f"FAIL config.setup: {args.tcfg} is not built")
        return 1

    work = args.work or tempfile.mkdtemp(prefix="tcfg-tests-")
    if args.work:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    paths = sorted(p for p in os.listdir(TESTS) if p.endswith(".dts"))
    paths = [os.path.join(TESTS, p) for p in paths] + [docs_example(work)]
    if args.cases:
        paths = [p for p in paths if os.path.basename(p)[:-4] in args.cases]
    covered = set()
    for p in paths:
        case = Case(args, p, work)
        why = case.check()
        if why is None and case.bad != case.name.startswith("bad-"):
            why = "bad-* cases need an expect directive, good-* cases none"
        if case.bad and not case.d.get("rule"):
            why = why or "a bad case needs a rule directive"
        for rule in case.d.get("rule", []):
            covered.add(int(rule))
        report(case.name, why)
    if not args.cases:
        report("usage", usage_case(args))
        missing = [r for r in RULES if r not in covered]
        report("rule-coverage", f"no bad case for rule(s) {missing}" if missing else None)

    passed = sum(results)
    print(f"# config: {passed} passed, {len(results) - passed} failed")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
