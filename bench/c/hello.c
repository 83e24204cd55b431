/* Start-up cost: print one line and exit. */
#include "sys.h"

int main(int argc, char **argv) {
	(void)argc; (void)argv;
	bench_puts("hello, world\n");
	return 0;
}
