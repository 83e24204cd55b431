/*
 * spawn: process creation. fork + execve of this same program with pipes as its stdin/stdout, exit
 * statuses, a child killed by a signal (its own and its parent's kill), a failed execve (ENOENT through a
 * close-on-exec pipe, like Go's os/exec), _exit before execve, wait4 WNOHANG, ECHILD, getppid, and an
 * environment passed to the new image.
 */
#include "rt.h"

#define SYS_fork	2
#define SYS_wait4	7
#define SYS_execve	59
#define SYS_vfork	66

#define WNOHANG		1
#define O_CLOEXEC_	0x00100000
#define SIGKILL_	9
#define SIGTERM_	15
#define ECHILD_		10
#define ENOENT_		2

static int fork_(void) { return (int)syscall0(SYS_fork); }
static int vfork_(void) { return (int)syscall0(SYS_vfork); }
static int execve_(const char *p, char **av, char **ev) { return (int)syscall3(SYS_execve, p, av, ev); }
static int wait4_(int pid, int *st, int opt) { return (int)syscall4(SYS_wait4, pid, st, opt, 0); }
static int pipe2_(int *fds, int fl) { return (int)syscall2(SYS_pipe2, fds, fl); }
static int dup2_(int a, int b) { return (int)syscall2(SYS_dup2, a, b); }
static int kill_(int pid, int sig) { return (int)syscall2(SYS_kill, pid, sig); }

static const char *self;

static void
describe(const char *what, int st)
{
	if ((st & 0x7f) == 0)
		printf("%s: exited %d\n", what, (st >> 8) & 0xff);
	else
		printf("%s: killed by signal %d\n", what, st & 0x7f);
}

/* Child modes, run as `spawn <mode> <parent pid>`. */
static int
child(const char *mode, const char *ppid)
{
	char buf[64];
	long n;

	if (strcmp(mode, "echo") == 0) {
		if (getppid() != atol(ppid))
			dprintf(1, "child: wrong ppid %d\n", (int)getppid());
		n = read(0, buf, sizeof(buf));
		dprintf(1, "child read %ld bytes: %.*s; SPAWN_VAR=%s\n", n, (int)(n > 0 ? n : 0), buf,
		    getenv("SPAWN_VAR") ? getenv("SPAWN_VAR") : "(unset)");
		return 7;
	}
	if (strcmp(mode, "wait-eof") == 0) {
		while (read(0, buf, sizeof(buf)) > 0)
			;
		return 0;
	}
	if (strcmp(mode, "replace") == 0) {
		/* execve without fork: this process becomes `spawn exit5`. */
		char *av[4] = { (char *)self, (char *)"exit5", (char *)ppid, 0 };
		char *ev[1] = { 0 };
		execve_(self, av, ev);
		return 1;
	}
	if (strcmp(mode, "exit5") == 0)
		return 5;
	if (strcmp(mode, "die") == 0) {
		kill_(getpid(), SIGTERM_);
		return 1;
	}
	return 2;
}

static int
run_child(char *mode, int in, int out, int *pid)
{
	char pbuf[16];
	char *av[4] = { (char *)self, mode, pbuf, 0 };
	char *ev[3] = { (char *)"SPAWN_VAR=from parent", (char *)"PATH=/bin", 0 };

	snprintf(pbuf, sizeof(pbuf), "%d", (int)getpid());
	*pid = fork_();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		if (in >= 0)
			dup2_(in, 0);
		if (out >= 0)
			dup2_(out, 1);
		execve_(self, av, ev);
		_exit(127);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	int p[2], q[2], e[2], pid, st, r, err;
	char buf[128];
	long n;

	self = argv[0];
	if (argc == 3)
		return child(argv[1], argv[2]);

	/* 1. stdin and stdout through pipes, an environment, exit status 7. */
	pipe2_(p, O_CLOEXEC_);
	pipe2_(q, O_CLOEXEC_);
	run_child("echo", p[0], q[1], &pid);
	close(p[0]);
	close(q[1]);
	write(p[1], "ping", 4);
	close(p[1]);
	n = read(q[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("parent got: %s", buf);
	close(q[0]);
	r = wait4_(pid, &st, 0);
	printf("wait4 returned the child's pid: %s\n", r == pid ? "yes" : "no");
	describe("echo child", st);

	/* 2. execve of a missing file: ENOENT reaches the parent through a close-on-exec pipe. */
	pipe2_(e, O_CLOEXEC_);
	pid = fork_();
	if (pid == 0) {
		char *av[2] = { (char *)"/nonexistent/prog", 0 };
		err = execve_("/nonexistent/prog", av, av + 1) < 0 ? errno : 0;
		write(e[1], &err, sizeof(err));
		_exit(99);
	}
	close(e[1]);
	err = 0;
	n = read(e[0], &err, sizeof(err));
	close(e[0]);
	printf("failed execve: %ld bytes, errno %d (ENOENT %s)\n", n, err, err == ENOENT_ ? "yes" : "no");
	wait4_(pid, &st, 0);
	describe("failed-exec child", st);

	/* 3. WNOHANG while the child waits for EOF, then a blocking wait4 once it can end. */
	pipe2_(p, O_CLOEXEC_);
	run_child("wait-eof", p[0], -1, &pid);
	close(p[0]);
	r = wait4_(pid, &st, WNOHANG);
	printf("wait4 WNOHANG on a running child: %d\n", r);
	close(p[1]);
	r = wait4_(pid, &st, 0);
	printf("then wait4: %s\n", r == pid ? "the child" : "something else");
	describe("wait-eof child", st);

	/* 4. a child that replaces itself with another image (execve without fork). */
	run_child("replace", -1, -1, &pid);
	wait4_(pid, &st, 0);
	describe("replaced child", st);

	/* 5. signals: a child that kills itself, and one the parent kills. */
	run_child("die", -1, -1, &pid);
	wait4_(pid, &st, 0);
	describe("self-killed child", st);
	pipe2_(p, O_CLOEXEC_);
	run_child("wait-eof", p[0], -1, &pid);
	close(p[0]);
	printf("kill(child, SIGKILL): %d\n", kill_(pid, SIGKILL_));
	wait4_(pid, &st, 0);
	describe("killed child", st);
	close(p[1]);

	/* 6. _exit before execve (vfork): a status, a pid of its own. */
	pid = vfork_();
	if (pid == 0)
		_exit(getpid() != 0 ? 3 : 4);
	r = wait4_(pid, &st, 0);
	printf("vfork child pid differs from ours: %s\n", pid != getpid() && r == pid ? "yes" : "no");
	describe("vfork child", st);

	/* 7. nothing left to wait for. */
	r = wait4_(-1, &st, 0);
	printf("wait4 with no children: %d errno %s\n", r, errno == ECHILD_ ? "ECHILD" : "other");
	return 0;
}
