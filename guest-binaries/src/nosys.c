/*
 * Syscalls the kernel does not have. FreeBSD's nosys() sends SIGSYS (default action: core dump), and
 * returns ENOSYS when SIGSYS is ignored. argv[1] selects the case:
 *   ignore  ignore SIGSYS, call syscall 9999 and a retired number (11, old execv): both ENOSYS
 *   default call syscall 9999 with the default action: the process dies of SIGSYS
 */
#include "rt.h"

#define SIGSYS 12

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "ignore") == 0) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = SIG_IGN;
		CHECK(sigaction(SIGSYS, &sa, 0) == 0, "ignore SIGSYS");
		CHECK_ERR(syscall3(9999, 1, 2, 3), ENOSYS, "syscall 9999");
		CHECK_ERR(syscall3(11, 0, 0, 0), ENOSYS, "obsolete execv (11)");
		printf("ENOSYS with SIGSYS ignored\n");
		done();
	}
	printf("before nosys\n");
	syscall3(9999, 0, 0, 0);
	printf("not reached\n");
	return 0;
}
