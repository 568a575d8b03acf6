#!/usr/bin/env python3
"""`make help` is what a new user reads first: it must print as plain text (no control
bytes: an escape such as Ctrl-T's \\024 shown as typed) and name every make variable the
README and docs/ tell the user to set (`NAME=` in a code span; U-Boot's CONFIG_* aside)."""
import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    out = subprocess.run(["make", "--no-print-directory", "-s", "help"], cwd=ROOT,
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    problems = []
    for n, line in enumerate(out.splitlines(), 1):
        bad = [c for c in line if ord(c) < 0x20 and c != "\t" or ord(c) == 0x7f]
        if bad:
            problems.append("line %d has control byte(s) %s: %r" %
                            (n, ", ".join("0x%02x" % ord(c) for c in bad), line))
    named = set()
    docs = sorted(glob.glob(os.path.join(ROOT, "docs", "*.md")))
    for path in [os.path.join(ROOT, "README.md")] + docs:
        for span in re.findall(r"`([^`]+)`", open(path).read()):
            for var in re.findall(r"\b([A-Z][A-Z0-9_]{2,})=", span):
                if not var.startswith("CONFIG_"):
                    named.add(var)
    for var in sorted(named):
        if not re.search(r"\b%s\b" % var, out):
            problems.append("%s= (README or docs/) is not in make help" % var)
    for p in problems:
        print(p)
    if problems:
        return 1
    print("make help: plain text, names all %d variables the docs set" % len(named))
    return 0


if __name__ == "__main__":
    sys.exit(main())
