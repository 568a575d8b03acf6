#!/usr/bin/env python3
"""The build tracks its options (issue 13): a changed build variable rebuilds what it
affects and changes the image, an unchanged one rebuilds nothing, and the version the
image carries is `git describe --always --dirty`.  Builds the hypervisor into a
temporary BUILD= directory; prints PASS/FAIL build.<case>."""
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# What `make` prints (V=0) for each output it rebuilds.
REBUILT = re.compile(r"^\s+(CC|AS|LD|TCFG|ITS|FIT|DISK)\s+(\S+)", re.M)


class Build:
    def __init__(self, build_dir):
        self.build = build_dir
        self.out = os.path.join(build_dir, "qemu-virt", "default")

    def make(self, *variables):
        cmd = ["make", "--no-print-directory", "-C", ROOT, "-j%d" % min(4, os.cpu_count() or 1),
               "BUILD=" + self.build, "PLATFORM=qemu-virt", "CONFIG=default", "VMID_BITS=8",
               "SELFTEST=", "V=0"] + list(variables) + ["hyp"]
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(cmd[4:]), proc.stdout[-600:]))
        return [m.group(2) for m in REBUILT.finditer(proc.stdout)]

    def image_hash(self):
        with open(os.path.join(self.out, "tessera.bin"), "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()[:16]

    def image(self):
        with open(os.path.join(self.out, "tessera.bin"), "rb") as f:
            return f.read()

    def mtimes(self):
        stamps = {}
        for d, _, files in os.walk(self.build):
            for name in files:
                path = os.path.join(d, name)
                stamps[path] = os.stat(path).st_mtime_ns
        return stamps


def check(name, ok, detail):
    print("%s build.%s: %s" % ("PASS" if ok else "FAIL", name, detail), flush=True)
    return ok


def holds_string(image, text):
    """The image holds text as a whole C string (NUL before and after)."""
    return (b"\0" + text.encode() + b"\0") in image


def main():
    tmp = tempfile.mkdtemp(prefix="tessera-build-")
    ok = True
    try:
        b = Build(tmp)
        b.make()
        first = b.image_hash()

        before = b.mtimes()
        rebuilt = b.make()
        changed = sorted(p for p, t in b.mtimes().items() if before.get(p) != t)
        ok &= check("unchanged", not rebuilt and not changed and b.image_hash() == first,
                    "a second make with the same variables rebuilt %s, changed %s"
                    % (rebuilt or "nothing", [os.path.relpath(p, tmp) for p in changed]
                       or "no file"))

        rebuilt = b.make("GIC_REPOKE_MS=0")
        repoke_off = b.image_hash()
        ok &= check("gic-repoke", repoke_off != first and "hyp/core/timer.c" in rebuilt,
                    "GIC_REPOKE_MS=0 rebuilt %d outputs, image %s -> %s"
                    % (len(rebuilt), first, repoke_off))
        rebuilt = b.make("GIC_REPOKE_MS=0")
        ok &= check("gic-repoke-unchanged", not rebuilt,
                    "GIC_REPOKE_MS=0 again rebuilt %s" % (rebuilt or "nothing"))

        # OPT is the optimisation level of most of the hypervisor (a CFLAGS-like variable).
        rebuilt = b.make("OPT=-O2")
        o2 = b.image_hash()
        ok &= check("cflags", o2 not in (first, repoke_off) and "hyp/core/trap.c" in rebuilt,
                    "OPT=-O2 rebuilt %d outputs, image %s" % (len(rebuilt), o2))

        rebuilt = b.make()
        ok &= check("back", b.image_hash() == first and "hyp/core/timer.c" in rebuilt,
                    "the first variables again give the first image back (%s)"
                    % b.image_hash())

        desc = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True).stdout.strip() or "unknown"
        version_h = os.path.join(b.out, "gen", "version.h")
        ok &= check("version", holds_string(b.image(), desc) and desc in open(version_h).read(),
                    "tessera.bin carries '%s' (git describe --always --dirty)" % desc)

        # Another description (a new commit, a dirty tree) recompiles boot/boot.c alone.
        rebuilt = b.make("GIT_DESC=build-tracking-test")
        objs = [r for r in rebuilt if r.endswith((".c", ".S"))]
        ok &= check("version-change",
                    objs == ["boot/boot.c"] and holds_string(b.image(), "build-tracking-test")
                    and not holds_string(b.image(), desc),
                    "a new git description recompiled %s" % (objs or "nothing"))
        b.make()

        # A mistyped CONFIG= names the configurations there are.
        proc = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "BUILD=" + tmp,
                               "PLATFORM=qemu-virt", "CONFIG=nosuch", "hyp"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ok &= check("unknown-config",
                    proc.returncode != 0 and "CONFIG=nosuch: no configs/qemu-virt/nosuch.dts "
                    "(have: " in proc.stdout and " default " in proc.stdout,
                    "make CONFIG=nosuch says: %s" % proc.stdout.strip()[-160:])

        # A signing key for a FIT that is not signed is refused, never ignored; signing on a
        # board whose QEMU machine has no device tree asks for the U-Boot's own.
        for variables, says in ((["FIT_KEY=mine"], "FIT_KEYDIR/FIT_KEY: allwinner-h3's FIT is "
                                 "not signed unless FIT_SIGN=1"),
                                (["FIT_SIGN=1"], "FIT_SIGN: give UBOOT_DTB=")):
            proc = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "BUILD=" + tmp,
                                   "PLATFORM=allwinner-h3"] + variables + ["hyp"],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            ok &= check(variables[0].split("=")[0].lower().replace("_", "-"),
                        proc.returncode != 0 and says in proc.stdout,
                        "make PLATFORM=allwinner-h3 %s says: %s"
                        % (" ".join(variables), proc.stdout.strip()[-160:]))

        # A key, U-Boot tree or U-Boot image the user names and that is missing is said so
        # by its variable, not with make's "No rule to make target" or as a package's.
        for platform, variables, says in (
                ("qemu-virt", ["FIT_KEYDIR=" + os.path.join(tmp, "nokeys"), "FIT_KEY=prod"],
                 "FIT_KEYDIR=%s FIT_KEY=prod: there is no %s" % (
                     os.path.join(tmp, "nokeys"), os.path.join(tmp, "nokeys", "prod.key"))),
                ("allwinner-h3", ["FIT_SIGN=1", "UBOOT_DTB=" + os.path.join(tmp, "none.dtb")],
                 "UBOOT_DTB=%s: no such file" % os.path.join(tmp, "none.dtb")),
                ("allwinner-h3", ["UBOOT_SD_FIRMWARE=" + os.path.join(tmp, "none.bin")],
                 "UBOOT_SD_FIRMWARE=%s: no such file" % os.path.join(tmp, "none.bin"))):
            target = "sd.img" if "SD_FIRMWARE" in variables[-1] else "tessera.itb"
            proc = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "BUILD=" + tmp,
                                   "PLATFORM=" + platform] + variables
                                  + [os.path.join(tmp, platform, "default", target)],
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            ok &= check(variables[-1].split("=")[0].lower().replace("_", "-") + "-missing",
                        proc.returncode != 0 and says in proc.stdout
                        and "No rule" not in proc.stdout,
                        "make PLATFORM=%s %s says: %s"
                        % (platform, " ".join(variables), proc.stdout.strip()[-200:]))
    except (RuntimeError, OSError) as e:
        ok = check("build", False, str(e))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
