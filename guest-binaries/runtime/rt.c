/* rt.c - the tiny libc behind bsdemu's guest programs. */
#include "rt.h"

char **environ;
Elf64_Auxinfo *__auxv;
int check_failures;
int check_count;
const char *test_name = "test";

int main(int, char **, char **);

void __start_c(long *ap) __attribute__((noreturn, used));

void
__start_c(long *ap)
{
	int argc = (int)ap[0];
	char **argv = (char **)(ap + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	environ = envp;
	while (*p != NULL)
		p++;
	__auxv = (Elf64_Auxinfo *)(p + 1);
	if (argc > 0 && argv[0] != NULL)
		test_name = basename_of(argv[0]);
	exit(main(argc, argv, envp));
}

/* ---- memory and strings (inline asm so the compiler cannot turn them
 * back into calls to themselves) ---- */

#if defined(__x86_64__)
void *
memcpy(void *dst, const void *src, size_t n)
{
	void *ret = dst;

	__asm__ volatile("rep movsb"
	    : "+D"(dst), "+S"(src), "+c"(n) : : "memory");
	return ret;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	d += n - 1;
	s += n - 1;
	__asm__ volatile("std\n\trep movsb\n\tcld"
	    : "+D"(d), "+S"(s), "+c"(n) : : "memory", "cc");
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	void *ret = dst;

	__asm__ volatile("rep stosb"
	    : "+D"(dst), "+c"(n) : "a"(c) : "memory");
	return ret;
}

#else
/* volatile byte loops: the compiler must not turn them back into calls to themselves */
void *
memcpy(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const volatile unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *
memmove(void *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const volatile unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *
memset(void *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

#endif

int
memcmp(const void *a, const void *b, size_t n)
{
	const volatile unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

size_t
strlen(const char *s)
{
	const volatile char *p = s;
	size_t n = 0;

	while (p[n] != '\0')
		n++;
	return n;
}

int
strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (*a == '\0')
			return 0;
	}
	return 0;
}

char *
strcpy(char *d, const char *s)
{
	memcpy(d, s, strlen(s) + 1);
	return d;
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (*s == '\0')
			return NULL;
	}
}

char *
strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (*s == '\0')
			return (char *)r;
	}
}

long
atol(const char *s)
{
	long v = 0;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}

const char *
basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

char *
getenv(const char *name)
{
	size_t n = strlen(name);

	for (char **e = environ; e != NULL && *e != NULL; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return *e + n + 1;
	return NULL;
}

void
sort_strings(char **v, int n)
{
	for (int i = 1; i < n; i++) {
		char *k = v[i];
		int j = i - 1;

		while (j >= 0 && strcmp(v[j], k) > 0) {
			v[j + 1] = v[j];
			j--;
		}
		v[j + 1] = k;
	}
}

long
aux_get(long type, int *found)
{
	for (Elf64_Auxinfo *a = __auxv; a != NULL && a->a_type != AT_NULL; a++) {
		if (a->a_type == type) {
			if (found)
				*found = 1;
			return a->a_un.a_val;
		}
	}
	if (found)
		*found = 0;
	return 0;
}

/* ---- formatted output ---- */

struct outbuf {
	char	*buf;
	size_t	cap;
	size_t	len;
};

static void
out_c(struct outbuf *o, char c)
{
	if (o->len + 1 < o->cap)
		o->buf[o->len] = c;
	o->len++;
}

static void
out_field(struct outbuf *o, const char *s, size_t n, int width, int left,
    char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left) {
		/* zero padding goes after a sign */
		if (pad == '0' && n > 0 && (s[0] == '-')) {
			out_c(o, '-');
			s++;
			n--;
		}
		while (fill-- > 0)
			out_c(o, pad);
	}
	for (size_t i = 0; i < n; i++)
		out_c(o, s[i]);
	if (left)
		while (fill-- > 0)
			out_c(o, ' ');
}

