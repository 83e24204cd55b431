/*
 * events: kqueue/kevent (560, 64-byte struct kevent, and freebsd11_kevent 363,
 * 32-byte), poll/ppoll/select/pselect on pipes.
 *
 * FreeBSD facts checked (sys/sys/event.h, sys/kern/kern_event.c,
 * sys/kern/sys_generic.c, sys/kern/sys_pipe.c):
 *  - EV_ADD/EV_ENABLE are not reported back; EVFILT_TIMER knotes get EV_CLEAR
 *    set automatically (filt_timerattach), so a one-shot timer reports 0x30.
 *  - A failed change is posted as {flags EV_ERROR, data errno} when the event
 *    list has room, and kevent returns the number of such entries; EV_RECEIPT
 *    posts data 0 for a change that succeeded.
 *  - A pipe whose writer closed: EVFILT_READ reports EV_EOF with the bytes left;
 *    poll reports POLLIN|POLLHUP (Linux says POLLHUP alone).
 *  - poll on a closed descriptor: POLLNVAL, counted in the result.
 */
#include "rt.h"

#define SYS_poll		209
#define SYS_kqueue		362
#define SYS_freebsd11_kevent	363
#define SYS_select		93
#define SYS_pselect		522
#define SYS_ppoll		545
#define SYS_kevent		560
#define SYS_kqueuex		583

#define EVFILT_READ	(-1)
#define EVFILT_WRITE	(-2)
#define EVFILT_TIMER	(-7)
#define EVFILT_USER	(-11)
#define EV_ADD		0x0001
#define EV_DELETE	0x0002
#define EV_ENABLE	0x0004
#define EV_DISABLE	0x0008
#define EV_ONESHOT	0x0010
#define EV_CLEAR	0x0020
#define EV_RECEIPT	0x0040
#define EV_ERROR	0x4000
#define EV_EOF		0x8000
#define NOTE_FFCOPY	0xc0000000u
#define NOTE_FFOR	0x80000000u
#define NOTE_TRIGGER	0x01000000u
#define KQUEUE_CLOEXEC	1
#define EOPNOTSUPP	45

#define POLLIN		0x0001
#define POLLOUT		0x0004
#define POLLHUP		0x0010
#define POLLNVAL	0x0020
#define POLLRDNORM	0x0040

struct kevent {
	uint64_t	ident;
	int16_t		filter;
	uint16_t	flags;
	uint32_t	fflags;
	int64_t		data;
	void		*udata;
	uint64_t	ext[4];
};
_Static_assert(sizeof(struct kevent) == 64, "struct kevent");

struct kevent11 {
	uint64_t	ident;
	int16_t		filter;
	uint16_t	flags;
	uint32_t	fflags;
	long		data;
	void		*udata;
};
_Static_assert(sizeof(struct kevent11) == 32, "struct freebsd11_kevent");

struct pollfd {
	int	fd;
	short	events;
	short	revents;
};

typedef struct {
	uint64_t	bits[1024 / 64];
} fd_set;

static int abi11;	/* use freebsd11_kevent (363) instead of kevent (560) */

static void
EV_SET(struct kevent *k, uint64_t ident, int filter, int flags, uint32_t fflags, int64_t data)
{
	memset(k, 0, sizeof(*k));
	k->ident = ident;
	k->filter = (int16_t)filter;
	k->flags = (uint16_t)flags;
	k->fflags = fflags;
	k->data = data;
	k->udata = (void *)0x1234;
}

/* kevent through either ABI; the results come back in 64-byte form. */
static int
kev(int kq, const struct kevent *ch, int nch, struct kevent *ev, int nev, const struct timespec *ts)
{
	if (!abi11)
		return (int)syscall6(SYS_kevent, kq, ch, nch, ev, nev, ts);
	struct kevent11 c11[8], e11[8];
	for (int i = 0; i < nch; i++) {
		c11[i].ident = ch[i].ident;
		c11[i].filter = ch[i].filter;
		c11[i].flags = ch[i].flags;
		c11[i].fflags = ch[i].fflags;
		c11[i].data = ch[i].data;
		c11[i].udata = ch[i].udata;
	}
	int r = (int)syscall6(SYS_freebsd11_kevent, kq, c11, nch, e11, nev, ts);
	for (int i = 0; i < r && i < nev; i++) {
		memset(&ev[i], 0, sizeof(ev[i]));
		ev[i].ident = e11[i].ident;
		ev[i].filter = e11[i].filter;
		ev[i].flags = e11[i].flags;
		ev[i].fflags = e11[i].fflags;
		ev[i].data = e11[i].data;
		ev[i].udata = e11[i].udata;
	}
	return r;
}

