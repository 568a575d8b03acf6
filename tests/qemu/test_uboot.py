"""Issues 7 and 15: Tessera boots through Debian's U-Boot, as on a real board.

QEMU virt runs U-Boot for QEMU as firmware (-bios) with disk.img on virtio-blk
(`make run-uboot`); QEMU's orangepi-pc (Allwinner H3) boots sd.img, which holds
u-boot-sunxi at 8 KiB (`make run PLATFORM=allwinner-h3`).  Both images carry a
FAT partition with boot.scr and tessera.itb, the FIT image of the whole system
(tools/image.mk).  With no key pressed, U-Boot's distro boot finds boot.scr,
which loads tessera.itb and starts it with bootm: U-Boot checks the SHA-256 of
the hypervisor and of every guest image, copies the guest images to the image
store (FIT loadables), and every CPU must come up in HYP mode and both
partitions must run.  On QEMU virt the FIT is signed and U-Boot's control
device tree (-dtb) holds the public key as required: a FIT whose guest image
was tampered with is refused.  The TFTP cases stop autoboot and type the
README's commands.
"""
import os
import re
import subprocess

from qemutest import QemuTest, VIRT

# Every case runs on the real clock (icount=False), as `make run` does: under -icount
# (qemutest's default) the H3's SPL never gets past DRAM initialisation, and U-Boot's
# device scan on virt takes five times as long.
UBOOT_QEMU = "/usr/lib/u-boot/qemu_arm/u-boot.bin"
CPU_UP = r"cpu%d: up, MPIDR 0x8000000%d, HYP mode, MMU on, D-cache on, I-cache on"
# The commands README.md gives for TFTP (QEMU's user network: server 10.0.2.2).
TFTP_COMMANDS = ("setenv ipaddr 10.0.2.15; setenv serverip 10.0.2.2; "
                 "tftp ${kernel_addr_r} tessera.itb; "
                 "bootm ${kernel_addr_r}#tessera - ${fdtcontroladdr}\r")
# What bootm says for the FIT: the configuration (signed on virt), the hypervisor at its
# region, the guest image in the image store (configs/*/test-uboot.dts: testguest.bin).
FIT_VIRT = [r"Verifying Hash Integrity \.\.\. sha256,rsa2048:tessera-dev\+ OK",
            r"Trying 'hypervisor' kernel subimage", r"Load Address: 0x48000000",
            r"Trying 'testguest\.bin' loadables subimage",
            r"Loading loadables from 0x\w+ to 0x49000000"]
FIT_H3 = [r"Trying 'hypervisor' kernel subimage", r"Load Address: 0x48000000",
          r"Verifying Hash Integrity \.\.\. sha256\+ OK",
          r"Trying 'testguest\.bin' loadables subimage",
          r"Loading loadables from 0x\w+ to 0x50000000"]


def hypervisor_up(platform):
    """Tessera's banner, a device tree from U-Boot in r2, four CPUs in HYP mode."""
    return ([r"Starting kernel \.\.\.",
             r"\[tessera\] Tessera \d+\.\d+\.\d+ \(.+\), a static-partitioning hypervisor",
             r"platform %s, 4 CPUs, boot CPU 0 \(MIDR 0x\w{8}\), device tree at 0x[0-9a-f]{8}$"
             % platform,
             # The image meant for the board finds QEMU's GIC and runs the workaround tick.
             r"GIC: QEMU's model detected, 1 ms re-evaluation tick on$"]
            # U-Boot's tree (r2) gives the board's RAM: the boot checks the system fits in it.
            + [r"RAM: the system uses 0x40000000-0x\w{8}, in the device tree's memory$"]
            + [CPU_UP % (i, i) for i in range(4)]
            + [r"4 of 4 CPUs up in HYP mode"])


def both_beating(count):
    """Partitions 'first' and 'second' (configs/*/test-uboot.dts) swept their RAM and beat."""
    def check(text):
        problems = []
        for name in ("first", "second"):
            beats = re.findall(r"^\[%s\] TG heartbeat \d+ ok$" % name, text, re.M)
            if len(beats) < count:
                problems.append("%s: %d heartbeats, expected %d" % (name, len(beats), count))
        return problems
    return check


UBOOT_SUNXI = "build/debs/u-boot-sunxi/usr/lib/u-boot/%s/u-boot-sunxi-with-spl.bin"
WORK = os.path.join("build", "test-work")


