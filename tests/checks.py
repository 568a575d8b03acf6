#!/usr/bin/env python3
"""Quality gates run by `make test`: formatting, static analysis, and the
build flags of STYLE.md.  Each prints PASS/FAIL check.<name>."""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run(name, cmd):
    proc = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True)
    if proc.returncode == 0:
        print("PASS check.%s" % name)
        return True
    lines = [l for l in proc.stdout.splitlines() if l.strip()]
    print("FAIL check.%s: %s" % (name, " | ".join(lines[:6])[:600]))
    return False


def main():
    ok = True
    ok &= run("format", ["make", "--no-print-directory", "-s", "check-format"])
    ok &= run("cppcheck", ["make", "--no-print-directory", "-s", "cppcheck"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
