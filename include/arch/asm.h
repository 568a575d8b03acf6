/*
 * Assembly helpers: every routine is bracketed with func/endfunc so that it
 * has a type and a size in the symbol table (and in the stack-usage report).
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

.macro endfunc name
	.size \name, . - \name
.endm

/* clang-format on */
#endif
#endif /* TESSERA_ASM_H */
