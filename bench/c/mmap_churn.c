/* N rounds (default 20,000) of mmap 64 KiB anonymous, touch every page, munmap: the mapping path (page
 * table, host backing, Unicorn map/unmap, translation-cache invalidation). */
#include "sys.h"

int main(int argc, char **argv) {
	long n = argc > 1 ? bench_atol(argv[1]) : 20000;
	const long len = 65536;
	unsigned long sum = 0;
	for (long i = 0; i < n; i++) {
		long a = sys6(NR_mmap, 0, len, B_PROT_RW, B_MAP_PRIVATE | B_MAP_ANON, -1, 0);
		if ((unsigned long)a < 4096 || (a < 0 && a > -4096)) bench_die("mmap failed");
		volatile unsigned char *p = (unsigned char *)a;
		for (long o = 0; o < len; o += 4096) { sum += p[o]; p[o] = (unsigned char)i; }
		sys3(NR_munmap, a, len, 0);
	}
	bench_puts("ok ");
	bench_putu(sum);
	bench_puts("\n");
	return 0;
}
