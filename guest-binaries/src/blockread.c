/*
 * blockread: reads stdin and echoes each line as "got: <line>", then "eof".
 * With a slow writer the read(2) calls wait (the emulator parks the thread and
 * sleeps in host poll instead of blocking inside a host read).
 *
 *   blockread            echo lines until EOF
 *   blockread nonblock   set O_NONBLOCK on stdin, read once, print the result
 */
#include "rt.h"

int
main(int argc, char **argv)
{
	static char line[4096];
	int len = 0;
	char buf[256];
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "nonblock") == 0) {
		int fl = fcntl(0, F_GETFL);
		fcntl(0, F_SETFL, fl | O_NONBLOCK);
		errno = 0;
		n = read(0, buf, sizeof(buf));
		printf("nonblock read: %ld errno=%d\n", (long)n, errno);
		fcntl(0, F_SETFL, fl);
		return 0;
	}
	while ((n = read(0, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == '\n' || len == (int)sizeof(line) - 1) {
				line[len] = 0;
				printf("got: %s\n", line);
				len = 0;
			} else {
				line[len++] = buf[i];
			}
		}
	}
	if (len > 0) {
		line[len] = 0;
		printf("got: %s\n", line);
	}
	if (n == 0)
		printf("eof\n");
	else
		printf("error %d\n", errno);
	return 0;
}
