#!/usr/bin/env python3
"""Worst-case Hyp stack depth of the hypervisor ELF (`make stack-report`, check.stack).

    stack_report.py --elf tessera.elf --obj OBJDIR --gen GENDIR [--layout hyp/arch/layout.h]

Call graph: every bl/blx/b to another function in `objdump -d` of the linked ELF (so
after inlining and --gc-sections, with the assembly, newlib and libgcc included), plus the
indirect calls declared in tests/gates/stack.txt.  Frame sizes: gcc's -fstack-usage
(.su files beside the objects; 'dynamic' frames fail the gate), and for code without
them (assembly, newlib, libgcc) the sum of the stack-pointer decrements in its
disassembly.  The depth of each root (stack.txt: reset, secondary start, the exception
vectors with their trap frame) is its deepest call chain; a Hyp-mode exception taken at
the deepest point ("nested" vectors: the register dump) comes on top.  The total must
leave --margin bytes of HYP_STACK_SIZE (hyp/arch/layout.h) free.  Exit status 1 if not, or if
the graph has an undeclared indirect call or recursion, a dynamic frame, or code outside
any function's extent (a linker stub with no symbol of its own).
"""
import argparse
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "tests", "gates", "stack.txt")

FUNC = re.compile(r"^([0-9a-f]+) <([^>]+)>:$")
INSN = re.compile(r"^\s*([0-9a-f]+):\s+(\S+)\s*(.*?)\s*(?:@.*)?$")
TARGET = re.compile(r"<([^>+]+)(\+0x[0-9a-f]+)?>")
BRANCH = re.compile(r"^(bl|blx|b)(eq|ne|cs|hs|cc|lo|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.n|\.w)?$")
REG = r"(r\d+|sb|sl|fp|ip|lr)"


class Fn:
    def __init__(self, addr, name):
        self.addr, self.name = addr, name
        self.calls = set()  # addresses
        self.indirect = False
        self.last = None  # (op, args) of its last instruction: does it fall through?
        self.sp_dec = 0  # bytes of SP decrements seen in the disassembly
        self.frame = None  # from .su
        self.qual = "static"
        self.src = None  # "file:line" from the debug info

    def label(self):
        return self.name


def reglist_count(text):
    m = re.search(r"\{([^}]*)\}", text)
    if not m:
        return 0
    n = 0
    for part in m.group(1).split(","):
        part = part.strip()
        r = re.match(r"[rd](\d+)-[rd](\d+)", part)
        n += int(r.group(2)) - int(r.group(1)) + 1 if r else 1
    return n


def symbol_sizes(nm, elf):
    """{address: size} of the ELF's code symbols (0 where the source gave none: assembly)."""
    out = subprocess.run([nm, "-S", elf], capture_output=True, text=True, check=True).stdout
    return {int(p[0], 16): int(p[1], 16) for p in (line.split() for line in out.splitlines())
            if len(p) == 4 and p[2] in "tTwW"}


