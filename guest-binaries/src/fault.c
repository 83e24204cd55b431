/*
 * fault: a store to an unmapped low address. The guest must die of SIGSEGV:
 * bsdemu exits 139 (128 + 11) and prints one line on stderr.
 * Expected stdout: "before fault" only.
 */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	printf("before fault\n");
#if defined(__x86_64__)
	__asm__ volatile("movl $1, 0x10" ::: "memory");
#else
	__asm__ volatile("mov x9, #0x10\n\tmov w10, #1\n\tstr w10, [x9]" ::: "x9", "x10", "memory");
#endif
	printf("after fault\n");
	return 0;
}
