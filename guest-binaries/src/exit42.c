/* exit42: no output, exit status 42 (through main's return and exit(1)). */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	return 42;
}