def parse_objdump(objdump, elf, sizes, orphans):
    """The functions of `objdump -d` with their calls and SP decrements.  An instruction past
    its symbol's size that is no literal or padding belongs to no function (a linker stub:
    ld's Cortex-A8 erratum stubs had no symbol): it goes to 'orphans', because counting it
    with the symbol before it would give that function calls it does not make."""
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], capture_output=True,
                         text=True, check=True).stdout
    fns, by_name, cur, end = {}, {}, None, None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            cur = Fn(int(m.group(1), 16), m.group(2))
            fns[cur.addr] = cur
            by_name.setdefault(cur.name, []).append(cur)
            end = cur.addr + sizes[cur.addr] if sizes.get(cur.addr) else None
            continue
        m = INSN.match(line)
        if not m or cur is None:
            continue
        op, args = m.group(2), m.group(3)
        if end is not None and int(m.group(1), 16) >= end:
            if not op.startswith(".") and op != "nop":
                orphans.append("0x%s: %s %s, after %s's end" % (m.group(1), op, args, cur.name))
            continue
        prev = cur.last
        if not op.startswith("."):  # not a literal pool's .word
            cur.last = (op, args)
        if op in ("push", "stmdb", "stmfd") and (op == "push" or args.startswith("sp!")):
            cur.sp_dec += 4 * reglist_count(args)
        elif op == "vpush":
            cur.sp_dec += 8 * reglist_count(args)
        elif op in ("sub", "sub.w", "subw") and re.match(r"sp,\s*(sp,\s*)?#", args):
            cur.sp_dec += int(re.search(r"#(\d+)", args).group(1))
        elif op.startswith("str") and re.search(r"\[sp, #-(\d+)\]!", args):
            cur.sp_dec += int(re.search(r"\[sp, #-(\d+)\]!", args).group(1))
        b = BRANCH.match(op)
        if b:
            t = TARGET.search(args)
            a = re.match(r"([0-9a-f]+) <", args)
            past_end = a and t and t.group(2) and int(t.group(2), 16) >= \
                (sizes.get(int(a.group(1), 16) - int(t.group(2), 16)) or 1 << 32)
            if t and not past_end:  # a branch past a function's end goes to an orphan
                cur.calls.add(t.group(1))  # by name, resolved below
            elif re.match(REG + r"$", args) and args != "lr":
                cur.indirect = True
        elif op.startswith("bx") and re.match(REG + r"$", args) and args != "lr":
            cur.indirect = True
        elif op.startswith("ldr") and args.startswith("pc, [pc,"):
            pass  # a switch's jump table: its targets are inside the function
        elif op.startswith("ldr") and re.match(r"pc, \[sp\], #", args):
            pass  # Thumb-2's return that pops only the pc: ldr.w pc, [sp], #4
        elif op.startswith("ldr") and prev and prev[0] == "add" and \
                re.match(r"pc, \[(\w+), \w+, lsl #2\]", args) and \
                prev[1].startswith(re.match(r"pc, \[(\w+)", args).group(1) + ", pc, #"):
            pass  # Thumb-2's switch: adr rX, table; ldr.w pc, [rX, rY, lsl #2]
        elif op.startswith("mov") and args.startswith("pc,") or \
                (op.startswith("ldr") and args.startswith("pc,")):
            cur.indirect = True
    # The linker's interworking veneers (__f_from_arm, __f_from_thumb, __f_veneer) load the
    # pc from a literal: each calls its f.
    for f in fns.values():
        v = re.match(r"__(\w+?)_(from_arm|from_thumb|veneer)$", f.name)
        if v:
            f.calls.add(v.group(1))
    # Resolve branch targets to functions (a label inside the same function is no call).
    for f in fns.values():
        names, f.calls = f.calls, set()
        for n in names:
            if n == f.name or n not in by_name:
                continue
            f.calls.update(g.addr for g in by_name[n])
    return fns, by_name


def add_fallthrough(fns):
    """Our assembly that runs on into the next symbol (a vector stub into hyp_exit) calls it.

    Only for this tree's assembly: C code (with a .su) ends a function with a call only
    when the callee does not return, and newlib and libgcc are not ours to read so.
    """
    order = sorted(fns)
    for a, b in zip(order, order[1:]):
        f = fns[a]
        if f.frame is None and f.src and not f.src[0].startswith("..") and f.last and \
                not terminal(*f.last):
            f.calls.add(b)


def terminal(op, args):
    """Does this instruction end a function's straight-line code (nothing after it runs)?"""
    base = re.sub(r"(\.n|\.w)$", "", op)
    if base in ("b", "bx", "eret", "udf", "bkpt") or base.startswith("bx"):
        return True
    if base in ("pop", "ldm", "ldmia", "ldmfd") and "pc" in args:
        return True
    return (base.startswith("mov") or base.startswith("ldr")) and args.startswith("pc,")


def table_targets(objdump, nm, elf, symbol):
    """The function addresses stored in the table 'symbol' (a const array in the ELF)."""
    for line in subprocess.run([nm, "-S", elf], capture_output=True, text=True).stdout.split("\n"):
        parts = line.split()
        if len(parts) == 4 and parts[3] == symbol:
            start, size = int(parts[0], 16), int(parts[1], 16)
            break
    else:
        return None
    dump = subprocess.run([objdump, "-s", "--start-address=0x%x" % start,
                           "--stop-address=0x%x" % (start + size), elf], capture_output=True,
                          text=True).stdout
    data = b""
    for line in dump.splitlines():
        m = re.match(r"^\s*[0-9a-f]+ ((?:[0-9a-f]{2,8} ?){1,4})", line)
        if m:
            data += bytes.fromhex(m.group(1).replace(" ", ""))
    return {int.from_bytes(data[i:i + 4], "little") & ~1 for i in range(0, len(data) - 3, 4)}


