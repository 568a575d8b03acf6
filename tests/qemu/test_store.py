"""Issue 15: guest images live in the image store, outside the hypervisor's image.

QEMU's generic loader places each image at the store address tcfg chose
(gen/images.txt); the hypervisor checks each against the SHA-256 tcfg recorded
before a partition's first start.  Here the file handed to QEMU for one
partition's image has one byte flipped: that partition must refuse to start,
with one line naming it and the image, while the other runs.
"""
import os
import shutil

from qemutest import QemuTest

WORK = os.path.join("build", "test-work")
CORRUPT = os.path.join(WORK, "store-corrupt-rtos.bin")


def corrupt_copy(root, out):
    """A copy of rtos.bin with the byte at offset 0x100 inverted."""
    os.makedirs(os.path.join(root, WORK), exist_ok=True)
    dst = os.path.join(root, CORRUPT)
    shutil.copyfile(os.path.join(root, "build", "guests", "rtos.bin"), dst)
    with open(dst, "r+b") as f:
        f.seek(0x100)
        byte = f.read(1)
        f.seek(0x100)
        f.write(bytes([byte[0] ^ 0xFF]))
    return []


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
]
