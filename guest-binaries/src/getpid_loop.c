/*
 * getpid_loop: calls getpid 1,000,000 times (argv[1] overrides the count),
 * checks every answer is the same positive pid, then prints "ok".
 * Used to measure per-syscall cost.
 */
#include "rt.h"

int
main(int argc, char **argv, char **envp)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	pid_t first = getpid();

	(void)envp;
	if (first <= 0) {
		printf("getpid returned %d\n", first);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		if (getpid() != first) {
			printf("getpid changed at iteration %ld\n", i);
			return 1;
		}
	}
	printf("ok\n");
	return 0;
}
