#!/usr/bin/env python3
"""Do the C twins of the guest entry vectors still do what the vectors do?

    tests/gates/vector_twins.py

hyp/arch/vectors.S enters the hypervisor from a guest; the host-built harnesses
(tests/fuzz) have no vectors and enter through C functions in hyp/core/trap.c that
must call the same handlers in the same order and leave through the same exit check.
This reads both and compares, per entry, the sequence of calls:

    vector            C twin            calls, in order
    hyp_vec_trap      hyp_trap          hyp_trap_table[HSR.EC], then the exit check
    hyp_vec_irq       hyp_irq           hyp_irq_handle, then the exit check
    hyp_vec_dabt      hyp_async_abort   hyp_guest_async_abort, then the exit check

In the assembly a call is "bl/blx X", an indirect call through "ldr rN, =TABLE", and
reaching the label hyp_exit (by branch or by falling through) is the exit check, whose
own call (hyp_exit_slow) must be what the C exit check calls.  Exit status 1 on any
difference.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VECTORS = os.path.join(ROOT, "hyp", "arch", "vectors.S")
TRAP_C = os.path.join(ROOT, "hyp", "core", "trap.c")
TWINS = [("hyp_vec_trap", "hyp_trap"), ("hyp_vec_irq", "hyp_irq"),
         ("hyp_vec_dabt", "hyp_async_abort")]
EXIT = "<exit>"


def asm_blocks(text):
    """label -> list of instruction lines until the next label."""
    blocks, cur = {}, None
    for raw in text.splitlines():
        line = re.sub(r"/\*.*?\*/|@.*$", "", raw).strip()
        m = re.match(r"^([A-Za-z_]\w*):\s*(.*)$", line)
        if m:
            cur = m.group(1)
            blocks[cur] = []
            line = m.group(2)
        if cur and line:
            blocks[cur].append(line)
    return blocks


def asm_calls(blocks, order, label):
    """The calls made from label on, following falls-through and branches to labels."""
    calls = []
    while True:
        if label == "hyp_exit":
            return calls + [EXIT]
        for ins in blocks[label]:
            m = re.match(r"^ldr\s+\w+,\s*=(\w+)$", ins)
            if m:
                calls.append(m.group(1))
            m = re.match(r"^blx?(?:ne|eq)?\s+(\w+)$", ins)
            if m and not re.match(r"^r\d+$", m.group(1)):
                calls.append(m.group(1))
            m = re.match(r"^b\s+(\w+)$", ins)
            if m:
                label = m.group(1)
                break
            # A conditional branch (beq 1f in hyp_vec_dabt: an abort taken in Hyp mode
            # itself goes to the register dump) leaves the guest path: not followed.
        else:
            nxt = order.index(label) + 1
            label = order[nxt]
            continue
        if label not in blocks:
            return calls + [label]


def c_body(text, name):
    m = re.search(r"\n(?:static\s+)?void\s+%s\([^)]*\)\n\{\n(.*?)\n\}\n" % name, text, re.S)
    return m.group(1) if m else None


def c_calls(text, name, exit_fn):
    body = c_body(text, name)
    if body is None:
        return None
    calls = []
    for m in re.finditer(r"\b(\w+)\s*(?:\[[^\]]*\]\s*)?\(", body):
        fn = m.group(1)
        if fn == exit_fn:
            calls.append(EXIT)
        elif fn.startswith("hyp_"):
            calls.append(fn)
    return calls


def main():
    asm = open(VECTORS).read()
    c = open(TRAP_C).read()
    blocks = asm_blocks(asm)
    order = list(blocks)
    errors = []
    exit_slow = re.findall(r"\bblx?(?:ne|eq)?\s+(\w+)", "\n".join(blocks["hyp_exit"]))
    exit_c = c_calls(c, "exit_check", None)
    if exit_c is None:
        errors.append("hyp/core/trap.c has no exit_check()")
    elif [x for x in exit_c if x != EXIT] != exit_slow:
        errors.append("exit check: vectors.S hyp_exit calls %s, trap.c exit_check calls %s"
                      % (exit_slow, exit_c))
    for vec, twin in TWINS:
        if vec not in blocks:
            errors.append("vectors.S has no %s" % vec)
            continue
        a = asm_calls(blocks, order, vec)
        b = c_calls(c, twin, "exit_check")
        if b is None:
            errors.append("hyp/core/trap.c has no %s()" % twin)
        elif a != b:
            errors.append("%s calls %s but its twin %s calls %s" % (vec, a, twin, b))
    for e in errors:
        print("vector twins: " + e)
    if errors:
        return 1
    print("vector twins: %s agree with vectors.S" % ", ".join(t for _, t in TWINS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
