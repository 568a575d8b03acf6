/*
 * /bin/bootmark in the Linux guest's initramfs: the first program /init runs, so that
 * `make bench` can find the moment Linux's boot reaches user space (tools/bench.py,
 * "Linux boot").  It is linked at 0x20000000, an address no other code of the guest runs at,
 * so that QEMU's per-CPU counting plugin (tools/insn_per_cpu.c) recognises its first
 * instruction; it prints a line and exits (Linux EABI system calls: number in r7, SVC #0).
 */
	.syntax unified
	.arm
	.text
	.global _start
_start:
	mov	r0, #1			/* stdout */
	adr	r1, msg
	mov	r2, #(msg_end - msg)
	mov	r7, #4			/* write */
	svc	#0
	mov	r0, #0
	mov	r7, #1			/* exit */
	svc	#0
msg:
	.ascii	"BOOT-MARK: user space\n"
msg_end:
