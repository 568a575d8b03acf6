#!/usr/bin/env python3
"""Quality gates run by `make test`: formatting, static analysis, and the
build flags of STYLE.md.  Each prints PASS/FAIL check.<name>."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(name, cmd, detail=False):
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode == 0:
        last = [l for l in proc.stdout.splitlines() if l.strip()][-1:] if detail else []
        print("PASS check.%s%s" % (name, ": " + last[0].strip() if last else ""))
        return True
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    print("FAIL check.%s: %s" % (name, " | ".join(lines[:6])[:600]))
    return False


def main():
    ok = True
    ok &= run("format", ["make", "--no-print-directory", "-s", "check-format"])
    ok &= run("cppcheck", ["make", "--no-print-directory", "-s", "cppcheck"])
    # Structure (docs/design.md): includes follow the layers; the C twins of the vectors agree.
    ok &= run("layers", [sys.executable, "tests/gates/layers.py"], True)
    ok &= run("vector-twins", [sys.executable, "tests/gates/vector_twins.py"], True)
    # What a new user reads first: make help, plain text, naming every variable the docs set.
    ok &= run("make-help", [sys.executable, "tests/gates/make_help.py"], True)
    # Assurance gates (tests/fuzz/fuzz.mk, docs/assurance.md).
    make = ["make", "--no-print-directory", "-s"]
    ok &= run("clang-tidy", make + ["clang-tidy"], True)
    # Both systems: LTO inlines differently in each (the every-feature one has every part in).
    ok &= run("stack", make + ["stack-report"], True)
    ok &= run("stack-every-feature", make + ["stack-report", "CONFIG=every-feature"], True)
    ok &= run("no-heap", make + ["no-heap"], True)
    ok &= run("hyp-own", make + ["hyp-own"], True)
    ok &= run("coverage", make + ["-j2", "coverage", "COVERAGE_MIN=90"], True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
