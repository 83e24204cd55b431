/* Read a file (the runner makes a 256 MiB one) in 64 KiB chunks: syscall path plus bulk copies into
 * guest memory. Prints the byte count and a light checksum so the copies cannot be skipped. */
#include "sys.h"

static unsigned char buf[65536];

int main(int argc, char **argv) {
	if (argc < 2) bench_die("usage: read_file PATH");
	long fd = sys6(NR_openat, B_AT_FDCWD, (long)argv[1], 0 /* O_RDONLY */, 0, 0, 0);
	unsigned long total = 0, sum = 0;
	for (;;) {
		long n = sys3(NR_read, fd, (long)buf, sizeof buf);
		if (n <= 0) break;
		total += (unsigned long)n;
		sum += buf[0] + buf[n - 1];
	}
	sys3(NR_close, fd, 0, 0);
	bench_puts("read ");
	bench_putu(total);
	bench_puts(" sum ");
	bench_putu(sum);
	bench_puts("\n");
	return 0;
}
