/*
 * divzero: integer division by zero (#DE). On amd64 the guest must die of
 * SIGFPE: bsdemu exits 136 (128 + 8); expected stdout: "before divzero" only.
 * On arm64 sdiv by zero yields 0 without a trap: the program goes on and
 * exits 0 (expected/aarch64/divzero.stdout).
 */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	int zero = argc - argc;		/* not a compile-time constant */
	int q;

	(void)argv;
	(void)envp;
	printf("before divzero\n");
#if defined(__x86_64__)
	__asm__ volatile("cltd\n\tidivl %[d]"
	    : "=a"(q) : "a"(100), [d] "r"(zero) : "rdx", "cc");
#else
	/* arm64 division never traps: the quotient of x / 0 is 0, and no signal */
	__asm__ volatile("sdiv %w[q], %w[n], %w[d]"
	    : [q] "=r"(q) : [n] "r"(100), [d] "r"(zero));
#endif
	printf("after divzero %d\n", q);
	return 0;
}