def add_sources(nm, elf, fns):
    out = subprocess.run([nm, "-l", elf], capture_output=True, text=True).stdout
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[1] in "tTwW":
            addr = int(parts[0], 16)
            if addr in fns and ":" in parts[3]:
                path, lineno = parts[3].rsplit(":", 1)
                fns[addr].src = (os.path.relpath(path, ROOT), lineno)


def add_frames(fns, dirs):
    su = {}
    for d in dirs:
        for dirpath, _, files in os.walk(d):
            for name in files:
                if not name.endswith(".su"):
                    continue
                for line in open(os.path.join(dirpath, name)):
                    loc, size, qual = line.rstrip("\n").split("\t")
                    path, lineno, _, func = loc.rsplit(":", 3)
                    su[(os.path.normpath(path), lineno, func)] = (int(size), qual)
                    su.setdefault(("*", func), []).append((int(size), qual))
    for f in fns.values():
        base = f.name.split(".")[0]  # translate.isra.0 -> translate
        hit = None
        # .su: translate.isra for translate.isra.0, manage.constprop.isra for
        # manage.constprop.0.isra.0
        for name in (f.name, re.sub(r"\.\d+(?=\.|$)", "", f.name), base):
            hit = hit or (su.get((f.src[0], f.src[1], name)) if f.src else None)
        if not hit and ("*", base) in su and len(su[("*", base)]) == 1:
            hit = su[("*", base)][0]
        if hit:
            f.frame, f.qual = hit


def load_spec():
    spec = {"indirect": {}, "recursion": {}, "reset": {}, "root": [], "nested": {},
            "table": {}}
    for line in open(SPEC):
        line = line.split("#")[0].split()
        if not line:
            continue
        kind, name, rest = line[0], line[1], line[2:]
        if kind in ("indirect", "table"):
            spec[kind][name] = rest
        elif kind in ("recursion", "reset", "nested"):
            spec[kind][name] = int(rest[0])
        else:
            spec[kind].append(name)
    return spec


