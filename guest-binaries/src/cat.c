/* cat: copies each file named on the command line (or stdin) to stdout; errors go to stderr, exit 1. */
#include "rt.h"

static int copy(int fd) {
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0) return 0;
		if (n < 0) return -1;
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(1, buf + off, n - off);
			if (w <= 0) return -1;
			off += w;
		}
	}
}

int main(int argc, char **argv) {
	int rc = 0;
	if (argc < 2) return copy(0) ? 1 : 0;
	for (int i = 1; i < argc; i++) {
		int fd = open(argv[i], O_RDONLY);
		if (fd < 0) {
			dprintf(2, "cat: %s: errno %d\n", argv[i], errno);
			rc = 1;
			continue;
		}
		if (copy(fd)) rc = 1;
		close(fd);
	}
	return rc;
}
