/*
 * Assembly helpers: every routine is bracketed with func/endfunc (ARM state) or
 * thumb_func/endfunc (Thumb-2, like the C: most of its instructions take two bytes
 * instead of four, for the same count) so that it has a type and a size in the
 * symbol table (and in the stack-usage report).  ARM state is kept where the
 * hardware enters: the reset entry and the Hyp vectors (HSCTLR.TE is clear).
 */
#ifndef TESSERA_ASM_H
#define TESSERA_ASM_H

#ifdef __ASSEMBLER__
/* clang-format off */

	.syntax unified

.macro func name, section=.text
	.section \section\().\name, "ax", %progbits
	.arm
	.align 2
	.global \name
	.type \name, %function
\name:
.endm

.macro thumb_func name, section=.text
	.section \section\().\name, "ax", %progbits
	.thumb
	.align 1
	.global \name
	.type \name, %function
	.thumb_func
\name:
.endm

.macro endfunc name
	.size \name, . - \name
.endm

/* clang-format on */
#endif
#endif /* TESSERA_ASM_H */