def find(by_name, fns, key):
    """'name' or 'name@file' to the functions it means."""
    name, _, path = key.partition("@")
    cands = by_name.get(name, [])
    if path:
        cands = [f for f in cands if f.src and f.src[0] == path]
    return cands


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--elf", required=True)
    ap.add_argument("--obj", required=True, help="object directory with the .su files")
    ap.add_argument("--gen", required=True, help="the build's gen/ (config.su)")
    ap.add_argument("--layout", default=os.path.join(ROOT, "hyp", "layout.h"))
    ap.add_argument("--objdump", default="arm-none-eabi-objdump")
    ap.add_argument("--nm", default="arm-none-eabi-nm")
    ap.add_argument("--margin", type=int, default=2048,
                    help="bytes of the stack that must stay unused (default 2048)")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    layout = open(args.layout).read()
    stack_size = 1 << int(re.search(r"#define HYP_STACK_SHIFT (\d+)", layout).group(1))
    orphans = []
    fns, by_name = parse_objdump(args.objdump, args.elf, symbol_sizes(args.nm, args.elf),
                                 orphans)
    add_sources(args.nm, args.elf, fns)
    add_frames(fns, [args.obj, args.gen])
    add_fallthrough(fns)
    spec = load_spec()
    problems = ["code outside any function, %s: the call graph cannot place it" % o
                for o in orphans[:3]]

    # Indirect calls: each site's function must be declared, each declaration must match.
    declared = {}
    for key, targets in spec["indirect"].items():
        callers = find(by_name, fns, key)
        if not callers:
            problems.append("stack.txt: indirect %s: no such function in the ELF" % key)
        for c in callers:
            if not c.indirect:
                problems.append("stack.txt: indirect %s: it makes no indirect call" % key)
            for t in targets:
                tf = by_name.get(t)
                if not tf:
                    problems.append("stack.txt: indirect %s: target %s not in the ELF"
                                    % (key, t))
                else:
                    c.calls.update(g.addr for g in tf)
            declared[c.addr] = True
    for key, tables in spec["table"].items():
        for table in tables:
            targets = table_targets(args.objdump, args.nm, args.elf, table)
            callers = find(by_name, fns, key)
            if targets is None or not callers:
                problems.append("stack.txt: table %s %s: not in the ELF" % (key, table))
                continue
            for c in callers:
                if not c.indirect:
                    problems.append("stack.txt: table %s: it makes no indirect call" % key)
                unknown = sorted(t for t in targets if t not in fns)
                if unknown:
                    problems.append("stack.txt: %s holds 0x%x, no function"
                                    % (table, unknown[0]))
                c.calls.update(t for t in targets if t in fns)
                declared[c.addr] = True
    for f in fns.values():
        if f.indirect and f.addr not in declared:
            problems.append("%s makes an indirect call that tests/gates/stack.txt does not "
                            "account for" % f.name)
        if f.frame is not None and f.qual != "static":
            problems.append("%s has a %s stack frame (%d bytes)" % (f.name, f.qual, f.frame))

    def frame(f):
        return f.frame if f.frame is not None else f.sp_dec

    # Depth: (relative depth of the deepest chain, absolute depth after an SP reset).
    memo, active, stack = {}, set(), []

    def depth(addr):
        if addr in memo:
            return memo[addr]
        f = fns[addr]
        if addr in active:
            loop = stack[stack.index(addr):]
            if f.name not in spec["recursion"] and \
                    not any(fns[a].name in spec["reset"] for a in loop):
                problems.append("recursion through %s is not declared in stack.txt"
                                % " -> ".join(fns[a].name for a in loop + [addr]))
            return (0, [], None, [])  # counted at its head, or the SP was reset on the way
        active.add(addr)
        stack.append(addr)
        best_rel, chain_rel, best_abs, chain_abs = 0, [], None, []
        for c in sorted(f.calls):
            rel, crel, ab, cab = depth(c)
            if rel > best_rel:
                best_rel, chain_rel = rel, crel
            if ab is not None and (best_abs is None or ab > best_abs):
                best_abs, chain_abs = ab, cab
        active.discard(addr)
        stack.pop()
        own = frame(f) * spec["recursion"].get(f.name, 1)
        me = "%s (%d)" % (f.name, own)
        if f.name in spec["reset"]:
            result = (own, [me], spec["reset"][f.name] + best_rel, [me] + chain_rel)
            if best_abs is not None and best_abs > result[2]:
                result = (own, [me], best_abs, [me] + chain_abs)
        else:
            result = (own + best_rel, [me] + chain_rel,
                      best_abs, [me] + chain_abs if best_abs is not None else [])
        memo[addr] = result
        return result

    def worst(names):
        best, chain, where = 0, [], None
        for n in names:
            for f in by_name.get(n, []):
                rel, crel, ab, cab = depth(f.addr)
                if rel > best:
                    best, chain, where = rel, crel, n
                if ab is not None and ab > best:
                    best, chain, where = ab, ["(SP at the trap frame)"] + cab, n
            if n not in by_name:
                problems.append("stack.txt: root %s not in the ELF" % n)
        return best, chain, where

    print("stack: per-CPU stack %d bytes (hyp/arch/layout.h), margin %d" % (stack_size,
                                                                      args.margin))
    results = []
    for r in spec["root"]:
        d, chain, _ = worst([r])
        results.append((d, r, chain))
        print("stack: %-16s %5d bytes: %s" % (r, d, " -> ".join(chain)))
    base, base_root, base_chain = max(results)
    nested, nchain, nroot = 0, [], None
    for n, extra in spec["nested"].items():
        d, chain, _ = worst([n])
        if d + extra > nested:
            nested, nchain, nroot = d + extra, ["exception frame (%d)" % extra] + chain, n
    total = base + nested
    print("stack: nested Hyp-mode exception (%s) on top: %d bytes: %s"
          % (nroot, nested, " -> ".join(nchain)))
    if args.verbose:
        for f in sorted(fns.values(), key=lambda f: f.name):
            if f.frame is None:
                print("stack: no .su for %s: %d bytes from its disassembly" % (f.name,
                                                                             f.sp_dec))
    ok = total + args.margin <= stack_size and not problems
    for p in problems:
        print("stack: problem: " + p)
    print("stack: deepest %d bytes (%s %d + nested exception %d) of %d: %s"
          % (total, base_root, base, nested, stack_size,
             "ok, %d bytes to spare" % (stack_size - total) if ok else "FAILS"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
