/*
 * sockets: BSD sockets on a FreeBSD guest (socket 97, connect 98, bind 104,
 * setsockopt 105, listen 106, getsockopt 118, recvmsg 27, sendmsg 28,
 * recvfrom 29, accept 30, getpeername 31, getsockname 32, sendto 133,
 * shutdown 134, socketpair 135, accept4 541: sys/kern/syscalls.master).
 * argv[1] is an empty directory for a unix socket; the program leaves it empty.
 *
 * FreeBSD facts checked (sys/sys/socket.h, sys/sys/un.h, sys/netinet/in.h,
 * sys/netinet/tcp.h, sys/kern/uipc_syscalls.c, sys/kern/uipc_socket.c):
 *  - sockaddrs start with sa_len then sa_family (one byte each); getsockname,
 *    accept and recvfrom copy min(room, sa_len) bytes and return that length;
 *  - getsockopt of an on/off SOL_SOCKET option returns the option's bit
 *    (so_options & name): SO_REUSEADDR on reads back 4; SO_ERROR clears;
 *  - an unknown option is ENOPROTOOPT; an AF_INET name of the wrong length
 *    EINVAL; socket calls on a pipe ENOTSOCK;
 *  - a non-blocking connect is EINPROGRESS, then writable with SO_ERROR 0;
 *  - send to a socket whose peer is gone: EPIPE, with SIGPIPE unless
 *    MSG_NOSIGNAL or SO_NOSIGPIPE;
 *  - SCM_RIGHTS passes a descriptor (cmsghdr 12 bytes, data at 16);
 *  - SO_RCVTIMEO ends a blocking recv with EAGAIN;
 *  - fstat of a socket says S_IFSOCK;
 *  - a blocking write larger than the socket buffer, read by another thread
 *    of the same process, completes (the writer must not stall the reader).
 */
#include "rt.h"

#define SYS_recvmsg	27
#define SYS_sendmsg	28
#define SYS_recvfrom	29
#define SYS_accept	30
#define SYS_getpeername	31
#define SYS_getsockname	32
#define SYS_socket	97
#define SYS_connect	98
#define SYS_bind	104
#define SYS_setsockopt	105
#define SYS_listen	106
#define SYS_getsockopt	118
#define SYS_sendto	133
#define SYS_shutdown	134
#define SYS_socketpair	135
#define SYS_poll	209
#define SYS_accept4	541
#define SYS_thr_exit	431
#define SYS_thr_new	455
#define SYS_nanosleep	240

#define AF_UNIX		1
#define AF_INET		2
#define AF_INET6	28
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_CLOEXEC	0x10000000
#define SOCK_NONBLOCK	0x20000000
#define SOL_SOCKET	0xffff
#define SO_REUSEADDR	0x0004
#define SO_KEEPALIVE	0x0008
#define SO_LINGER	0x0080
#define SO_NOSIGPIPE	0x0800
#define SO_RCVBUF	0x1002
#define SO_RCVTIMEO	0x1006
#define SO_ERROR	0x1007
#define SO_TYPE		0x1008
#define IPPROTO_TCP	6
#define IPPROTO_IPV6	41
#define TCP_NODELAY	1
#define TCP_KEEPIDLE	256
#define IPV6_V6ONLY	27
#define MSG_PEEK	0x2
#define MSG_DONTWAIT	0x80
#define MSG_NOSIGNAL	0x20000
#define SCM_RIGHTS	1
#define SHUT_WR		1
#define SIGPIPE		13
#define S_IFSOCK	0140000
#define F_GETFD		1
#define FD_CLOEXEC	1
#define POLLOUT		0x4

#define EPIPE		32
#define EINPROGRESS	36
#define ENOTSOCK	38
#define ENOPROTOOPT	42
#define EAFNOSUPPORT	47
#define ECONNREFUSED	61

struct sockaddr_in {
	uint8_t		sin_len;
	uint8_t		sin_family;
	uint16_t	sin_port;
	uint32_t	sin_addr;
	char		sin_zero[8];
};
_Static_assert(sizeof(struct sockaddr_in) == 16, "sockaddr_in");

struct sockaddr_un {
	uint8_t		sun_len;
	uint8_t		sun_family;
	char		sun_path[104];
};
_Static_assert(sizeof(struct sockaddr_un) == 106, "sockaddr_un");

struct linger { int l_onoff; int l_linger; };

struct msghdr {
	void		*msg_name;
	uint32_t	msg_namelen;
	struct iovec	*msg_iov;
	int		msg_iovlen;
	void		*msg_control;
	uint32_t	msg_controllen;
	int		msg_flags;
};
_Static_assert(sizeof(struct msghdr) == 48, "msghdr");

