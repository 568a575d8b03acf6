#!/usr/bin/env python3
"""Make a hypervisor source file buildable on the host, unchanged in logic.

    tests/fake/host_source.py hyp/vcpu.c OUT.c

A few hypervisor files define inline-assembly accessors of their own in the
.c file (hyp/vcpu.c: BANKED_RW, the MRS/MSR of the guest's banked
registers), where no header hook can reach them.  This copies such a file,
replaces exactly those macro definitions by the fake layer's equivalents
(tests/fake/fake_arch.h) and keeps every other line, and every line number,
as it is; a #line directive names the original, so compiler messages and
coverage refer to hyp/vcpu.c itself.  It fails if the macro is not found, so
a change to the source cannot silently leave assembly in a host build.
"""
import sys

# macro name -> replacement (the fake layer's equivalent, same parameters)
REPLACE = {
    "BANKED_RW": ('#include "fake_arch.h" /* host build: tests/fake/host_source.py */',
                  "#define BANKED_RW(reg) FAKE_BANKED_RW(reg)"),
}


def main():
    src, out = sys.argv[1], sys.argv[2]
    lines = open(src).read().split("\n")
    result, i, done = [], 0, set()
    while i < len(lines):
        line = lines[i]
        name = next((n for n in REPLACE if line.startswith("#define %s(" % n)), None)
        if name is None:
            result.append(line)
            i += 1
            continue
        block = [line]
        while block[-1].rstrip().endswith("\\"):
            i += 1
            block.append(lines[i])
        i += 1
        new = list(REPLACE[name])
        if len(new) > len(block):
            sys.exit("host_source: %s: %s is shorter than its replacement" % (src, name))
        result += new + [""] * (len(block) - len(new))
        done.add(name)
    missing = [n for n in REPLACE if n in open(src).read() and n not in done]
    if not done or missing:
        sys.exit("host_source: %s: no assembly macro to replace (%s)" % (src, ", ".join(REPLACE)))
    with open(out, "w") as f:
        f.write('#line 1 "%s"\n' % src)
        f.write("\n".join(result))


if __name__ == "__main__":
    main()
