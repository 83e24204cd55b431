/*
 * Interval timers (setitimer/getitimer, sys/kern/kern_time.c): a one-shot ITIMER_REAL delivers SIGALRM to
 * a handler while the process waits in sigsuspend, getitimer reports the time left, a periodic timer
 * fires repeatedly until disarmed, bad arguments give EINVAL, and with the default action SIGALRM ends
 * the process (argv[1] = "die").
 */
#include "rt.h"

#define SIGALRM 14
#define ITIMER_REAL 0
#define ITIMER_PROF 2

struct timeval_ { long tv_sec, tv_usec; };
struct itimerval_ { struct timeval_ it_interval, it_value; };

static int setitimer_(int which, const struct itimerval_ *v, struct itimerval_ *o) { return syscall3(83, which, v, o); }
static int getitimer_(int which, struct itimerval_ *v) { return syscall2(86, which, v); }
static int sigsuspend_(const sigset_t *m) { return syscall1(341, m); }

static volatile int alarms;
static void on_alarm(int sig) { (void)sig; alarms++; }

int main(int argc, char **argv) {
	struct itimerval_ v = { { 0, 0 }, { 0, 200000 } }, o;
	if (argc > 1 && strcmp(argv[1], "die") == 0) {
		printf("waiting for the alarm\n");
		v.it_value.tv_usec = 20000;
		setitimer_(ITIMER_REAL, &v, 0);
		for (;;) {
			struct timespec ts = { 1, 0 };
			nanosleep(&ts, 0);
		}
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	CHECK(sigaction(SIGALRM, &sa, 0) == 0, "sigaction SIGALRM");

	CHECK(setitimer_(ITIMER_REAL, &v, &o) == 0, "setitimer 200 ms");
	CHECK(o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0, "no timer was armed before");
	CHECK(getitimer_(ITIMER_REAL, &o) == 0, "getitimer");
	CHECK(o.it_value.tv_sec == 0 && o.it_value.tv_usec > 0 && o.it_value.tv_usec <= 200000, "time left is in (0, 200 ms]");
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	sigset_t none = {{0}};
	CHECK_ERR(sigsuspend_(&none), EINTR, "sigsuspend ends with EINTR");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK(alarms == 1, "one SIGALRM");
	CHECK(ms >= 150, "not before the timer's time");
	CHECK(getitimer_(ITIMER_REAL, &o) == 0 && o.it_value.tv_sec == 0 && o.it_value.tv_usec == 0, "a one-shot timer is disarmed after firing");

	struct itimerval_ p = { { 0, 10000 }, { 0, 10000 } };
	alarms = 0;
	CHECK(setitimer_(ITIMER_REAL, &p, 0) == 0, "periodic 10 ms");
	while (alarms < 3) sigsuspend_(&none);
	struct itimerval_ off = { { 0, 0 }, { 0, 0 } };
	CHECK(setitimer_(ITIMER_REAL, &off, &o) == 0, "disarm");
	CHECK(o.it_interval.tv_usec == 10000, "the old interval comes back");
	int n = alarms;
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	nanosleep(&ts, 0);
	CHECK(alarms == n, "no alarms after disarming");

	struct itimerval_ bad = { { 0, 0 }, { 0, 1000000 } };
	CHECK_ERR(setitimer_(ITIMER_REAL, &bad, 0), EINVAL, "tv_usec of 1e6 is EINVAL");
	CHECK_ERR(setitimer_(7, &v, 0), EINVAL, "an unknown timer is EINVAL");
	CHECK(getitimer_(ITIMER_PROF, &o) == 0 && o.it_value.tv_usec == 0, "ITIMER_PROF is idle");
	/* clock_nanosleep(244) returns its error as the value; an alarm interrupts it with EINTR and rmtp. */
	struct timespec req = { 0, 10 * 1000 * 1000 }, rem = { 0, 0 };
	CHECK(__syscall_raw(244, CLOCK_MONOTONIC, 0, (long)&req, (long)&rem, 0, 0, 0, 0) == 0, "clock_nanosleep 10 ms");
	struct itimerval_ soon = { { 0, 0 }, { 0, 20000 } };
	alarms = 0;
	setitimer_(ITIMER_REAL, &soon, 0);
	req.tv_sec = 5; req.tv_nsec = 0;
	int cf = -1;
	long r = __syscall_raw(244, CLOCK_MONOTONIC, 0, (long)&req, (long)&rem, 0, 0, &cf, 0);
	CHECK(r == EINTR && cf == 0 && alarms == 1, "an alarm interrupts clock_nanosleep: EINTR as the value");
	CHECK(rem.tv_sec >= 3 && rem.tv_sec <= 5, "rmtp holds the time left");
	printf("interval timers done\n");
	done();
}
