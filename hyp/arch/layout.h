/*
 * Sizes shared by C and assembly: per-CPU stacks and the trap frame.
 * The frame layout is checked against struct regs with _Static_assert in
 * hyp/core/vcpu.c, so the assembly and the C view cannot drift apart.
 */
#ifndef TESSERA_LAYOUT_H
#define TESSERA_LAYOUT_H

#define HYP_STACK_SHIFT 13 /* 8 KiB per CPU; checked by the stack-usage gate */
#define HYP_STACK_SIZE (1 << HYP_STACK_SHIFT)

/* struct regs: r0-r12 then LR_usr, pushed by "push {r0-r12, lr}". */
#define REGS_LR 52
#define REGS_SIZE 56

/*
 * offsetof(struct cpu, requests): the exit path tests it; struct cpu's first word is the exit
 * path's monitor_scratch (hyp/core/trap.c asserts both).
 */
#define CPU_REQUESTS_OFFSET 16

#endif /* TESSERA_LAYOUT_H */