def sh(root, *cmds):
    """Run shell commands in the tree (sbin on PATH for sfdisk); the problems, if any."""
    env = dict(os.environ, PATH=os.environ.get("PATH", "") + ":/usr/sbin:/sbin",
               MTOOLS_SKIP_CHECK="1")
    for cmd in cmds:
        proc = subprocess.run(cmd, shell=True, cwd=root, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        if proc.returncode != 0:
            return ["prepare: %s: %s" % (cmd, proc.stdout.strip()[-300:])]
    return []


def card_dd(root, out):
    """README: dd the whole sd.img onto a card, here a larger (64 MiB) card image."""
    card = os.path.join(WORK, "uboot-card-dd.img")
    os.makedirs(os.path.join(root, WORK), exist_ok=True)
    return sh(root, "rm -f %s && truncate -s 64M %s" % (card, card),
              "dd if=%s/sd.img of=%s bs=1M conv=notrunc,fsync status=none" % (out, card))


def card_copy(root, out):
    """README: an existing card with its own layout (FAT32 from 4 MiB, a file already
    there) gets U-Boot at 8 KiB (here the Orange Pi Plus build) and boot.scr and
    tessera.itb in /boot/ of its FAT partition (mcopy stands for mount and cp)."""
    card = os.path.join(WORK, "uboot-card-copy.img")
    part = card + "@@4M"
    os.makedirs(os.path.join(root, WORK), exist_ok=True)
    with open(os.path.join(root, WORK, "notes.txt"), "w") as f:
        f.write("a file that was on the card before\n")
    return sh(root, "rm -f %s && truncate -s 64M %s" % (card, card),
              "printf 'label: dos\\nstart=8192, type=c\\n' | sfdisk -q %s" % card,
              "mformat -i %s -F -T %d -h 64 -s 32 -H 8192 -v CARD ::" % (part, 60 * 2048),
              "mcopy -i %s %s/notes.txt ::" % (part, WORK),
              "dd if=%s of=%s bs=1024 seek=8 conv=notrunc,fsync status=none"
              % (UBOOT_SUNXI % "orangepi_plus", card),
              "mmd -i %s ::/boot" % part,
              "mcopy -i %s %s/boot.scr %s/tessera.itb ::/boot/" % (part, out, out))


TEST_GUESTS = [r"^\[first\] TG PASS memory\.sweep$", r"^\[second\] TG PASS memory\.sweep$"]
FORBID = [r"ERROR", r"TG FAIL", r"CORRUPT", r"SCRIPT FAILED", r"Tessera: bootm failed",
          r"not in HYP mode"]

# U-Boot's control device tree: QEMU's own with the FIT's public key (tools/image.mk).
VIRT_UBOOT = ["-bios", UBOOT_QEMU, "-dtb", "{out}/u-boot-control.dtb"]
VIRT_DISK = ["-drive", "if=none,file={out}/disk.img,format=raw,id=d0",
             "-device", "virtio-blk-device,drive=d0"]
# As platform/allwinner-h3/platform.mk runs it: the counter at the board's 24 MHz.
H3 = ["-M", "orangepi-pc", "-global", "cortex-a7-arm-cpu.cntfrq=24000000"]
H3_SD = ["-drive", "file={out}/sd.img,format=raw,if=sd"]


def on_h3(args=None, machine=None):
    """The keyword arguments of a boot of Debian's U-Boot in QEMU's orangepi-pc from an SD
    image (sd.img unless 'args' says otherwise): no -kernel, and never -icount, under which the
    H3's SPL does not get past DRAM set-up."""
    return dict(machine=machine or H3, kernel=False, icount=False,
                args=H3_SD if args is None else args)

TESTS = [
    QemuTest(
        "uboot.virt",
        "QEMU virt: U-Boot (-bios) autoboots disk.img's boot.scr with no key pressed; "
        "Tessera starts in HYP mode on 4 CPUs and both partitions run",
        build={"CONFIG": "test-uboot"},
        kernel=False,
        icount=False,
        args=VIRT_UBOOT + VIRT_DISK,
        expect=[r"U-Boot 2023\.01",
                r"Hit any key to stop autoboot",
                r"Scanning virtio 0:1\.\.\.",
                r"Found U-Boot script /boot\.scr",
                r"Tessera: loading /tessera\.itb from virtio 0:1"]
        + FIT_VIRT + hypervisor_up("qemu-virt") + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 10 ok$",
        check=both_beating(5),
        timeout=60,
    ),
    QemuTest(
        "uboot.orangepi_pc",
        "Allwinner H3 (QEMU orangepi-pc): SPL and U-Boot from sd.img at 8 KiB autoboot "
        "boot.scr with no key pressed; Tessera starts in HYP mode on 4 CPUs and both "
        "partitions run",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "test-uboot"},
        **on_h3(),
        expect=[r"U-Boot SPL 2023\.01",
                r"DRAM: 1024 MiB",
                r"Trying to boot from MMC1",
                r"CPU:\s+Allwinner H3",
                r"Hit any key to stop autoboot",
                r"Scanning mmc 0:1\.\.\.",
                r"Found U-Boot script /boot\.scr",
                r"Tessera: loading /tessera\.itb from mmc 0:1"]
        + FIT_H3 + hypervisor_up("allwinner-h3") + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 10 ok$",
        check=both_beating(5),
        timeout=90,
    ),
    QemuTest(
        "uboot.orangepi_pc_firmware_gic",
        "Allwinner H3 with the GIC state U-Boot leaves on the board: QEMU's Cortex-A7 "
        "reports the GIC-400 base in CBAR, as the silicon does, so bootm's switch to "
        "Non-secure reaches the GIC and makes every interrupt Group 1; both partitions "
        "must still run (QEMU's GIC has no Security Extensions, so this needs vgic/gic.c "
        "to own the groups)",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "test-uboot"},
        **on_h3(machine=H3 + ["-global", "cortex-a7-arm-cpu.reset-cbar=0x01c80000"]),
        expect=[r"Found U-Boot script /boot\.scr"] + hypervisor_up("allwinner-h3")
        + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 10 ok$",
        check=both_beating(5),
        timeout=45,
    ),
    QemuTest(
        "uboot.orangepi_pc_default",
        "Allwinner H3 (QEMU orangepi-pc), the default system from sd.img: both RTOS "
        "partitions run and the telemetry channel carries records",
        build={"PLATFORM": "allwinner-h3"},
        **on_h3(),
        expect=[r"Found U-Boot script /boot\.scr"] + hypervisor_up("allwinner-h3")
        + [r"^\[sensor\] rtos: .*role=producer",
           r"^\[logger\] rtos: .*role=consumer",
           r"^\[sensor\] producer: sent seq=5 ",
           r"^\[logger\] consumer: recv seq=5 .* ok$"],
        forbid=[r"ERROR", r"not in HYP mode", r"SCRIPT FAILED"],
        timeout=90,
    ),
    QemuTest(
        "uboot.orangepi_pc_card_dd",
        "Allwinner H3: sd.img written with dd onto a larger card boots as it is",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "test-uboot"},
        prepare=card_dd,
        **on_h3(["-drive", "file={root}/build/test-work/uboot-card-dd.img,format=raw,if=sd"]),
        expect=[r"Found U-Boot script /boot\.scr"] + hypervisor_up("allwinner-h3")
        + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 5 ok$",
        timeout=90,
    ),
    QemuTest(
        "uboot.orangepi_pc_card_copy",
        "Allwinner H3: an existing card (FAT32 at 4 MiB, Orange Pi Plus U-Boot at 8 KiB) "
        "with boot.scr and tessera.itb copied to /boot/ autoboots Tessera",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "test-uboot"},
        prepare=card_copy,
        **on_h3(["-drive", "file={root}/build/test-work/uboot-card-copy.img,format=raw,if=sd"]),
        expect=[r"Model: Xunlong Orange Pi Plus",
                r"Found U-Boot script /boot/boot\.scr",
                r"Tessera: loading /boot/tessera\.itb from mmc 0:1"]
        + hypervisor_up("allwinner-h3") + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 5 ok$",
        timeout=90,
    ),
    QemuTest(
        "uboot.virt_ram_smaller",
        "QEMU virt with 256 MiB (-m 256) where the system's partitions lie at 0x50000000 and "
        "up: U-Boot's device tree says so and Tessera refuses to start anything, naming the "
        "RAM it found and the RAM the system uses (on an H3, whose DRAM controller repeats "
        "a smaller DRAM across its window, the partitions would overwrite the hypervisor)",
        build={"CONFIG": "test-uboot"},
        machine=[a if a != "1024" else "256" for a in VIRT],
        kernel=False,
        icount=False,
        args=VIRT_UBOOT + VIRT_DISK,
        expect=[r"DRAM:\s+256 MiB", r"Found U-Boot script /boot\.scr",
                r"ERROR: RAM: the boot loader's device tree gives RAM 0x40000000-0x4fffffff "
                r"only \(1 memory range, the first 256 MiB at 0x40000000\), but this system "
                r"uses 0x40000000-0x517fffff: halted, nothing started",
                r"ERROR: RAM: build a system that fits this board's RAM"],
        forbid=[r"\): start 1,", r"^\[first\]", r"^\[second\]", r"cpu1: up"],
        timeout=60,
    ),
    QemuTest(
        "uboot.virt_tftp",
        "QEMU virt: autoboot stopped, tessera.itb fetched by TFTP and started with bootm "
        "(README's commands)",
        build={"CONFIG": "test-uboot"},
        kernel=False,
        icount=False,
        args=VIRT_UBOOT + ["-netdev", "user,id=n0,tftp={out}",
                           "-device", "virtio-net-device,netdev=n0"],
        inputs=[(r"Hit any key to stop autoboot", " "), (r"^=> ", TFTP_COMMANDS)],
        expect=[r"Filename 'tessera\.itb'", r"Bytes transferred = \d+"]
        + hypervisor_up("qemu-virt") + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 5 ok$",
        timeout=60,
    ),
    QemuTest(
        "uboot.virt_dtb_in_store",
        "QEMU virt: U-Boot told to place the device tree it passes just below the image "
        "store's end (fdt_high), so bootm's copy of it (2 MiB on virt, free space included) "
        "writes over the image it has just loaded there: the image is refused and the "
        "message names the likely cause, nothing starts",
        build={"CONFIG": "test-uboot"},
        kernel=False,
        icount=False,
        args=VIRT_UBOOT + ["-netdev", "user,id=n0,tftp={out}",
                           "-device", "virtio-net-device,netdev=n0"],
        inputs=[(r"Hit any key to stop autoboot", " "),
                (r"^=> ", "setenv fdt_high 0x49015000; " + TFTP_COMMANDS)],
        expect=[r"Loading Device Tree to 48\w{6}, end 4901\w{4}",
                r"ERROR: partition 0 \(first\): image testguest\.bin \(\d+ bytes at "
                r"0x49000000 in the image store\) does not match its SHA-256: not starting "
                r"it \(written over after it was loaded\? U-Boot's bootm copies its device "
                r"tree below fdt_high last\)"],
        forbid=[r"\): start 1,", r"^\[first\]", r"^\[second\]"],
        timeout=60,
    ),
    QemuTest(
        "uboot.orangepi_pc_tftp",
        "Allwinner H3 (QEMU orangepi-pc, its EMAC): autoboot stopped, tessera.itb "
        "fetched by TFTP and started with bootm (README's commands)",
        build={"PLATFORM": "allwinner-h3", "CONFIG": "test-uboot"},
        **on_h3(H3_SD + ["-nic", "user,tftp={out}"]),
        inputs=[(r"Hit any key to stop autoboot", " "), (r"^=> ", TFTP_COMMANDS)],
        expect=[r"Filename 'tessera\.itb'", r"Bytes transferred = \d+"]
        + hypervisor_up("allwinner-h3") + TEST_GUESTS,
        forbid=FORBID,
        done=r"^\[second\] TG heartbeat 5 ok$",
        timeout=90,
    ),
]


