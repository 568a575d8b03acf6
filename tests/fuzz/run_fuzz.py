#!/usr/bin/env python3
"""Run Tessera's fuzz targets (tests/fuzz/fuzz.mk, docs/assurance.md).

    run_fuzz.py              the `make test` run: every target replays its checked-in
                             corpus (tests/fuzz/corpus/<target>/) and then fuzzes for a
                             fixed number of runs with a fixed seed (at most --seconds);
                             one line per target: PASS/FAIL/SKIP fuzz.<target>
    run_fuzz.py --long       `make fuzz`: --seconds per target, random seed, the work corpus
                             in build/fuzz/work/<target> kept between runs
    run_fuzz.py --merge      add the work corpus's inputs that cover new code to the
                             checked-in corpus (libFuzzer -merge=1)

Without clang or libFuzzer every target is SKIPped with the reason.  A crash leaves its
input in build/fuzz/artifacts/<target>/; reproduce it with build/fuzz/bin/<target> FILE.
"""
import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "build", "fuzz")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
TARGETS = ["trap", "mmio", "smccc", "vgic", "vuart", "tcfg"]

# Runs of the `make test` fuzzing per target after the corpus replay: 5-10 s each on the
# 2-core CI machine; --seconds caps it where the machine is slower.  Fixed, with the seed,
# so that CI runs the same inputs every time.
# vuart: each run drains the console and reads back all it printed (some 1,400 runs a second
# on a loaded 2-core machine, where 500,000 of the PL011 alone took the cap).
CI_RUNS = {"trap": 16000, "mmio": 16000, "smccc": 12000, "vgic": 150000, "vuart": 20000,
           "tcfg": 150000}
CI_SEED = 20261125


def toolchain_problem():
    """None if clang links a libFuzzer program with ASan and UBSan, else why not."""
    cc = os.environ.get("FUZZ_CC", "clang")
    if not shutil.which(cc):
        return "%s not installed (tools/deps.sh fuzz installs clang and libFuzzer)" % cc
    with tempfile.TemporaryDirectory() as tmp:
        src = os.path.join(tmp, "probe.c")
        with open(src, "w") as f:
            f.write("#include <stddef.h>\n#include <stdint.h>\n"
                    "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)"
                    "{ (void)d; (void)n; return 0; }\n")
        proc = subprocess.run([cc, "-fsanitize=fuzzer,address,undefined", src, "-o",
                               os.path.join(tmp, "probe")], capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["?"])[-1]
            return "%s cannot link a libFuzzer program (%s; tools/deps.sh fuzz)" % (cc, last)
    return None


def build():
    proc = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "-j2", "fuzz-build"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    return proc.returncode, proc.stdout


def summary(out):
    """The first line that says what went wrong, from a sanitizer or libFuzzer report."""
    for pat in (r"FUZZ_CHECK\(.*", r"PANIC: .*", r"ERROR: \w+Sanitizer: .*",
                r"runtime error: .*", r"==\d+== ?ERROR: .*", r"ERROR: libFuzzer: .*",
                r"tcfg called exit.*"):
        m = re.search(pat, out)
        if m:
            return m.group(0).strip()[:300]
    lines = [l for l in out.splitlines() if l.strip()]
    return lines[-1][:300] if lines else "no output"


def run_target(name, args):
    binary = os.path.join(OUT, "bin", name)
    work = os.path.join(OUT, "work", name)
    artifacts = os.path.join(OUT, "artifacts", name) + "/"
    corpus = os.path.join(CORPUS, name)
    log_path = os.path.join(OUT, "logs", name + ".log")
    if not args.long and os.path.isdir(work):
        shutil.rmtree(work)  # the CI run starts from the checked-in corpus alone
    for d in (work, artifacts, os.path.dirname(log_path), corpus):
        os.makedirs(d, exist_ok=True)
    cmd = [binary, "-timeout=10", "-rss_limit_mb=2048", "-artifact_prefix=" + artifacts,
           "-print_final_stats=1", "-max_len=4096"]
    if args.long:
        cmd += ["-max_total_time=%d" % args.seconds]
    else:
        # -runs counts the replay of the corpus too.
        cmd += ["-seed=%d" % CI_SEED, "-runs=%d" % (len(os.listdir(corpus)) + CI_RUNS[name]),
                "-max_total_time=%d" % args.seconds]
    cmd += [work, corpus]
    env = dict(os.environ, TMPDIR=os.path.join(OUT, "tmp"))  # the tcfg target's scratch
    os.makedirs(env["TMPDIR"], exist_ok=True)
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, errors="replace", timeout=args.seconds + 120)
        out, status = proc.stdout, proc.returncode
    except subprocess.TimeoutExpired as e:
        out, status = (e.stdout or ""), "timeout"
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
    with open(log_path, "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    execs = re.search(r"stat::number_of_executed_units:\s*(\d+)", out)
    cov = re.findall(r"cov: (\d+)", out)
    detail = "%s runs, %s edges, %d inputs in the corpus" % (
        execs.group(1) if execs else "?", cov[-1] if cov else "?",
        len(os.listdir(corpus)) + (len(os.listdir(work)) if args.long else 0))
    if status == 0:
        return "PASS fuzz.%s: %s" % (name, detail)
    crashes = sorted(os.path.join(artifacts, f) for f in os.listdir(artifacts))
    return "FAIL fuzz.%s: %s (%s; log %s)" % (
        name, summary(out), crashes[-1] if crashes else "exit %s" % status,
        os.path.relpath(log_path, ROOT))


def merge():
    for name in TARGETS:
        binary = os.path.join(OUT, "bin", name)
        work = os.path.join(OUT, "work", name)
        corpus = os.path.join(CORPUS, name)
        os.makedirs(corpus, exist_ok=True)
        if not os.path.isdir(work):
            continue
        before = len(os.listdir(corpus))
        # Edges only (no hit counts): the smallest corpus that keeps the coverage.
        subprocess.run([binary, "-merge=1", "-use_counters=0", corpus, work], cwd=ROOT,
                       capture_output=True)
        print("fuzz.%s: %d -> %d inputs in %s" % (name, before, len(os.listdir(corpus)),
                                                   os.path.relpath(corpus, ROOT)))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--long", action="store_true")
    ap.add_argument("--merge", action="store_true")
    ap.add_argument("--seconds", type=int, default=20,
                    help="time per target (the CI run: a cap on its fixed number of runs)")
    ap.add_argument("--jobs", type=int, default=max(1, min(2, os.cpu_count() or 1)))
    ap.add_argument("targets", nargs="*", default=TARGETS)
    args = ap.parse_args()

    problem = toolchain_problem()
    if problem:
        for t in args.targets:
            print("SKIP fuzz.%s: %s" % (t, problem), flush=True)
        return 0
    status, out = build()
    if status != 0:
        lines = [l for l in out.splitlines() if "error" in l.lower()] or out.splitlines()
        for t in args.targets:
            print("FAIL fuzz.%s: build failed: %s" % (t, " | ".join(lines[:3])[:400]),
                  flush=True)
        return 1
    if args.merge:
        return merge()
    ok = True
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for line in pool.map(lambda t: run_target(t, args), args.targets):
            print(line, flush=True)
            ok &= line.startswith("PASS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
