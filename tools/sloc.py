#!/usr/bin/env python3
"""Count source lines of C and assembly: lines with code, without blank and comment lines.

    tools/sloc.py [DIR_OR_FILE ...]      (default: the hypervisor proper, HYPERVISOR_DIRS)

A line counts if anything but white space is left once comments are removed: C's /* */ and
// comments (which the preprocessed .S files use too) and GNU as's ARM line comment '@' in .S
files (outside strings).  String and character literals are skipped, so a "/*" inside one
starts no comment.  A line holding code and a comment counts once.  Files: *.c, *.h, *.S.
"""
import os
import sys

HYPERVISOR_DIRS = ["include", "boot", "hyp", "mm", "vgic", "platform"]
EXTENSIONS = (".c", ".h", ".S")


def code_lines(text, asm=False):
    """The number of lines of `text` that hold code once comments are removed."""
    count = 0
    in_block = False
    for line in text.splitlines():
        code = []
        i = 0
        quote = None
        while i < len(line):
            c = line[i]
            if in_block:
                if line.startswith("*/", i):
                    in_block = False
                    i += 2
                    continue
                i += 1
                continue
            if quote:
                code.append(c)
                if c == "\\":
                    if i + 1 < len(line):
                        code.append(line[i + 1])
                    i += 2
                    continue
                if c == quote:
                    quote = None
                i += 1
                continue
            if line.startswith("/*", i):
                in_block = True
                code.append(" ")
                i += 2
                continue
            if line.startswith("//", i) or (asm and c == "@"):
                break
            if c in "\"'" and not (asm and c == "'"):
                quote = c
            code.append(c)
            i += 1
        if "".join(code).strip():
            count += 1
    return count


def count_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return code_lines(f.read(), asm=path.endswith(".S"))


def source_files(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for dirpath, dirnames, filenames in os.walk(p):
            dirnames.sort()
            for name in sorted(filenames):
                if name.endswith(EXTENSIONS):
                    yield os.path.join(dirpath, name)


def count(paths):
    """{file: lines} for every source file under paths."""
    return {f: count_file(f) for f in source_files(paths)}


def by_folder(counts, root="."):
    """Lines per top-level folder, and the total."""
    folders = {}
    for f, n in counts.items():
        top = os.path.relpath(f, root).split(os.sep)[0]
        folders[top] = folders.get(top, 0) + n
    return folders, sum(counts.values())


def main(argv):
    paths = argv[1:] or HYPERVISOR_DIRS
    counts = count(paths)
    folders, total = by_folder(counts)
    for folder in sorted(folders):
        print("%6d  %s/" % (folders[folder], folder))
    print("%6d  total (%d files)" % (total, len(counts)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
