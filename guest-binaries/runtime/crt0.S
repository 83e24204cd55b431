/*
 * crt0.S - process entry for bsdemu's freestanding FreeBSD guest programs
 * (amd64 and aarch64).
 *
 * amd64: FreeBSD's exec_setregs() (sys/amd64/amd64/exec_machdep.c) zeroes the whole
 * trapframe, then sets:
 *   rip = e_entry, rdi = address of argc ("stack"),
 *   rsp = ((stack - 8) & ~0xF) + 8, rflags = PSL_USER (0x202).
 * Programs must read argc through %rdi, not %rsp.
 *
 * Before touching anything, _start saves every general register, rflags,
 * MXCSR and the x87 control word into globals so that startup.c can check
 * the initial register state.
 */

#if defined(__x86_64__)
	.text
	.globl	_start
	.type	_start,@function
	.p2align 4
_start:
	movq	%rax, __entry_regs+0(%rip)
	movq	%rbx, __entry_regs+8(%rip)
	movq	%rcx, __entry_regs+16(%rip)
	movq	%rdx, __entry_regs+24(%rip)
	movq	%rsi, __entry_regs+32(%rip)
	movq	%rdi, __entry_regs+40(%rip)
	movq	%rbp, __entry_regs+48(%rip)
	movq	%rsp, __entry_regs+56(%rip)
	movq	%r8,  __entry_regs+64(%rip)
	movq	%r9,  __entry_regs+72(%rip)
	movq	%r10, __entry_regs+80(%rip)
	movq	%r11, __entry_regs+88(%rip)
	movq	%r12, __entry_regs+96(%rip)
	movq	%r13, __entry_regs+104(%rip)
	movq	%r14, __entry_regs+112(%rip)
	movq	%r15, __entry_regs+120(%rip)
	pushfq
	popq	%rax
	movq	%rax, __entry_regs+128(%rip)
	stmxcsr	__entry_mxcsr(%rip)
	fnstcw	__entry_fpucw(%rip)

	xorl	%ebp, %ebp		/* outermost frame */
	andq	$-16, %rsp		/* SysV: 16-byte aligned before call */
	/* %rdi still holds the address of argc */
	call	__start_c
	hlt				/* __start_c never returns */
	.size	_start, .-_start

	.bss
	.p2align 3
	.globl	__entry_regs
	.type	__entry_regs,@object
__entry_regs:
	.zero	17*8		/* rax rbx rcx rdx rsi rdi rbp rsp r8..r15 rflags */
	.size	__entry_regs, 17*8
	.globl	__entry_mxcsr
	.type	__entry_mxcsr,@object
__entry_mxcsr:
	.zero	4
	.size	__entry_mxcsr, 4
	.globl	__entry_fpucw
	.type	__entry_fpucw,@object
__entry_fpucw:
	.zero	4
	.size	__entry_fpucw, 4

#elif defined(__aarch64__)
/*
 * FreeBSD's arm64 exec_setregs() (sys/arm64/arm64/exec_machdep.c) zeroes the
 * trapframe, then sets x0 = address of argc, sp = stack & ~15,
 * lr = elr = e_entry; TPIDR_EL0 = 0 and the FP state is reset.
 * _start saves x0..x30, sp, NZCV, FPCR, FPSR and TPIDR_EL0 (in that order)
 * into __entry_regs for startup.c; x16/x17 go through the stack first.
 */
	.text
	.globl	_start
	.type	_start,@function
	.p2align 4
_start:
	stp	x16, x17, [sp, #-16]!
	adrp	x16, __entry_regs
	add	x16, x16, :lo12:__entry_regs
	stp	x0, x1, [x16, #0]
	stp	x2, x3, [x16, #16]
	stp	x4, x5, [x16, #32]
	stp	x6, x7, [x16, #48]
	stp	x8, x9, [x16, #64]
	stp	x10, x11, [x16, #80]
	stp	x12, x13, [x16, #96]
	stp	x14, x15, [x16, #112]
	stp	x18, x19, [x16, #144]
	stp	x20, x21, [x16, #160]
	stp	x22, x23, [x16, #176]
	stp	x24, x25, [x16, #192]
	stp	x26, x27, [x16, #208]
	stp	x28, x29, [x16, #224]
	str	x30, [x16, #240]
	ldp	x0, x1, [sp], #16	/* the entry x16, x17; sp as the kernel set it */
	stp	x0, x1, [x16, #128]
	mov	x0, sp
	str	x0, [x16, #248]
	mrs	x0, nzcv
	str	x0, [x16, #256]
	mrs	x0, fpcr
	str	x0, [x16, #264]
	mrs	x0, fpsr
	str	x0, [x16, #272]
	mrs	x0, tpidr_el0
	str	x0, [x16, #280]

	ldr	x0, [x16, #0]		/* the address of argc */
	mov	x29, #0			/* outermost frame */
	mov	x30, #0
	bl	__start_c
	brk	#0			/* __start_c never returns */
	.size	_start, .-_start

	.bss
	.p2align 3
	.globl	__entry_regs
	.type	__entry_regs,@object
__entry_regs:
	.zero	36*8		/* x0..x30 sp nzcv fpcr fpsr tpidr_el0 */
	.size	__entry_regs, 36*8
#else
#error "unsupported architecture"
#endif

/*
 * FreeBSD ABI note (what FreeBSD's csu/common/crtbrand.S emits): name
 * "FreeBSD", type NT_FREEBSD_ABI_TAG (1), desc = __FreeBSD_version.
 * The kernel brands the image with it even when EI_OSABI is not 9.
 */
	.section .note.tag,"a",@note
	.p2align 2
	.long	8		/* namesz: "FreeBSD\0" */
	.long	4		/* descsz */
	.long	1		/* NT_FREEBSD_ABI_TAG */
	.asciz	"FreeBSD"
	.p2align 2
	.long	1400097		/* FreeBSD 14.0-RELEASE */

	.section .note.GNU-stack,"",@progbits
