/*
 * kill(2) of the process itself: signal 0 probes, an ignored signal does nothing, and a signal with the
 * default "terminate" action ends the process (argv[1] names it: usr1 or term or abrt or hup).
 */
#include "rt.h"

#define SIGTERM 15
#define SIGABRT 6
#define SIGCHLD 20

int main(int argc, char **argv) {
	CHECK(kill(getpid(), 0) == 0, "kill(self, 0)");
	CHECK_ERR(kill(getpid(), 200), EINVAL, "kill with a bad signal");
	CHECK(kill(getpid(), SIGCHLD) == 0, "SIGCHLD is ignored by default");
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	CHECK(sigaction(SIGUSR2, &sa, 0) == 0, "ignore SIGUSR2");
	CHECK(kill(0, SIGUSR2) == 0, "kill(0, ignored SIGUSR2)");
	printf("still alive\n");
	int sig = SIGUSR1;
	if (argc > 1 && strcmp(argv[1], "term") == 0) sig = SIGTERM;
	if (argc > 1 && strcmp(argv[1], "abrt") == 0) sig = SIGABRT;
	if (argc > 1 && strcmp(argv[1], "hup") == 0) sig = 1;	/* SIGHUP: survives under nohup */
	kill(getpid(), sig);
	printf("not reached\n");
	return 0;
}
