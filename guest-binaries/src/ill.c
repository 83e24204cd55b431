/*
 * ill: executes ud2. The guest must die of SIGILL: bsdemu exits 132
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
	__asm__ volatile("ud2");
	printf("after ill\n");
	return 0;
}