int
vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, cap, 0 };
	char tmp[40];

	for (const char *f = fmt; *f != '\0'; f++) {
		if (*f != '%') {
			out_c(&o, *f);
			continue;
		}
		f++;
		int left = 0, width = 0, prec = -1, lng = 0;
		char pad = ' ';

		for (;; f++) {
			if (*f == '-')
				left = 1;
			else if (*f == '0')
				pad = '0';
			else
				break;
		}
		if (*f == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				left = 1;
				width = -width;
			}
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				width = width * 10 + (*f++ - '0');
		}
		if (*f == '.') {
			f++;
			prec = 0;
			if (*f == '*') {
				prec = va_arg(ap, int);
				f++;
			} else {
				while (*f >= '0' && *f <= '9')
					prec = prec * 10 + (*f++ - '0');
			}
		}
		while (*f == 'l' || *f == 'z') {
			lng++;
			f++;
		}
		if (left)
			pad = ' ';

		switch (*f) {
		case 'd':
		case 'i': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);
			unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;
			int n = 0;
			char rev[24];

			do {
				rev[n++] = '0' + u % 10;
				u /= 10;
			} while (u != 0);
			int k = 0;
			if (v < 0)
				tmp[k++] = '-';
			while (n > 0)
				tmp[k++] = rev[--n];
			out_field(&o, tmp, k, width, left, pad);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'p': {
			unsigned long u;
			int base = *f == 'u' ? 10 : 16;
			const char *digits = *f == 'X' ? "0123456789ABCDEF" :
			    "0123456789abcdef";
			int k = 0, n = 0;
			char rev[24];

			if (*f == 'p')
				u = (unsigned long)va_arg(ap, void *);
			else
				u = lng ? va_arg(ap, unsigned long) :
				    va_arg(ap, unsigned int);
			do {
				rev[n++] = digits[u % base];
				u /= base;
			} while (u != 0);
			if (*f == 'p') {
				tmp[k++] = '0';
				tmp[k++] = 'x';
			}
			while (n > 0)
				tmp[k++] = rev[--n];
			out_field(&o, tmp, k, width, left, pad);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			size_t n;

			if (s == NULL)
				s = "(null)";
			n = strlen(s);
			if (prec >= 0 && (size_t)prec < n)
				n = prec;
			out_field(&o, s, n, width, left, ' ');
			break;
		}
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			out_field(&o, tmp, 1, width, left, ' ');
			break;
		case '%':
			out_c(&o, '%');
			break;
		case '\0':
			f--;
			break;
		default:
			out_c(&o, '%');
			out_c(&o, *f);
			break;
		}
	}
	if (cap > 0)
		buf[o.len < cap ? o.len : cap - 1] = '\0';
	return (int)o.len;
}

int
snprintf(char *buf, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	return n;
}

static int
write_all(int fd, const char *s, size_t n)
{
	size_t done_bytes = 0;

	while (done_bytes < n) {
		ssize_t w = write(fd, s + done_bytes, n - done_bytes);

		if (w <= 0)
			return -1;
		done_bytes += w;
	}
	return (int)n;
}

static int
vdprintf(int fd, const char *fmt, va_list ap)
{
	char buf[1024];
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);

	if (n >= (int)sizeof(buf))
		n = sizeof(buf) - 1;
	return write_all(fd, buf, n);
}

int
dprintf(int fd, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(fd, fmt, ap);
	va_end(ap);
	return n;
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vdprintf(1, fmt, ap);
	va_end(ap);
	return n;
}

int
puts(const char *s)
{
	size_t n = strlen(s);

	if (write_all(1, s, n) < 0 || write_all(1, "\n", 1) < 0)
		return -1;
	return 0;
}

/* ---- checks ---- */

void
check_fail(const char *what, int line)
{
	int e = errno;

	check_failures++;
	printf("FAIL: %s (line %d, errno %d)\n", what, line, e);
	errno = e;
}

void
done(void)
{
	if (check_failures == 0) {
		printf("PASS %s\n", test_name);
		exit(0);
	}
	printf("FAIL %s: %d checks\n", test_name, check_failures);
	exit(1);
}

/* ---- process ---- */

void
_exit(int status)
{
	for (;;)
		syscall1(SYS_exit, status);
}

void
exit(int status)
{
	_exit(status);
}

/* ---- syscall wrappers ---- */

ssize_t read(int fd, void *b, size_t n) { return syscall3(SYS_read, fd, b, n); }
ssize_t write(int fd, const void *b, size_t n) { return syscall3(SYS_write, fd, b, n); }

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return (int)syscall3(SYS_open, path, flags, mode);
}

int
openat(int dfd, const char *path, int flags, ...)
{
	va_list ap;
	int mode;

	va_start(ap, flags);
	mode = va_arg(ap, int);
	va_end(ap);
	return (int)syscall4(SYS_openat, dfd, path, flags, mode);
}

int close(int fd) { return (int)syscall1(SYS_close, fd); }
pid_t getpid(void) { return (pid_t)syscall0(SYS_getpid); }
pid_t getppid(void) { return (pid_t)syscall0(SYS_getppid); }
uid_t getuid(void) { return (uid_t)syscall0(SYS_getuid); }
uid_t geteuid(void) { return (uid_t)syscall0(SYS_geteuid); }
gid_t getgid(void) { return (gid_t)syscall0(SYS_getgid); }
gid_t getegid(void) { return (gid_t)syscall0(SYS_getegid); }

void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)syscall6(SYS_mmap, addr, len, prot, flags, fd, off);
}

int munmap(void *a, size_t n) { return (int)syscall2(SYS_munmap, a, n); }
int mprotect(void *a, size_t n, int p) { return (int)syscall3(SYS_mprotect, a, n, p); }
int madvise(void *a, size_t n, int b) { return (int)syscall3(SYS_madvise, a, n, b); }
int msync(void *a, size_t n, int f) { return (int)syscall3(SYS_msync, a, n, f); }
int minherit(void *a, size_t n, int i) { return (int)syscall3(SYS_minherit, a, n, i); }
int mincore(const void *a, size_t n, char *v) { return (int)syscall3(SYS_mincore, a, n, v); }
int fstat(int fd, struct stat *st) { return (int)syscall2(SYS_fstat, fd, st); }

