"""Issue 15: guest images live in the image store, outside the hypervisor's image.

QEMU's generic loader places each image at the store address tcfg chose
(gen/images.txt); the hypervisor checks each against the SHA-256 tcfg recorded
before a partition's first start.  Here the file handed to QEMU for one
partition's image has one byte flipped: that partition must refuse to start,
with one line naming it and the image, while the other runs.  The check is made
in chunks shared by the boot CPUs of the partitions that load a file: a byte
flipped in a chunk only the other partition's CPU hashes stops both.
"""
import os
import shutil

from qemutest import QemuTest

WORK = os.path.join("build", "test-work")
CORRUPT = os.path.join(WORK, "store-corrupt-rtos.bin")
CORRUPT_TAIL = os.path.join(WORK, "store-corrupt-tail-rtos.bin")


def flip(root, dst, at):
    """A copy of rtos.bin at dst with the byte at offset 'at' (from the end if < 0) inverted."""
    os.makedirs(os.path.join(root, WORK), exist_ok=True)
    dst = os.path.join(root, dst)
    shutil.copyfile(os.path.join(root, "build", "guests", "rtos.bin"), dst)
    with open(dst, "r+b") as f:
        f.seek(at, os.SEEK_SET if at >= 0 else os.SEEK_END)
        where = f.tell()
        byte = f.read(1)
        f.seek(where)
        f.write(bytes([byte[0] ^ 0xFF]))
    return []


def corrupt_copy(root, out):
    """A copy of rtos.bin with the byte at offset 0x100 inverted."""
    return flip(root, CORRUPT, 0x100)


def corrupt_tail_copy(root, out):
    """A copy of rtos.bin with its last byte but 99 inverted: in the last of its 16 chunks."""
    return flip(root, CORRUPT_TAIL, -100)


REFUSED = (r"ERROR: partition 1 \(tampered\): image rtos\.bin \(\d+ bytes at 0x\w{8} in the "
           r"image store\) does not match its SHA-256: not starting it")

TESTS = [
    QemuTest(
        "store.intact",
        "both partitions' images pass their SHA-256 check in the image store and run; one "
        "is 17 MiB, larger than the hypervisor's whole region, which once held the images",
        build={"CONFIG": "test-store"},
        expect=[r"partition 0 \(intact\): start 1,", r"partition 1 \(tampered\): start 1,",
                r"^\[tampered\] rtos: Tessera RTOS", r"^\[intact\] TG heartbeat 3 ok$"],
        forbid=[r"does not match its SHA-256", r"TG FAIL"],
        timeout=60,
    ),
    QemuTest(
        "store.corrupt_image_refused",
        "a byte flipped in the file QEMU loads as one partition's image: that partition "
        "refuses to start with a line naming it and the image, the other runs",
        build={"CONFIG": "test-store"},
        prepare=corrupt_copy,
        images={"rtos.bin": os.path.join("{root}", CORRUPT)},
        expect=[REFUSED, r"partition 0 \(intact\): start 1,",
                r"^\[intact\] TG heartbeat 5 ok$"],
        forbid=[r"partition 1 \(tampered\): start", r"^\[tampered\]", r"TG FAIL"],
        timeout=60,
    ),
    QemuTest(
        "store.shared_image_chunk_refused",
        "the default system, both partitions loading one rtos.bin whose last chunk (the "
        "logger's CPU's share of the chunks) has a byte flipped: both refuse to start, "
        "the sensor too, whose CPU never hashed that chunk, each with its own line",
        build={"CONFIG": "default"},
        prepare=corrupt_tail_copy,
        images={"rtos.bin": os.path.join("{root}", CORRUPT_TAIL)},
        expect=[r"ERROR: partition 0 \(sensor\): image rtos\.bin \(\d+ bytes at 0x\w{8} in "
                r"the image store\) does not match its SHA-256: not starting it",
                r"ERROR: partition 1 \(logger\): image rtos\.bin \(\d+ bytes at 0x\w{8} in "
                r"the image store\) does not match its SHA-256: not starting it"],
        forbid=[r"\): start 1,", r"^\[sensor\]", r"^\[logger\]"],
        timeout=60,
    ),
]
