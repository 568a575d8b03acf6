#!/usr/bin/env python3
"""Tessera's test runner, the engine of `make test`.

Runs, in order: the host unit tests (tests/unit), the host checks (config
compiler tests, format and static analysis), and the QEMU integration tests
(tests/qemu/*.py), each of which boots a real image with a timeout and
asserts on what the hypervisor and its guests print.  Every case prints one
line, PASS or FAIL; the last line is "N passed, N failed" and the exit
status is non-zero on any failure.

    tests/run.py [-k REGEX] [-j JOBS] [--list] [--keep-going]
"""
import argparse
import concurrent.futures
import glob
import importlib.util
import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOG_DIR = os.path.join(ROOT, "build", "test-logs")
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))

import qemutest  # noqa: E402  (tests/qemu/qemutest.py)


class Results:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []

    def record(self, line):
        print(line, flush=True)
        if line.startswith("PASS "):
            self.passed += 1
        elif line.startswith("FAIL "):
            self.failed += 1
            self.failures.append(line)
        elif line.startswith("SKIP "):
            self.skipped += 1


def make(*args, quiet=True):
    cmd = ["make", "--no-print-directory", "-C", ROOT] + list(args)
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def run_program_cases(results, suite, cmd, timeout, selected):
    """Run a program that prints PASS/FAIL lines itself; count them."""
    try:
        proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=timeout)
        out, status = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        status = "timeout"
    seen = False
    for line in out.splitlines():
        if line.startswith(("PASS ", "FAIL ", "SKIP ")):
            name = line.split()[1].rstrip(":")
            if selected(name):
                results.record(line)
            seen = True
        elif line.startswith("#") and selected(suite):
            print(line)
    if status != 0 and (status == "timeout" or not any(
            l.startswith("FAIL ") for l in out.splitlines())):
        os.makedirs(LOG_DIR, exist_ok=True)
        log = os.path.join(LOG_DIR, suite + ".log")
        with open(log, "w") as f:
            f.write(out)
        results.record("FAIL %s: exited with %s without naming a failing case%s (log: %s)"
                       % (suite, status, "" if seen else ", no cases ran", log))


def host_phase(results, selected):
    status, out = make("host-tests", "host-checks-build")
    if status != 0:
        print(out)
        results.record("FAIL host.build: could not build the host tests")
        return
    for exe in sorted(glob.glob(os.path.join(ROOT, "build", "host", "tests", "*_test"))):
        suite = os.path.basename(exe)[:-5]
        run_program_cases(results, suite, [exe], 300, selected)
    for check in host_checks():
        name, cmd, timeout = check
        run_program_cases(results, name, cmd, timeout, selected)


def host_checks():
    """Checks other than unit tests: (name, command, timeout)."""
    checks = []
    runner = os.path.join(ROOT, "tests", "config", "run_config_tests.sh")
    if os.path.exists(runner):
        checks.append(("config", [runner], 600))
    checks.append(("check", [sys.executable, os.path.join(ROOT, "tests", "checks.py")], 600))
    # The build tracks its options and the version (a throw-away BUILD= directory).
    checks.append(("build", [sys.executable, os.path.join(ROOT, "tests", "build_tracking.py")],
                   600))
    # Short fixed-seed fuzzing of every target (tests/fuzz/run_fuzz.py: SKIPs without clang).
    checks.append(("fuzz", [sys.executable, os.path.join(ROOT, "tests", "fuzz", "run_fuzz.py")],
                   600))
    return checks


def qemu_phase(results, selected, jobs):
    tests = [t for t in qemutest.load_all(os.path.join(ROOT, "tests", "qemu"))
             if selected("qemu." + t.name)]
    if not tests:
        return
    # A test that cannot run here (a package it fetches, without a network) says why.
    for t in list(tests):
        reason = t.skip_reason(ROOT)
        if reason:
            results.record("SKIP qemu.%s: %s" % (t.name, reason))
            tests.remove(t)
    # Build every image first (make is not safe to run concurrently on shared outputs).
    built = {}

    def build_key(t):
        return tuple(sorted(t.build.items())) + tuple(t.build_targets)

    for t in tests:
        key = build_key(t)
        if key in built:
            continue
        args = ["%s=%s" % kv for kv in sorted(t.build.items())] + list(t.build_targets)
        status, out = make(*args)
        built[key] = (status, out)
        if status != 0:
            os.makedirs(LOG_DIR, exist_ok=True)
            with open(os.path.join(LOG_DIR, "build-%s.log" % "-".join(
                    str(v) for v in key)), "w") as f:
                f.write(out)
    runnable = []
    for t in tests:
        status, out = built[build_key(t)]
        if status != 0:
            results.record("FAIL qemu.%s: build failed: %s" % (t.name, out.strip()[-400:]))
        else:
            runnable.append(t)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for line in pool.map(lambda t: t.run(ROOT, LOG_DIR), runnable):
            results.record(line)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-k", "--select", default=os.environ.get("T", ""),
                    help="only cases whose name matches this regex")
    ap.add_argument("-j", "--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("--list", action="store_true", help="list the QEMU tests")
    args = ap.parse_args()
    pattern = re.compile(args.select) if args.select else None

    def selected(name):
        return pattern is None or bool(pattern.search(name))

    if args.list:
        for t in qemutest.load_all(os.path.join(ROOT, "tests", "qemu")):
            print("qemu.%s: %s" % (t.name, t.doc))
        return 0

    start = time.time()
    results = Results()
    # A selection of QEMU tests only (`T=qemu.boot`, `T='^qemu\.(vgic|smp)'`) needs no host phase.
    if not re.match(r"\^?qemu\b", args.select):
        host_phase(results, selected)
    qemu_phase(results, selected, args.jobs)
    elapsed = time.time() - start
    if results.failures:
        print("\nFailures:")
        for f in results.failures:
            print("  " + f)
    summary = "%d passed, %d failed" % (results.passed, results.failed)
    if results.skipped:
        summary += ", %d skipped" % results.skipped
    print("# %.0f s" % elapsed)
    print(summary)
    return 1 if results.failed or results.passed == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
