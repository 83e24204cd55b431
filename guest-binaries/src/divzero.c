/*
 * divzero: integer division by zero (#DE). The guest must die of SIGFPE:
 * bsdemu exits 136 (128 + 8). Expected stdout: "before divzero" only.
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
	__asm__ volatile("cltd\n\tidivl %[d]"
	    : "=a"(q) : "a"(100), [d] "r"(zero) : "rdx", "cc");
	printf("after divzero %d\n", q);
	return 0;
}
