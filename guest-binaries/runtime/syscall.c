/* syscall.c - the one place that executes the `syscall` instruction. */
#include "syscall.h"

int errno;

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