struct pollfd { int fd; short events; short revents; };

#define LOOPBACK	0x0100007fu	/* 127.0.0.1 in network order, little-endian host */
static uint16_t ntohs(uint16_t x) { return (uint16_t)((x >> 8) | (x << 8)); }

static int sk_socket(int d, int t, int p) { return (int)syscall3(SYS_socket, d, t, p); }
static int sk_bind(int s, const void *a, int l) { return (int)syscall3(SYS_bind, s, a, l); }
static int sk_listen(int s, int n) { return (int)syscall2(SYS_listen, s, n); }
static int sk_connect(int s, const void *a, int l) { return (int)syscall3(SYS_connect, s, a, l); }
static int sk_accept(int s, void *a, uint32_t *l) { return (int)syscall3(SYS_accept, s, a, l); }
static int sk_accept4(int s, void *a, uint32_t *l, int f) { return (int)syscall4(SYS_accept4, s, a, l, f); }
static int sk_getsockname(int s, void *a, uint32_t *l) { return (int)syscall3(SYS_getsockname, s, a, l); }
static int sk_getpeername(int s, void *a, uint32_t *l) { return (int)syscall3(SYS_getpeername, s, a, l); }
static int sk_setsockopt(int s, int lv, int n, const void *v, int l) { return (int)syscall5(SYS_setsockopt, s, lv, n, v, l); }
static int sk_getsockopt(int s, int lv, int n, void *v, uint32_t *l) { return (int)syscall5(SYS_getsockopt, s, lv, n, v, l); }
static long sk_sendto(int s, const void *b, size_t n, int f, const void *a, int l) { return syscall6(SYS_sendto, s, b, n, f, a, l); }
static long sk_recvfrom(int s, void *b, size_t n, int f, void *a, uint32_t *l) { return syscall6(SYS_recvfrom, s, b, n, f, a, l); }
static long sk_sendmsg(int s, const struct msghdr *m, int f) { return syscall3(SYS_sendmsg, s, m, f); }
static long sk_recvmsg(int s, struct msghdr *m, int f) { return syscall3(SYS_recvmsg, s, m, f); }
static int sk_shutdown(int s, int how) { return (int)syscall2(SYS_shutdown, s, how); }
static int sk_socketpair(int d, int t, int p, int *sv) { return (int)syscall4(SYS_socketpair, d, t, p, sv); }

static int getint(int s, int lv, int n)
{
	int v = -1;
	uint32_t l = sizeof(v);
	if (sk_getsockopt(s, lv, n, &v, &l) != 0 || l != 4)
		return -1000;
	return v;
}

static volatile int sigpipes;
static void on_sigpipe(int sig) { (void)sig; sigpipes++; }

