/* syscall.c - the one place that executes the system call instruction (`syscall`, `svc #0`). */
#include "syscall.h"

int errno;

#if defined(__x86_64__)
long
__syscall_raw(long n, long a1, long a2, long a3, long a4, long a5, long a6,
    int *cf, long *rdx_out)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long rax = n, rdx = a3, rdi = a1, rsi = a2;
	unsigned char carry;

	/*
	 * The kernel returns a second value in %rdx; treat every argument
	 * register as clobbered so nothing is assumed about the emulator.
	 */
	__asm__ volatile("syscall\n\tsetc %[carry]"
	    : "+a"(rax), "+d"(rdx), "+D"(rdi), "+S"(rsi), "+r"(r10), "+r"(r8),
	      "+r"(r9), [carry] "=r"(carry)
	    :
	    : "rcx", "r11", "memory", "cc");
	if (cf)
		*cf = carry;
	if (rdx_out)
		*rdx_out = rdx;
	return rax;
}

#elif defined(__aarch64__)
long
__syscall_raw(long n, long a1, long a2, long a3, long a4, long a5, long a6,
    int *cf, long *rdx_out)
{
	/*
	 * arm64 (sys/arm64/arm64/trap.c): number in x8, arguments in x0..x7,
	 * `svc #0`; result in x0 (second in x1), error = C flag with the
	 * positive errno in x0.
	 */
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a1;
	register long x1 __asm__("x1") = a2;
	register long x2 __asm__("x2") = a3;
	register long x3 __asm__("x3") = a4;
	register long x4 __asm__("x4") = a5;
	register long x5 __asm__("x5") = a6;
	unsigned int carry;

	__asm__ volatile("svc #0\n\tcset %w[carry], cs"
	    : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5),
	      [carry] "=r"(carry)
	    : "r"(x8)
	    : "x6", "x7", "memory", "cc");
	if (cf)
		*cf = (int)carry;
	if (rdx_out)
		*rdx_out = x1;
	return x0;
}

#endif

long
__syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6)
{
	int cf;
	long r = __syscall_raw(n, a1, a2, a3, a4, a5, a6, &cf, 0);

	if (cf) {
		errno = (int)r;
		return -1;
	}
	return r;
}
