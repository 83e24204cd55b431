/* Prints argv (including argv[0]) and the whole environment, one per line, for CLI option tests. */
#include "rt.h"

int main(int argc, char **argv, char **envp) {
	for (int i = 0; i < argc; i++)
		printf("argv[%d]=%s\n", i, argv[i]);
	for (char **e = envp; *e; e++)
		printf("env %s\n", *e);
	return 0;
}
