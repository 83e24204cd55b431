/* N one-byte writes (default 200,000) to /dev/null: the syscall path plus a host write and a guest-memory
 * read per call. */
#include "sys.h"

int main(int argc, char **argv) {
	long n = argc > 1 ? bench_atol(argv[1]) : 200000;
	long fd = sys6(NR_openat, B_AT_FDCWD, (long)"/dev/null", 1 /* O_WRONLY */, 0, 0, 0);
	static const char byte = 'x';
	long total = 0;
	for (long i = 0; i < n; i++) total += sys3(NR_write, fd, (long)&byte, 1);
	sys3(NR_close, fd, 0, 0);
	bench_puts("wrote ");
	bench_putu(total);
	bench_puts("\n");
	return 0;
}
