#!/usr/bin/env python3
"""The layering rule of docs/design.md, checked over every #include in the tree.

    tests/gates/layers.py [--self-test]

The hypervisor's folders form layers, lowest first:

    include/  <-  platform/  <-  mm/, vgic/  <-  hyp/  <-  boot/

A file may include headers of its own folder and of the layers below it, never of a
layer above, and mm/ and vgic/ never include each other.  include/ includes nothing
outside include/ (and the C library).  Separate programs, the guests (guests/) and the
host tools (tools/), may include only include/ and their own folder: never hyp/, mm/,
vgic/, platform/ or boot/.  tests/ may include anything: it tests the layers.

Headers are named from the tree's root ("hyp/core/cpu.h") or from include/
("arch/sysreg.h"); a bare name is a file of the including file's own folder (or a
build-generated header: platform.h is the board's, config_gen.h the configuration's,
both below hyp/; version.h, the `git describe` string, a definition).  An include of a file that exists nowhere fails the check too, so a
rename cannot hide an edge.  Exit status 1 on any violation, each printed with file,
line and the rule it breaks.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Rank of each hypervisor layer; a file may include ranks <= its own (same rank only
# within its own folder).
RANK = {"include": 0, "platform": 1, "mm": 2, "vgic": 2, "hyp": 3, "boot": 4}
PROGRAMS = ("guests", "tools")
# Generated or per-board headers found through -I, and the layer that owns them.
GENERATED = {"platform.h": "platform", "config_gen.h": "platform", "version.h": "include"}
INCLUDE_RE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')


def top(path):
    return path.split("/", 1)[0]


def resolve(src, name):
    """The repository path an include names, or None if it names no file in the tree."""
    here = os.path.dirname(src)
    for cand in (os.path.join(here, name), os.path.join("include", name), name):
        cand = os.path.normpath(cand)
        if os.path.isfile(os.path.join(ROOT, cand)):
            return cand
    if "/" not in name:
        # A program's own header found through its -I list (guests/lib, guests/rtos/...).
        for dirpath, _, names in os.walk(os.path.join(ROOT, top(src))):
            if name in names:
                return os.path.relpath(os.path.join(dirpath, name), ROOT)
    return None


def violation(src, name, target):
    """Why src may not include target (a repository path), or None if it may."""
    s, t = top(src), top(target)
    if s == "tests" or s == t:
        return None
    if s in PROGRAMS:
        return None if t == "include" else \
            "%s/ is a separate program: it may include only include/, not %s/" % (s, t)
    if s not in RANK:
        return None
    if t not in RANK:
        return "%s/ may not include %s/ (not a layer of the hypervisor)" % (s, t)
    if s == "include":
        return "include/ is the bottom layer: it includes nothing outside itself"
    if RANK[t] >= RANK[s]:
        return "%s/ is below %s/: a lower layer may not include a higher or sibling one" % (s, t)
    return None


def check(files, read):
    errors = []
    for src in files:
        for lineno, line in enumerate(read(src).splitlines(), 1):
            m = INCLUDE_RE.match(line)
            if not m:
                continue
            name = m.group(1)
            if name in GENERATED and "/" not in name:
                target = GENERATED[name] + "/" + name
            else:
                target = resolve(src, name)
            if target is None:
                errors.append("%s:%d: includes \"%s\", which is no file in the tree"
                              % (src, lineno, name))
                continue
            why = violation(src, name, target)
            if why:
                errors.append("%s:%d: includes %s: %s" % (src, lineno, target, why))
    return errors


def tracked_sources():
    out = subprocess.run(["git", "ls-files", "*.c", "*.h", "*.S", "*.ld"], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    return [f for f in out if os.path.exists(os.path.join(ROOT, f))
            and top(f) in set(RANK) | set(PROGRAMS)]


def self_test():
    """The rule itself, on made-up edges: each forbidden kind is caught, each allowed passes."""
    cases = [
        ("hyp/core/cpu.c", "mm/mm.h", True), ("hyp/core/cpu.c", "boot/boot.h", False),
        ("mm/pt.c", "vgic/vgic.h", False), ("vgic/gic.c", "hyp/core/log.h", False),
        ("platform/uart/pl011.c", "mm/mm.h", False), ("include/arch/armv7.h", "hyp/arch/hsr.h", False),
        ("include/arch/armv7.h", "include/tessera/bits.h", True),
        ("guests/lib/gic.h", "include/dev/gicv2.h", True), ("guests/lib/gic.h", "vgic/vgic.h", False),
        ("tools/tcfg/tcfg.h", "mm/pt.h", False), ("tools/tcfg/tcfg.h", "include/abi/config.h", True),
        ("boot/boot.c", "hyp/core/cpu.h", True), ("tests/unit/pt_test.c", "mm/pt.h", True),
    ]
    bad = [(s, t) for s, t, ok in cases if (violation(s, t, t) is None) != ok]
    for s, t in bad:
        print("layers self-test: %s -> %s judged wrongly" % (s, t))
    return not bad


def main():
    if not self_test():
        return 1
    if "--self-test" in sys.argv:
        print("layers: self-test passed")
        return 0
    files = tracked_sources()
    errors = check(files, lambda f: open(os.path.join(ROOT, f), errors="replace").read())
    for e in errors:
        print(e)
    if errors:
        print("layers: %d forbidden include(s)" % len(errors))
        return 1
    print("layers: %d files, every include follows include/ <- platform/ <- mm/, vgic/ "
          "<- hyp/ <- boot/; guests/ and tools/ use include/ only" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