# ---- Verified boot (QEMU virt): U-Boot refuses a FIT whose guest image was tampered with.

def tampered_fit(kind):
    """prepare: build/test-work/fit-<kind>/tessera.itb from the build's FIT, changed:
    'byte' flips one byte of testguest.bin inside the signed FIT (its hash no longer
    matches); 'hyp-byte' one byte of the hypervisor, whose image holds the compiled
    configuration too; 'other-key' signs the same FIT with another key of the same name;
    'resigned' repacks the FIT from the same source with a changed testguest.bin but without
    the key, as someone without it would (hashes consistent, no valid signature)."""
    def prepare(root, out):
        work = os.path.join(root, WORK, "fit-" + kind)
        os.makedirs(work, exist_ok=True)
        guest = open(os.path.join(root, "build", "guests", "testguest.bin"), "rb").read()
        if kind in ("byte", "hyp-byte"):
            fit = bytearray(open(os.path.join(root, out, "tessera.itb"), "rb").read())
            data = guest if kind == "byte" else \
                open(os.path.join(root, out, "tessera.bin"), "rb").read()
            at = fit.find(data)
            if at < 0:
                return ["prepare: the image was not found inside tessera.itb"]
            fit[at + len(data) // 2] ^= 0x01
            open(os.path.join(work, "tessera.itb"), "wb").write(bytes(fit))
            return []
        if kind == "other-key":
            keys = os.path.join(work, "keys")
            os.makedirs(keys, exist_ok=True)
            key = os.path.join(keys, "tessera-dev")
            return sh(root, "openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 "
                      "-out %s.key 2>/dev/null" % key,
                      "openssl req -batch -new -x509 -key %s.key -out %s.crt -subj "
                      "/CN=tessera-dev -days 1" % (key, key),
                      "mkimage -f %s/tessera.its -k %s -r %s/tessera.itb >/dev/null"
                      % (out, keys, work))
        bad = bytearray(guest)
        bad[len(bad) // 2] ^= 0x01
        open(os.path.join(work, "testguest.bin"), "wb").write(bytes(bad))
        its = open(os.path.join(root, out, "tessera.its")).read()
        its = its.replace(os.path.join(os.path.realpath(root), "build", "guests",
                                       "testguest.bin"),
                          os.path.join(os.path.realpath(work), "testguest.bin"))
        open(os.path.join(work, "tessera.its"), "w").write(its)
        return sh(root, "mkimage -f %s/tessera.its %s/tessera.itb >/dev/null" % (work, work))
    return prepare


def fit_refused(kind, expect, done):
    """A QemuTest's arguments for a boot of tampered_fit(kind) through README's TFTP commands,
    which U-Boot must refuse: 'expect' what it says, 'done' where the run ends."""
    return dict(build={"CONFIG": "test-uboot"}, kernel=False, icount=False,
                prepare=tampered_fit(kind),
                args=VIRT_UBOOT + ["-netdev", "user,id=n0,tftp={root}/build/test-work/fit-"
                                   + kind, "-device", "virtio-net-device,netdev=n0"],
                inputs=[(r"Hit any key to stop autoboot", " "), (r"^=> ", TFTP_COMMANDS)],
                expect=[r"Bytes transferred = \d+"] + expect,
                forbid=[r"Starting kernel", r"\[tessera\]"], done=done, timeout=60)


BAD_HASH_DONE = r"Bad hash value[\s\S]*^=> $"
NO_SIGNATURE = [r"Failed to verify required signature"]
NO_SIGNATURE_DONE = r"required signature[\s\S]*^=> $"

TESTS += [
    QemuTest(
        "uboot.virt_fit_tampered_image",
        "QEMU virt, verified boot: one byte of the guest image inside the signed FIT "
        "flipped; U-Boot finds its SHA-256 wrong and does not start Tessera",
        **fit_refused("byte", [
            r"Verifying Hash Integrity \.\.\. sha256,rsa2048:tessera-dev\+ OK",
            r"Trying 'testguest\.bin' loadables subimage",
            r"Bad hash value for 'hash-1' hash node in 'testguest\.bin' image node"],
            BAD_HASH_DONE)),
    QemuTest(
        "uboot.virt_fit_tampered_hypervisor",
        "QEMU virt, verified boot: one byte of the hypervisor (with its compiled "
        "configuration) inside the signed FIT flipped; U-Boot refuses it",
        **fit_refused("hyp-byte",
                      [r"Bad hash value for 'hash-1' hash node in 'hypervisor' image node"],
                      BAD_HASH_DONE)),
    QemuTest(
        "uboot.virt_fit_other_key_refused",
        "QEMU virt, verified boot: the FIT signed by another key of the same name; U-Boot, "
        "which holds the build's public key, refuses it",
        **fit_refused("other-key", NO_SIGNATURE, NO_SIGNATURE_DONE)),
    QemuTest(
        "uboot.virt_fit_unsigned_refused",
        "QEMU virt, verified boot: the FIT repacked with a changed guest image and "
        "consistent hashes but no signature by the required key; U-Boot refuses it",
        **fit_refused("resigned", NO_SIGNATURE, NO_SIGNATURE_DONE)),
]


# ---- A locked-down U-Boot (FIT_LOCKED=1, QEMU virt): the signed FIT or nothing.
#
# The control device tree's /config bootcmd replaces the distro boot: no boot script, no
# network, verify forced.  What someone who can write the disk may put there is ignored
# (a script that turns verification off and boots an unsigned FIT), and a disk holding only
# an unsigned FIT ends in a reset, never in U-Boot's prompt.  (Debian's U-Boot for QEMU still
# counts down 2 s for a key at the console; README, Verified boot, says what a board's own
# U-Boot build sets against that.)

# What a disk attacker writes as boot.scr: verification off, then the FIT on the disk.
ATTACK_SCRIPT = ("echo ATTACK: a boot script from the disk\n"
                 "setenv verify no\n"
                 "load virtio 0:1 0x40400000 tessera.itb\n"
                 "bootm 0x40400000#tessera - ${fdtcontroladdr}\n")


def attacked_disk(unsigned):
    """prepare: build/test-work/locked-<kind>/disk.img, the build's disk with boot.scr
    replaced by ATTACK_SCRIPT; with 'unsigned', tessera.itb replaced by the FIT repacked with
    a changed guest image and no signature (tampered_fit's 'resigned'), and the same script
    offered by TFTP (a network boot must not be tried)."""
    kind = "unsigned" if unsigned else "script"

    def prepare(root, out):
        work = os.path.join(WORK, "locked-" + kind)
        os.makedirs(os.path.join(root, work), exist_ok=True)
        with open(os.path.join(root, work, "attack.cmd"), "w") as f:
            f.write(ATTACK_SCRIPT)
        problems = sh(root, "cp %s/disk.img %s/disk.img" % (out, work),
                      "mkimage -A arm -O linux -T script -C none -d %s/attack.cmd "
                      "%s/boot.scr >/dev/null" % (work, work),
                      "cp %s/boot.scr %s/boot.scr.uimg" % (work, work),
                      "mcopy -o -i %s/disk.img@@1M %s/boot.scr ::boot.scr" % (work, work))
        if unsigned and not problems:
            problems = tampered_fit("resigned")(root, out) or sh(
                root, "mcopy -o -i %s/disk.img@@1M %s/fit-resigned/tessera.itb ::tessera.itb"
                % (work, WORK))
        return problems
    return prepare


LOCKED_BUILD = {"CONFIG": "test-uboot", "FIT_LOCKED": "1"}


def locked(kind, **kw):
    """A QemuTest's arguments for a locked-down U-Boot (-bios, its control tree) on the disk
    attacked_disk made for 'kind' ("script" or "unsigned")."""
    work = "{root}/build/test-work/locked-" + kind
    return dict(build=LOCKED_BUILD, kernel=False, icount=False,
                prepare=attacked_disk(kind == "unsigned"),
                args=VIRT_UBOOT + ["-drive", "if=none,file=%s/disk.img,format=raw,id=d0" % work,
                                   "-device", "virtio-blk-device,drive=d0"] + kw.pop("args", []),
                timeout=60, **kw)
LOCKED_FORBID = [r"ATTACK", r"Scanning virtio", r"Executing script", r"DHCP", r"BOOTP",
                 r"Found U-Boot script"]

TESTS += [
    QemuTest(
        "uboot.virt_locked_ignores_disk_script",
        "QEMU virt, U-Boot locked down (FIT_LOCKED=1): the disk's boot.scr replaced by one "
        "that sets verify=no is never run; U-Boot's fixed boot command checks the signed FIT "
        "and Tessera starts",
        **locked("script",
                 expect=[r"U-Boot 2023\.01"] + FIT_VIRT + hypervisor_up("qemu-virt") + TEST_GUESTS,
                 forbid=FORBID + LOCKED_FORBID,
                 done=r"^\[second\] TG heartbeat 3 ok$")),
    QemuTest(
        "uboot.virt_locked_refuses_unsigned",
        "QEMU virt, U-Boot locked down: a disk holding an unsigned FIT and a script that "
        "turns verification off, the same script on the network; U-Boot refuses the FIT, "
        "tries neither script nor network, and resets without reaching its prompt",
        **locked("unsigned",
                 args=["-netdev", "user,id=n0,tftp={root}/build/test-work/locked-unsigned",
                       "-device", "virtio-net-device,netdev=n0"],
                 expect=[r"U-Boot 2023\.01", r"Failed to verify required signature",
                         r"Tessera: no signed system to start: resetting",
                         r"resetting \.\.\.[\s\S]*U-Boot 2023\.01"],
                 forbid=LOCKED_FORBID + [r"Starting kernel", r"\[tessera\]", r"^=> "],
                 done=r"resetting \.\.\.[\s\S]*U-Boot 2023\.01[\s\S]*Hit any key")),
]