static const struct timespec zero_ts = { 0, 0 };

static long
now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void
test_kqueue(void)
{
	const char *tag = abi11 ? "kevent11" : "kevent";
	struct kevent ch[4], ev[4];
	struct timespec ts;
	int kq, p[2], q[2], n;
	long t0;

	kq = (int)syscall0(SYS_kqueue);
	CHECK(kq >= 0, "kqueue");
	CHECK(pipe2(p, 0) == 0 && pipe2(q, 0) == 0, "pipe2");

	/* EVFILT_READ on an empty pipe: nothing yet. */
	EV_SET(&ch[0], p[0], EVFILT_READ, EV_ADD, 0, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s read empty: n=%d\n", tag, n);
	write(p[1], "abc", 3);
	n = kev(kq, NULL, 0, ev, 4, &zero_ts);
	printf("%s read: n=%d ident_ok=%d filter=%d flags=0x%x data=%ld udata=%p\n", tag, n,
	    ev[0].ident == (uint64_t)p[0], ev[0].filter, ev[0].flags, (long)ev[0].data, ev[0].udata);
	close(p[1]);
	n = kev(kq, NULL, 0, ev, 4, &zero_ts);
	printf("%s read after close: n=%d flags=0x%x data=%ld\n", tag, n, ev[0].flags, (long)ev[0].data);

	/* EVFILT_WRITE on an empty pipe's write end. */
	EV_SET(&ch[0], q[1], EVFILT_WRITE, EV_ADD, 0, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	/* The read knote (EOF) is still active: level-triggered. */
	int sawwrite = 0;
	for (int i = 0; i < n; i++)
		if (ev[i].filter == EVFILT_WRITE && ev[i].ident == (uint64_t)q[1] && ev[i].data > 0)
			sawwrite = 1;
	printf("%s write: n=%d writable=%d\n", tag, n, sawwrite);
	EV_SET(&ch[0], q[1], EVFILT_WRITE, EV_DELETE, 0, 0);
	EV_SET(&ch[1], p[0], EVFILT_READ, EV_DELETE, 0, 0);
	n = kev(kq, ch, 2, ev, 4, &zero_ts);
	printf("%s delete both: n=%d\n", tag, n);

	/* One-shot timer, 30 ms: a blocking wait gets it once. */
	t0 = now_ms();
	EV_SET(&ch[0], 1, EVFILT_TIMER, EV_ADD | EV_ONESHOT, 0, 30);
	n = kev(kq, ch, 1, ev, 4, NULL);
	printf("%s oneshot timer: n=%d ident=%lu filter=%d flags=0x%x data=%ld waited=%d\n", tag, n,
	    (unsigned long)ev[0].ident, ev[0].filter, ev[0].flags, (long)ev[0].data, now_ms() - t0 >= 25);
	ts.tv_sec = 0;
	ts.tv_nsec = 60 * 1000000;
	t0 = now_ms();
	n = kev(kq, NULL, 0, ev, 4, &ts);
	printf("%s after oneshot: n=%d timed_out=%d\n", tag, n, now_ms() - t0 >= 55);

	/* Periodic timer, 10 ms: expirations accumulate in data. */
	EV_SET(&ch[0], 2, EVFILT_TIMER, EV_ADD, 0, 10);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s periodic added: n=%d\n", tag, n);
	ts.tv_sec = 0;
	ts.tv_nsec = 55 * 1000000;
	nanosleep(&ts, NULL);
	n = kev(kq, NULL, 0, ev, 4, &zero_ts);
	printf("%s periodic: n=%d flags=0x%x several=%d\n", tag, n, ev[0].flags, ev[0].data >= 4);
	n = kev(kq, NULL, 0, ev, 4, NULL);
	printf("%s periodic next: n=%d data>=1=%d\n", tag, n, ev[0].data >= 1);
	EV_SET(&ch[0], 2, EVFILT_TIMER, EV_DELETE, 0, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s periodic deleted: n=%d\n", tag, n);

	/* EVFILT_USER: add, trigger with fflags, cleared by the report. */
	EV_SET(&ch[0], 42, EVFILT_USER, EV_ADD | EV_CLEAR, 0, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s user added: n=%d\n", tag, n);
	EV_SET(&ch[0], 42, EVFILT_USER, 0, NOTE_TRIGGER | NOTE_FFCOPY | 0x5, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s user: n=%d ident=%lu filter=%d flags=0x%x fflags=0x%x\n", tag, n,
	    (unsigned long)ev[0].ident, ev[0].filter, ev[0].flags, ev[0].fflags);
	n = kev(kq, NULL, 0, ev, 4, &zero_ts);
	printf("%s user cleared: n=%d\n", tag, n);
	EV_SET(&ch[0], 42, EVFILT_USER, EV_DISABLE, NOTE_TRIGGER, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s user disabled: n=%d\n", tag, n);
	EV_SET(&ch[0], 42, EVFILT_USER, EV_ENABLE, NOTE_FFOR | 0x8, 0);
	n = kev(kq, ch, 1, ev, 4, &zero_ts);
	printf("%s user enabled: n=%d fflags=0x%x\n", tag, n, ev[0].fflags);

	/* Errors in the event list. */
	EV_SET(&ch[0], 999, EVFILT_USER, EV_DELETE, 0, 0);
	EV_SET(&ch[1], 7, EVFILT_USER, EV_ADD | EV_RECEIPT, 0, 0);
	EV_SET(&ch[2], 1000, EVFILT_READ, EV_ADD, 0, 0);
	EV_SET(&ch[3], 1, -20, EV_ADD, 0, 0);
	n = kev(kq, ch, 4, ev, 4, &zero_ts);
	printf("%s errors: n=%d", tag, n);
	for (int i = 0; i < n; i++)
		printf(" [%lu %d 0x%x %ld]", (unsigned long)ev[i].ident, ev[i].filter, ev[i].flags, (long)ev[i].data);
	printf("\n");
	errno = 0;
	n = kev(kq, ch, 1, NULL, 0, &zero_ts);
	printf("%s delete missing, no room: n=%d errno=%d\n", tag, n, errno);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	errno = 0;
	n = kev(kq, NULL, 0, ev, 4, &ts);
	printf("%s negative timeout: n=%d errno=%d\n", tag, n, errno);

	close(p[0]);
	close(q[0]);
	close(q[1]);
	close(kq);
}

static void
fd_zero(fd_set *s)
{
	memset(s, 0, sizeof(*s));
}

static void
fd_set_bit(int fd, fd_set *s)
{
	s->bits[fd / 64] |= 1UL << (fd % 64);
}

static int
fd_isset(int fd, const fd_set *s)
{
	return (s->bits[fd / 64] >> (fd % 64)) & 1;
}

static void
test_poll(void)
{
	struct pollfd pf[3];
	struct timespec ts;
	sigset_t mask;
	int p[2], n;
	long t0;

	CHECK(pipe2(p, 0) == 0, "pipe2");
	pf[0].fd = p[0];
	pf[0].events = POLLIN;
	pf[1].fd = p[1];
	pf[1].events = POLLOUT;
	pf[2].fd = -1;
	pf[2].events = POLLIN;
	n = (int)syscall3(SYS_poll, pf, 2, 0);
	printf("poll: n=%d r=0x%x w=0x%x\n", n, pf[0].revents, pf[1].revents);
	t0 = now_ms();
	n = (int)syscall3(SYS_poll, pf, 1, 40);
	printf("poll timeout: n=%d r=0x%x waited=%d\n", n, pf[0].revents, now_ms() - t0 >= 35);
	write(p[1], "x", 1);
	pf[0].events = POLLIN | POLLRDNORM;
	n = (int)syscall3(SYS_poll, pf, 3, -1);
	printf("poll data: n=%d r=0x%x ignored=0x%x\n", n, pf[0].revents, pf[2].revents);

	/* ppoll with a timeout and a signal mask. */
	ts.tv_sec = 0;
	ts.tv_nsec = 20 * 1000000;
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	pf[0].events = POLLIN;
	n = (int)syscall4(SYS_ppoll, pf, 1, &ts, &mask);
	printf("ppoll data: n=%d r=0x%x\n", n, pf[0].revents);
	char c;
	read(p[0], &c, 1);
	t0 = now_ms();
	n = (int)syscall4(SYS_ppoll, pf, 1, &ts, &mask);
	printf("ppoll timeout: n=%d r=0x%x waited=%d\n", n, pf[0].revents, now_ms() - t0 >= 15);
	ts.tv_nsec = -1;
	errno = 0;
	n = (int)syscall4(SYS_ppoll, pf, 1, &ts, NULL);
	printf("ppoll bad timeout: n=%d errno=%d\n", n, errno);
	errno = 0;
	n = (int)syscall3(SYS_poll, pf, 1, -5);
	printf("poll negative timeout: n=%d errno=%d\n", n, errno);

	/* select / pselect */
	fd_set r, w;
	struct timeval tv;
	fd_zero(&r);
	fd_set_bit(p[0], &r);
	tv.tv_sec = 0;
	tv.tv_usec = 20000;
	t0 = now_ms();
	n = (int)syscall5(SYS_select, p[1] + 1, &r, NULL, NULL, &tv);
	printf("select timeout: n=%d isset=%d waited=%d\n", n, fd_isset(p[0], &r), now_ms() - t0 >= 15);
	write(p[1], "yz", 2);
	fd_zero(&r);
	fd_zero(&w);
	fd_set_bit(p[0], &r);
	fd_set_bit(p[1], &w);
	n = (int)syscall5(SYS_select, p[1] + 1, &r, &w, NULL, NULL);
	printf("select: n=%d r=%d w=%d\n", n, fd_isset(p[0], &r), fd_isset(p[1], &w));
	fd_zero(&r);
	fd_set_bit(p[0], &r);
	ts.tv_sec = 0;
	ts.tv_nsec = 0;
	n = (int)syscall6(SYS_pselect, p[1] + 1, &r, NULL, NULL, &ts, &mask);
	printf("pselect: n=%d r=%d\n", n, fd_isset(p[0], &r));
	fd_zero(&r);
	fd_set_bit(200, &r);
	errno = 0;
	n = (int)syscall5(SYS_select, 201, &r, NULL, NULL, &tv);
	printf("select bad fd: n=%d errno=%d\n", n, errno);
	tv.tv_usec = 1000000;
	fd_zero(&r);
	errno = 0;
	n = (int)syscall5(SYS_select, 1, &r, NULL, NULL, &tv);
	printf("select bad timeout: n=%d errno=%d\n", n, errno);

	/* The writer goes away: FreeBSD reports EOF as readable plus POLLHUP. */
	close(p[1]);
	pf[0].events = POLLIN;
	pf[1].fd = 200;
	pf[1].events = POLLIN;
	n = (int)syscall3(SYS_poll, pf, 2, 0);
	printf("poll eof: n=%d r=0x%x bad=0x%x\n", n, pf[0].revents, pf[1].revents);

	/* A guest O_NONBLOCK read of an empty pipe: EAGAIN. */
	int e[2];
	CHECK(pipe2(e, O_NONBLOCK) == 0, "pipe2 O_NONBLOCK");
	errno = 0;
	n = (int)read(e[0], &c, 1);
	printf("nonblocking read: n=%d errno=%d\n", n, errno);
	close(e[0]);
	close(e[1]);
	close(p[0]);
}

int
main(int argc, char **argv)
{
	int kq;

	test_name = "events";
	abi11 = 0;
	test_kqueue();
	abi11 = 1;
	test_kqueue();
	test_poll();

	kq = (int)syscall1(SYS_kqueuex, KQUEUE_CLOEXEC);
	printf("kqueuex cloexec: %d\n", fcntl(kq, F_GETFD));
	char c;
	errno = 0;
	printf("read kqueue: %d errno=%d\n", (int)read(kq, &c, 1), errno);
	close(kq);
	errno = 0;
	printf("kqueuex bad flags: %d errno=%d\n", (int)syscall1(SYS_kqueuex, 2), errno);
	done();
}
