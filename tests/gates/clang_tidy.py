#!/usr/bin/env python3
"""clang-tidy on the hypervisor with the target's flags (`make clang-tidy`, check.clang-tidy).

    clang_tidy.py --gen build/qemu-virt/default/gen [--platform qemu-virt] [--jobs N]

Runs clang-tidy with the checked-in .clang-tidy on every C file under boot/ hyp/ mm/
vgic/ platform/ (as git knows them), compiled as the target compiles them: 32-bit Arm,
freestanding, newlib's headers, the board's platform.h and the generated config_gen.h of
a build.  Findings listed in tests/gates/clang_tidy.supp (file and check) are accepted;
anything else, a compile error included, fails.  Prints one line per finding and a
summary; exit status 1 on any unaccepted finding.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SUPP = os.path.join(ROOT, "tests", "gates", "clang_tidy.supp")
DIRS = ["boot", "hyp", "mm", "vgic", "platform"]
NEWLIB = "/usr/lib/arm-none-eabi/include"
FINDING = re.compile(r"^(?P<file>[^\s:]+):(?P<line>\d+):(?P<col>\d+): (?P<kind>warning|error): "
                     r"(?P<msg>.*?)(?: \[(?P<checks>[^\]]+)\])?$")


def sources():
    out = subprocess.run(["git", "ls-files"] + ["%s/*.c" % d for d in DIRS], cwd=ROOT,
                         capture_output=True, text=True).stdout.split()
    return sorted(f for f in out if os.path.exists(os.path.join(ROOT, f)))


def flags(args):
    return ["--target=armv7a-none-eabi", "-march=armv7ve", "-marm", "-mfloat-abi=soft",
            "-ffreestanding", "-std=c11", "-Iinclude", "-I.", "-Iplatform/" + args.platform,
            "-I" + args.gen, "-DVMID_BITS=%d" % args.vmid_bits,
            "-isystem", NEWLIB]


def load_supp():
    """[file, check, source-line regex or None, hits] per entry."""
    entries = []
    for line in open(SUPP):
        line = line.strip()
        if line and not line.startswith("#"):
            parts = line.split()
            regex = None
            if len(parts) > 2 and parts[2].startswith("/") and parts[2].endswith("/"):
                regex = re.compile(parts[2][1:-1])
            entries.append([parts[0], parts[1], regex, 0])
    return entries


def source_line(path, lineno):
    try:
        with open(os.path.join(ROOT, path)) as f:
            return f.read().splitlines()[int(lineno) - 1]
    except (OSError, IndexError):
        return ""


def tidy(tool, path, cflags):
    proc = subprocess.run([tool, "--quiet", path, "--"] + cflags, cwd=ROOT,
                          capture_output=True, text=True)
    return proc.stdout + proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gen", required=True, help="a build's gen/ (config_gen.h)")
    ap.add_argument("--platform", default="qemu-virt")
    ap.add_argument("--vmid-bits", type=int, default=8)
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    args = ap.parse_args()

    tool = shutil.which("clang-tidy") or shutil.which("clang-tidy-14")
    if not tool:
        print("clang-tidy: not installed (tools/deps.sh installs it)")
        return 1
    if not os.path.exists(os.path.join(ROOT, args.gen, "config_gen.h")):
        print("clang-tidy: no %s/config_gen.h: build first (make CONFIG=default)" % args.gen)
        return 1
    if not os.path.isdir(NEWLIB):
        print("clang-tidy: no newlib headers in %s (libnewlib-arm-none-eabi)" % NEWLIB)
        return 1
    files, cflags, supp = sources(), flags(args), load_supp()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        outputs = list(pool.map(lambda f: tidy(tool, f, cflags), files))
    seen, bad, accepted = set(), [], 0
    for out in outputs:
        for line in out.splitlines():
            m = FINDING.match(line)
            if not m:
                continue
            path = os.path.relpath(os.path.normpath(os.path.join(ROOT, m["file"])), ROOT)
            checks = (m["checks"] or m["kind"]).split(",")
            key = (path, m["line"], m["col"], m["msg"])
            if key in seen:
                continue  # a header's finding, once per file that includes it
            seen.add(key)
            hits = [e for e in supp if e[0] == path and e[1] in checks and
                    (e[2] is None or e[2].search(source_line(path, m["line"])))]
            for e in hits:
                e[3] += 1
            if hits and m["kind"] == "warning":
                accepted += 1
                continue
            bad.append("%s:%s: %s [%s]" % (path, m["line"], m["msg"], ",".join(checks)))
    for b in bad:
        print(b)
    stale = ["%s %s" % (e[0], e[1]) for e in supp if not e[3]]
    for s in stale:
        print("tests/gates/clang_tidy.supp: no longer matches anything: %s" % s)
    print("clang-tidy: %d files, %d findings (%d accepted in clang_tidy.supp)%s"
          % (len(files), len(bad) + accepted, accepted,
             ": clean" if not bad and not stale else ""))
    return 1 if bad or stale else 0


if __name__ == "__main__":
    sys.exit(main())
