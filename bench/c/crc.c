/* Compute: table-driven CRC-32 (IEEE, reflected 0xEDB88320) over a 64 KiB buffer, N passes (default 400).
 * All the work is in bench_kernel, which makes no syscalls: bench/raw-unicorn.mjs runs that function
 * alone on bare Unicorn as the floor for compute. */
#include "sys.h"

static unsigned int table[256];
static unsigned char data[65536];

__attribute__((noinline, used)) unsigned long bench_kernel(long n) {
	for (unsigned int i = 0; i < 256; i++) {
		unsigned int c = i;
		for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	for (unsigned long i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 131 + (i >> 8));
	unsigned int crc = 0xffffffffu;
	for (long r = 0; r < n; r++)
		for (unsigned long i = 0; i < sizeof data; i++) crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

int main(int argc, char **argv) {
	long n = argc > 1 ? bench_atol(argv[1]) : 400;
	bench_puts("crc ");
	bench_puthex(bench_kernel(n), 8);
	bench_puts("\n");
	return 0;
}
