/* N getpid calls (default 1,000,000): the syscall path, nothing else. */
#include "sys.h"

int main(int argc, char **argv) {
	long n = argc > 1 ? bench_atol(argv[1]) : 1000000;
	for (long i = 0; i < n; i++) sys3(NR_getpid, 0, 0, 0);
	bench_puts("ok\n");
	return 0;
}
