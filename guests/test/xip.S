/*
 * A tiny execute-in-place image for the test of a read-only region at IPA 0
 * (tests/qemu/test_partitions.py): position-independent code at offset 0 and
 * a signature at offset 0x100.
 */
	.syntax unified
	.arm
	.text
	.global xip_start
xip_start:
	movw	r0, #0xab2a		/* the answer the test guest expects */
	bx	lr
	.balign	0x100
	.ascii	"XIP!"