int
fstatat(int dfd, const char *path, struct stat *st, int flag)
{
	return (int)syscall4(SYS_fstatat, dfd, path, st, flag);
}

int stat(const char *p, struct stat *st) { return fstatat(AT_FDCWD, p, st, 0); }
int lstat(const char *p, struct stat *st) { return fstatat(AT_FDCWD, p, st, AT_SYMLINK_NOFOLLOW); }
off_t lseek(int fd, off_t off, int wh) { return syscall3(SYS_lseek, fd, off, wh); }
ssize_t pread(int fd, void *b, size_t n, off_t off) { return syscall4(SYS_pread, fd, b, n, off); }
ssize_t pwrite(int fd, const void *b, size_t n, off_t off) { return syscall4(SYS_pwrite, fd, b, n, off); }

ssize_t
getdirentries(int fd, char *buf, size_t n, off_t *basep)
{
	return syscall4(SYS_getdirentries, fd, buf, n, basep);
}

int mkdir(const char *p, mode_t m) { return (int)syscall2(SYS_mkdir, p, m); }
int rmdir(const char *p) { return (int)syscall1(SYS_rmdir, p); }
int unlink(const char *p) { return (int)syscall1(SYS_unlink, p); }
int rename(const char *a, const char *b) { return (int)syscall2(SYS_rename, a, b); }
int symlink(const char *a, const char *b) { return (int)syscall2(SYS_symlink, a, b); }
ssize_t readlink(const char *p, char *b, size_t n) { return syscall3(SYS_readlink, p, b, n); }
int link(const char *a, const char *b) { return (int)syscall2(SYS_link, a, b); }
int chdir(const char *p) { return (int)syscall1(SYS_chdir, p); }
int __getcwd(char *b, size_t n) { return (int)syscall2(SYS___getcwd, b, n); }
int access(const char *p, int m) { return (int)syscall2(SYS_access, p, m); }
int ftruncate(int fd, off_t n) { return (int)syscall2(SYS_ftruncate, fd, n); }
int fsync(int fd) { return (int)syscall1(SYS_fsync, fd); }
int dup(int fd) { return (int)syscall1(SYS_dup, fd); }
int dup2(int a, int b) { return (int)syscall2(SYS_dup2, a, b); }

int
fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	return (int)syscall3(SYS_fcntl, fd, cmd, arg);
}

int pipe2(int *fds, int flags) { return (int)syscall2(SYS_pipe2, fds, flags); }

int
ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	return (int)syscall3(SYS_ioctl, fd, req, arg);
}

int sysarch(int op, void *parms) { return (int)syscall2(SYS_sysarch, op, parms); }

int
__sysctl(const int *name, unsigned int namelen, void *old, size_t *oldlenp,
    const void *new, size_t newlen)
{
	return (int)syscall6(SYS___sysctl, name, namelen, old, oldlenp, new,
	    newlen);
}

int kill(pid_t pid, int sig) { return (int)syscall2(SYS_kill, pid, sig); }

int
sigaction(int sig, const struct sigaction *act, struct sigaction *oact)
{
	return (int)syscall3(SYS_sigaction, sig, act, oact);
}

int
sigprocmask(int how, const sigset_t *set, sigset_t *oset)
{
	return (int)syscall3(SYS_sigprocmask, how, set, oset);
}

int clock_gettime(int id, struct timespec *ts) { return (int)syscall2(SYS_clock_gettime, id, ts); }

int
nanosleep(const struct timespec *req, struct timespec *rem)
{
	return (int)syscall2(SYS_nanosleep, req, rem);
}

ssize_t getrandom(void *b, size_t n, unsigned int f) { return syscall3(SYS_getrandom, b, n, f); }
int issetugid(void) { return (int)syscall0(SYS_issetugid); }
void *sys_break(void *nsize) { return (void *)syscall1(SYS_break, nsize); }
mode_t umask(mode_t m) { return (mode_t)syscall1(SYS_umask, m); }

int
utimensat(int dfd, const char *path, const struct timespec *ts, int flag)
{
	return (int)syscall4(SYS_utimensat, dfd, path, ts, flag);
}

int chmod(const char *p, mode_t m) { return (int)syscall2(SYS_chmod, p, m); }
int fchmod(int fd, mode_t m) { return (int)syscall2(SYS_fchmod, fd, m); }
ssize_t readv(int fd, const struct iovec *v, int n) { return syscall3(SYS_readv, fd, v, n); }
ssize_t writev(int fd, const struct iovec *v, int n) { return syscall3(SYS_writev, fd, v, n); }
int gettimeofday(struct timeval *tv, void *tz) { return (int)syscall2(SYS_gettimeofday, tv, tz); }

void
show_result(const char *what, long r)
{
	if (r == -1)
		printf("%s = -1 errno %d\n", what, errno);
	else
		printf("%s = %ld\n", what, r);
}