static void tcp(void)
{
	int ls = sk_socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(ls >= 0, "socket");
	CHECK((fcntl(ls, F_GETFD) & FD_CLOEXEC) != 0, "SOCK_CLOEXEC");
	int one = 1;
	CHECK(sk_setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0, "SO_REUSEADDR");
	printf("SO_REUSEADDR reads back 0x%x\n", getint(ls, SOL_SOCKET, SO_REUSEADDR));
	printf("SO_KEEPALIVE reads back %d\n", getint(ls, SOL_SOCKET, SO_KEEPALIVE));
	printf("SO_TYPE %d\n", getint(ls, SOL_SOCKET, SO_TYPE));
	CHECK_ERR(sk_setsockopt(ls, SOL_SOCKET, 0x7777, &one, sizeof(one)), ENOPROTOOPT, "unknown option");
	CHECK_ERR(sk_getsockopt(ls, IPPROTO_TCP, 0x7777, &one, &(uint32_t){4}), ENOPROTOOPT, "unknown tcp option");

	struct sockaddr_in sin = { sizeof(sin), AF_INET, 0, LOOPBACK, {0} };
	CHECK_ERR(sk_bind(ls, &sin, 8), EINVAL, "bind with a short name");
	CHECK(sk_bind(ls, &sin, sizeof(sin)) == 0, "bind");
	CHECK(sk_listen(ls, 5) == 0, "listen");
	struct sockaddr_in got;
	memset(&got, 0xee, sizeof(got));
	uint32_t gl = sizeof(got);
	CHECK(sk_getsockname(ls, &got, &gl) == 0, "getsockname");
	printf("getsockname: len %u sa_len %u family %u addr 0x%x port %s\n", gl, got.sin_len, got.sin_family,
	    got.sin_addr, got.sin_port ? "nonzero" : "zero");
	/* A short buffer: FreeBSD copies 4 bytes and says 4. */
	uint8_t part[16];
	memset(part, 0xee, sizeof(part));
	gl = 4;
	CHECK(sk_getsockname(ls, part, &gl) == 0, "short getsockname");
	printf("short getsockname: len %u bytes %02x %02x, byte 4 untouched %s\n", gl, part[0], part[1],
	    part[4] == 0xee ? "yes" : "no");

	/* Non-blocking connect. */
	int cs = sk_socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK(cs >= 0, "client socket");
	CHECK((fcntl(cs, F_GETFL) & O_NONBLOCK) != 0, "SOCK_NONBLOCK");
	int r = sk_connect(cs, &got, sizeof(got));
	CHECK(r == 0 || errno == EINPROGRESS, "connect");
	struct pollfd p = { cs, POLLOUT, 0 };
	CHECK(syscall3(SYS_poll, &p, 1, 5000) == 1 && (p.revents & POLLOUT), "poll for the connection");
	printf("SO_ERROR after connect %d\n", getint(cs, SOL_SOCKET, SO_ERROR));

	struct sockaddr_in peer;
	uint32_t pl = sizeof(peer);
	int as = sk_accept4(ls, &peer, &pl, SOCK_CLOEXEC);
	CHECK(as >= 0, "accept4");
	printf("accept4: len %u family %u addr 0x%x\n", pl, peer.sin_family, peer.sin_addr);
	CHECK((fcntl(as, F_GETFD) & FD_CLOEXEC) != 0, "accept4 SOCK_CLOEXEC");
	CHECK((fcntl(as, F_GETFL) & O_NONBLOCK) == 0, "accept4 without SOCK_NONBLOCK is blocking");
	struct sockaddr_in pn;
	pl = sizeof(pn);
	CHECK(sk_getpeername(cs, &pn, &pl) == 0 && pn.sin_port == got.sin_port, "getpeername");

	CHECK(sk_setsockopt(as, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0, "TCP_NODELAY");
	printf("TCP_NODELAY reads back %d\n", getint(as, IPPROTO_TCP, TCP_NODELAY));
	int idle = 77;
	CHECK(sk_setsockopt(as, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) == 0, "TCP_KEEPIDLE");
	printf("TCP_KEEPIDLE %d\n", getint(as, IPPROTO_TCP, TCP_KEEPIDLE));
	struct linger lg = { 1, 3 };
	CHECK(sk_setsockopt(as, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) == 0, "SO_LINGER");
	uint32_t ll = sizeof(lg);
	CHECK(sk_getsockopt(as, SOL_SOCKET, SO_LINGER, &lg, &ll) == 0, "get SO_LINGER");
	printf("SO_LINGER 0x%x %d\n", lg.l_onoff, lg.l_linger);
	int rb = 65536;
	CHECK(sk_setsockopt(as, SOL_SOCKET, SO_RCVBUF, &rb, sizeof(rb)) == 0, "SO_RCVBUF");
	printf("SO_RCVBUF %d\n", getint(as, SOL_SOCKET, SO_RCVBUF));

	/* Data both ways: write/read, sendto/recvfrom, MSG_PEEK. */
	CHECK(write(cs, "hello", 5) == 5, "write");
	char buf[64];
	CHECK(sk_recvfrom(as, buf, sizeof(buf), MSG_PEEK, 0, 0) == 5, "MSG_PEEK");
	uint32_t fl = 99;
	struct sockaddr_in from;
	long n = sk_recvfrom(as, buf, sizeof(buf), 0, &from, &fl);
	printf("recvfrom %ld '%.*s' fromlen %u\n", n, (int)n, buf, fl);
	CHECK(sk_sendto(as, "world!", 6, 0, 0, 0) == 6, "sendto");
	struct pollfd pin = { cs, 1, 0 };
	syscall3(SYS_poll, &pin, 1, 5000);
	n = read(cs, buf, sizeof(buf));
	printf("read %ld '%.*s'\n", n, (int)n, buf);
	CHECK_ERR(sk_recvfrom(cs, buf, sizeof(buf), 0, 0, 0), EAGAIN, "non-blocking recv with nothing");
	CHECK_ERR(sk_recvfrom(as, buf, sizeof(buf), MSG_DONTWAIT, 0, 0), EAGAIN, "MSG_DONTWAIT");

	/* SO_RCVTIMEO on the blocking accepted socket: the thread parks, then EAGAIN. */
	struct timeval tv = { 0, 100000 };
	CHECK(sk_setsockopt(as, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0, "SO_RCVTIMEO");
	CHECK_ERR(read(as, buf, sizeof(buf)), EAGAIN, "read past SO_RCVTIMEO");
	CHECK_ERR(sk_recvfrom(as, buf, sizeof(buf), 0, 0, 0), EAGAIN, "recv past SO_RCVTIMEO");

	/* Half close: the reader sees EOF. */
	CHECK(sk_shutdown(cs, SHUT_WR) == 0, "shutdown");
	CHECK(read(as, buf, sizeof(buf)) == 0, "EOF after shutdown");
	CHECK_ERR(sk_shutdown(cs, 7), EINVAL, "shutdown how");

	struct stat st;
	CHECK(fstat(as, &st) == 0 && (st.st_mode & S_IFMT) == S_IFSOCK, "fstat S_IFSOCK");
	close(as);
	close(cs);

	/* Blocking connect and accept (the connect parks until the handshake is done). */
	cs = sk_socket(AF_INET, SOCK_STREAM, 0);
	CHECK(sk_connect(cs, &got, sizeof(got)) == 0, "blocking connect");
	pl = sizeof(peer);
	as = sk_accept(ls, &peer, &pl);
	CHECK(as >= 0, "blocking accept");
	CHECK(write(as, "x", 1) == 1 && read(cs, buf, 1) == 1 && buf[0] == 'x', "round trip");
	close(as);
	close(cs);
	close(ls);

	/* Nobody listening: connection refused. */
	cs = sk_socket(AF_INET, SOCK_STREAM, 0);
	CHECK_ERR(sk_connect(cs, &got, sizeof(got)), ECONNREFUSED, "refused");
	close(cs);
	printf("tcp done\n");
}

static void udp(void)
{
	int a = sk_socket(AF_INET, SOCK_DGRAM, 0), b = sk_socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in sa = { sizeof(sa), AF_INET, 0, LOOPBACK, {0} }, sb = sa;
	CHECK(sk_bind(a, &sa, sizeof(sa)) == 0 && sk_bind(b, &sb, sizeof(sb)) == 0, "udp bind");
	uint32_t l = sizeof(sa);
	sk_getsockname(a, &sa, &l);
	l = sizeof(sb);
	sk_getsockname(b, &sb, &l);
	CHECK(sk_sendto(a, "datagram", 8, 0, &sb, sizeof(sb)) == 8, "udp sendto");
	char buf[32];
	struct sockaddr_in from;
	uint32_t fl = sizeof(from);
	long n = sk_recvfrom(b, buf, sizeof(buf), 0, &from, &fl);
	printf("udp: %ld '%.*s' from len %u family %u, same port %s\n", n, (int)n, buf, fl, from.sin_family,
	    from.sin_port == sa.sin_port ? "yes" : "no");
	CHECK_ERR(sk_sendto(a, "x", 1, 0, &sb, 15), EINVAL, "udp sendto short name");
	close(a);
	close(b);
}

static void unixsock(const char *dir)
{
	/* socketpair, SCM_RIGHTS, EPIPE and SIGPIPE. */
	int sv[2];
	CHECK(sk_socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	int pp[2];
	CHECK(pipe2(pp, 0) == 0, "pipe2");
	CHECK_ERR(sk_listen(pp[0], 1), ENOTSOCK, "listen on a pipe");
	CHECK_ERR(sk_socket(99, SOCK_STREAM, 0), EAFNOSUPPORT, "bad family");
	char byte = 'F';
	struct iovec iov = { &byte, 1 };
	union { char b[32]; uint64_t align; } ctl;
	memset(&ctl, 0, sizeof(ctl));
	uint32_t *h = (uint32_t *)ctl.b;
	h[0] = 16 + 4;		/* cmsg_len = CMSG_LEN(sizeof(int)) */
	h[1] = SOL_SOCKET;
	h[2] = SCM_RIGHTS;
	*(int *)(ctl.b + 16) = pp[1];
	struct msghdr m = { 0, 0, &iov, 1, ctl.b, 24, 0 };
	CHECK(sk_sendmsg(sv[0], &m, 0) == 1, "sendmsg SCM_RIGHTS");
	close(pp[1]);
	memset(&ctl, 0, sizeof(ctl));
	byte = 0;
	struct msghdr r = { 0, 0, &iov, 1, ctl.b, sizeof(ctl.b), 0 };
	long n = sk_recvmsg(sv[1], &r, 0);
	int passed = *(int *)(ctl.b + 16);
	printf("recvmsg %ld '%c' controllen %u cmsg_len %u level 0x%x type %u flags %d\n", n, byte, r.msg_controllen,
	    h[0], h[1], h[2], r.msg_flags);
	CHECK(write(passed, "via fd", 6) == 6, "write through the passed descriptor");
	char buf[16];
	CHECK(read(pp[0], buf, sizeof(buf)) == 6 && memcmp(buf, "via fd", 6) == 0, "read from the pipe");
	close(passed);
	close(pp[0]);

	close(sv[1]);
	CHECK_ERR(sk_sendto(sv[0], "x", 1, MSG_NOSIGNAL, 0, 0), EPIPE, "EPIPE with MSG_NOSIGNAL");
	int one = 1;
	CHECK(sk_setsockopt(sv[0], SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one)) == 0, "SO_NOSIGPIPE");
	CHECK_ERR(write(sv[0], "x", 1), EPIPE, "EPIPE with SO_NOSIGPIPE");
	printf("SIGPIPEs so far %d\n", sigpipes);
	int zero = 0;
	sk_setsockopt(sv[0], SOL_SOCKET, SO_NOSIGPIPE, &zero, sizeof(zero));
	CHECK_ERR(sk_sendto(sv[0], "x", 1, 0, 0, 0), EPIPE, "EPIPE");
	printf("SIGPIPEs after a plain send %d\n", sigpipes);
	close(sv[0]);

	/* A named unix stream socket. */
	struct sockaddr_un sun;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s/u.sock", dir);
	sun.sun_len = (uint8_t)(2 + strlen(sun.sun_path) + 1);
	int ls = sk_socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(sk_bind(ls, &sun, sun.sun_len) == 0, "unix bind");
	CHECK(sk_listen(ls, 1) == 0, "unix listen");
	int cs = sk_socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(sk_connect(cs, &sun, sun.sun_len) == 0, "unix connect");
	struct sockaddr_un a;
	uint32_t al = sizeof(a);
	int as = sk_accept(ls, &a, &al);
	CHECK(as >= 0, "unix accept");
	printf("unix accept: peer len %u family %u\n", al, a.sun_family);
	al = sizeof(a);
	CHECK(sk_getpeername(cs, &a, &al) == 0, "unix getpeername");
	printf("unix getpeername: len is 2 + strlen + 1: %s, name %s\n",
	    al == 2 + strlen(sun.sun_path) + 1 ? "yes" : "no", basename_of(a.sun_path));
	CHECK(write(cs, "u", 1) == 1 && read(as, buf, 1) == 1, "unix data");
	close(as);
	close(cs);
	close(ls);
	CHECK(unlink(sun.sun_path) == 0, "unlink the socket");
}


static char rstack[65536] __attribute__((aligned(16)));
static uint64_t rtls[8] __attribute__((aligned(16)));
static volatile long rtid, rptid, rstate, rtotal;
static int rfd;
static char big[1 << 20];

static void reader(void *arg)
{
	(void)arg;
	static char b[4096];
	long n;
	while ((n = read(rfd, b, sizeof(b))) > 0)
		rtotal += n;
	syscall1(SYS_thr_exit, &rstate);
}

static void threaded(void)
{
	int sv[2];
	CHECK(sk_socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	rfd = sv[1];
	struct thr_param p;
	memset(&p, 0, sizeof(p));
	p.start_func = reader;
	p.stack_base = rstack;
	p.stack_size = sizeof(rstack);
	p.tls_base = (char *)rtls;
	p.tls_size = sizeof(rtls);
	p.child_tid = (long *)&rtid;
	p.parent_tid = (long *)&rptid;
	CHECK(syscall2(SYS_thr_new, &p, sizeof(p)) == 0, "thr_new");
	memset(big, 'b', sizeof(big));
	long total = 0;
	while (total < (long)sizeof(big)) {
		long n = write(sv[0], big + total, sizeof(big) - total);
		if (n <= 0)
			break;
		total += n;
	}
	close(sv[0]);
	struct timespec ts = { 0, 1000000 };
	for (int i = 0; i < 10000 && !rstate; i++)
		syscall2(SYS_nanosleep, &ts, 0);
	printf("threaded: wrote %ld, the reader thread got %ld\n", total, (long)rtotal);
	close(sv[1]);
}

int main(int argc, char **argv)
{
	test_name = "sockets";
	if (argc < 2) {
		printf("usage: sockets DIR\n");
		return 2;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigpipe;
	CHECK(sigaction(SIGPIPE, &sa, 0) == 0, "sigaction");
	tcp();
	udp();
	unixsock(argv[1]);
	threaded();
	done();
}
