/*
 * ill: executes ud2 (arm64: udf #0). The guest must die of SIGILL: bsdemu exits 132
 * (128 + 4). Expected stdout: "before ill" only.
 */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	printf("before ill\n");
#if defined(__x86_64__)
	__asm__ volatile("ud2");
#else
	__asm__ volatile("udf #0");
#endif
	printf("after ill\n");
	return 0;
}
