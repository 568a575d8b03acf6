#!/usr/bin/env python3
"""No dynamic allocation in the hypervisor ELF (check.no-heap, `make stack-report`).

    no_heap.py --elf tessera.elf [--nm arm-none-eabi-nm] [--objdump arm-none-eabi-objdump]

Everything Tessera needs is static (docs/design.md: "Nothing is allocated after boot"):
the ELF must define and import no allocator (malloc and its family, newlib's reentrant
_malloc_r and friends, _sbrk), have no heap section or heap-boundary symbol, and leave no
symbol undefined.  Exit status 1 with the offending symbols otherwise.
"""
import argparse
import re
import subprocess
import sys

ALLOCATORS = re.compile(r"^_*(malloc|free|calloc|realloc|reallocf|memalign|valloc|pvalloc|"
                        r"aligned_alloc|posix_memalign|sbrk|brk|malloc_r|free_r|calloc_r|"
                        r"realloc_r|memalign_r|sbrk_r|mallinfo|malloc_trim|"
                        r"malloc_.*|heap_.*|.*_heap_.*|heap|end|end__)$")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--nm", default="arm-none-eabi-nm")
    ap.add_argument("--objdump", default="arm-none-eabi-objdump")
    args = ap.parse_args()
    syms = subprocess.run([args.nm, args.elf], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    bad = []
    for line in syms:
        parts = line.split()
        name, kind = parts[-1], parts[-2]
        if kind == "U":
            bad.append("undefined symbol %s" % name)
        elif ALLOCATORS.match(name):
            bad.append("allocator symbol %s (%s)" % (name, kind))
    sections = subprocess.run([args.objdump, "-h", args.elf], capture_output=True,
                              text=True, check=True).stdout
    for m in re.finditer(r"^\s*\d+\s+(\S+)", sections, re.M):
        if "heap" in m.group(1) or m.group(1) in (".stack_heap",):
            bad.append("section %s" % m.group(1))
    for b in bad:
        print("no-heap: " + b)
    print("no-heap: %d symbols checked: %s" % (len(syms), "no allocator, no heap, nothing "
                                                "undefined" if not bad else "FAILS"))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
