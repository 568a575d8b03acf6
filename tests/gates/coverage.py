#!/usr/bin/env python3
"""Line coverage of the hypervisor by the host tests (`make coverage`, check.coverage).

    coverage.py --out build/coverage --targets "trap mmio ..." --units "fmt hsr ..."
                [--min PERCENT] [--extra-corpus DIR]

Runs the gcc --coverage builds that tests/fuzz/fuzz.mk makes: every unit test
(build/coverage/bin/unit_<name>) and every fuzz target replaying its checked-in corpus
(build/coverage/bin/fuzz_<target> tests/fuzz/corpus/<target>), then merges what gcov
reports for each source file (a line counts as covered if any program ran it).  Prints the
line coverage of every hypervisor C file (boot/ hyp/ mm/ vgic/ platform/), the files the
host cannot build (assembly-bound: no numbers), the total, and the config compiler's for
comparison.  Exit status 1 if a corpus input crashes its target (a regression, found here
even without clang) or, with --min, if the hypervisor's total is below it; a failing unit
test is only noted (the unit tests report it).
"""
import argparse
import collections
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HYP_DIRS = ("boot/", "hyp/", "mm/", "vgic/", "platform/")


def run(cmd, fatal=True):
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
        print("coverage: %s%s failed (%d): %s" % ("" if fatal else "note: ",
                                                   os.path.relpath(cmd[0], ROOT),
                                                   proc.returncode, " | ".join(tail)))
        return not fatal
    return True


def gcov_files(out):
    lines = collections.defaultdict(dict)  # file -> line -> count
    gcdas = []
    for dirpath, _, names in os.walk(out):
        gcdas += [os.path.join(dirpath, n) for n in names if n.endswith(".gcda")]
    for gcda in sorted(gcdas):
        proc = subprocess.run(["gcov", "--json-format", "--stdout", "-o",
                               os.path.dirname(gcda), gcda], cwd=ROOT, capture_output=True,
                              text=True)
        for doc in proc.stdout.splitlines():
            if not doc.startswith("{"):
                continue
            for f in json.loads(doc).get("files", []):
                path = os.path.normpath(os.path.join(ROOT, f["file"]))
                rel = os.path.relpath(path, ROOT)
                for l in f["lines"]:
                    n = l["line_number"]
                    lines[rel][n] = max(lines[rel].get(n, 0), l["count"])
    return lines


def report(lines, prefixes, title):
    rows, hit_total, all_total = [], 0, 0
    for path in sorted(lines):
        if not path.startswith(prefixes) or not path.endswith(".c"):
            continue
        counts = lines[path]
        hit = sum(1 for c in counts.values() if c > 0)
        rows.append((path, hit, len(counts)))
        hit_total += hit
        all_total += len(counts)
    print("%s:" % title)
    for path, hit, total in rows:
        print("  %-28s %5.1f%%  %4d of %4d lines" % (path, 100.0 * hit / max(total, 1), hit,
                                                     total))
    pct = 100.0 * hit_total / max(all_total, 1)
    print("  %-28s %5.1f%%  %4d of %4d lines" % ("total", pct, hit_total, all_total))
    return pct, set(r[0] for r in rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--targets", default="")
    ap.add_argument("--units", default="")
    ap.add_argument("--min", type=float)
    ap.add_argument("--extra-corpus", action="append", default=[],
                    help="TARGET=DIR: replay DIR too (e.g. build/fuzz/work/trap)")
    args = ap.parse_args()
    out = os.path.join(ROOT, args.out)

    for dirpath, _, names in os.walk(out):
        for n in names:
            if n.endswith(".gcda"):
                os.remove(os.path.join(dirpath, n))
    ok = True
    for u in args.units.split():
        # A failing unit test is reported by the unit tests themselves; its lines still count.
        ok &= run([os.path.join(out, "bin", "unit_" + u)], fatal=False)
    extra = dict(e.split("=", 1) for e in args.extra_corpus)
    for t in args.targets.split():
        corpora = [os.path.join(ROOT, "tests", "fuzz", "corpus", t)]
        if t in extra:
            corpora.append(extra[t])
        ok &= run([os.path.join(out, "bin", "fuzz_" + t)] + [c for c in corpora
                                                             if os.path.isdir(c)])
    lines = gcov_files(out)
    tcfg, _ = report(lines, ("tools/tcfg/",), "config compiler (tools/tcfg) line coverage")
    pct, seen = report(lines, HYP_DIRS, "hypervisor line coverage by the host tests")
    git = subprocess.run(["git", "ls-files"] + ["%s*.c" % d for d in HYP_DIRS], cwd=ROOT,
                         capture_output=True, text=True).stdout.split()
    missing = sorted(set(git) - seen)
    if missing:
        print("  not built on the host (assembly-bound, tested on QEMU): %s"
              % ", ".join(missing))
    print("coverage: hypervisor %.1f%% of the lines of %d host-built files (%d left to QEMU), "
          "tcfg %.1f%%%s" % (pct, len(seen), len(missing), tcfg,
                             "" if args.min is None else "; floor %.0f%%" % args.min))
    if args.min is not None and pct < args.min:
        print("coverage: %.1f%% is below the floor of %.1f%%" % (pct, args.min))
        ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
