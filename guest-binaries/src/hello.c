/* hello: the smallest useful guest. Prints a greeting and its arguments. */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	(void)envp;
	printf("hello, FreeBSD\n");
	printf("args:");
	for (int i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return 0;
}
