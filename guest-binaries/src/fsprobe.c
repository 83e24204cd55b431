/*
 * fsprobe: the descriptor and file-system calls that `files` does not reach:
 * getdirentries with a tiny buffer (records carried over between calls) and
 * re-reading from *basep, the *at family with a directory descriptor,
 * fcntl record locks and the FreeBSD-only fcntl commands, closefrom and
 * close_range, statfs/fstatfs (2344-byte struct statfs), truncate, fchdir,
 * futimens, FIONREAD/FIOCLEX/FIONBIO and TIOCGWINSZ on a non-tty.
 * Run as:  bsdemu fsprobe <empty temp dir>   (leaves files behind for the
 * test to inspect: keep/data.bin 0640 "0123456789", keep/linked)
 */
#include "rt.h"

#define SYS_fchdir	13
#define SYS_fchown	123
#define SYS_preadv	289
#define SYS_pwritev	290
#define SYS_truncate	479
#define SYS_faccessat	489
#define SYS_fchmodat	490
#define SYS_linkat	495
#define SYS_mkdirat	496
#define SYS_readlinkat	500
#define SYS_renameat	501
#define SYS_symlinkat	502
#define SYS_unlinkat	503
#define SYS_closefrom	509
#define SYS_futimens	546
#define SYS_fdatasync	550
#define SYS_statfs	555
#define SYS_fstatfs	556
#define SYS_close_range	575

#define AT_REMOVEDIR	0x800
#define AT_EMPTY_PATH	0x4000
#define F_DUP2FD	10
#define F_GETLK		11
#define F_SETLK		12
#define F_ISUNIONSTACK	21
#define F_GET_SEALS	20
#define F_RDLCK		1
#define F_UNLCK		2
#define F_WRLCK		3
#define CLOSE_RANGE_CLOEXEC	(1 << 2)
#define FIOCLEX		0x20006601UL
#define FIONREAD	0x4004667fUL
#define FIONBIO		0x8004667eUL
#define TIOCGWINSZ	0x40087468UL
#define TIOCSETA	0x802c7414UL
#define O_EXLOCK	0x20

struct flock {
	off_t	l_start;
	off_t	l_len;
	pid_t	l_pid;
	short	l_type;
	short	l_whence;
	int	l_sysid;
};
_Static_assert(sizeof(struct flock) == 32, "struct flock");

struct statfs {
	uint32_t f_version, f_type;
	uint64_t f_flags, f_bsize, f_iosize, f_blocks, f_bfree;
	int64_t f_bavail;
	uint64_t f_files;
	int64_t f_ffree;
	uint64_t f_syncwrites, f_asyncwrites, f_syncreads, f_asyncreads, f_spare[10];
	uint32_t f_namemax, f_owner;
	int32_t f_fsid[2];
	char f_charspare[80], f_fstypename[16], f_mntfromname[1024], f_mntonname[1024];
};
_Static_assert(sizeof(struct statfs) == 2344, "struct statfs");
_Static_assert(offsetof(struct statfs, f_fstypename) == 280, "f_fstypename");

static int
list_dir(int fd, size_t bufsize, char names[][32], int max)
{
	static char buf[4096];
	off_t base;
	ssize_t got;
	int n = 0;

	while ((got = getdirentries(fd, buf, bufsize, &base)) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(buf + off);

			if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0 && n < max) {
				snprintf(names[n], 32, "%s", d->d_name);
				n++;
			}
			off += d->d_reclen;
		}
	}
	return got < 0 ? -1 : n;
}

int
main(int argc, char **argv, char **envp)
{
	char buf[256], names[40][32], again[40][32];
	char *sorted[40];
	struct stat st;
	int dfd, fd, fd2, n, m;

	(void)envp;
	test_name = "fsprobe";
	if (argc > 1 && strcmp(argv[1], "tty") == 0) {
		/* stdin is a terminal: FreeBSD struct termios (44 bytes) from the host's */
		unsigned char t[44], t2[44];
		unsigned short ws[4];
		uint32_t lflag, cflag;

		if (ioctl(0, TIOCGETA, t) != 0) {
			printf("TIOCGETA failed: errno %d\n", errno);
			return 1;
		}
		memcpy(&lflag, t + 12, 4);
		memcpy(&cflag, t + 8, 4);
		printf("icanon=%d echo=%d isig=%d cs8=%d vintr=%d veof=%d verase2=%d\n",
		    !!(lflag & 0x100), !!(lflag & 0x8), !!(lflag & 0x80),
		    (cflag & 0x300) == 0x300, t[16 + 8], t[16 + 0], t[16 + 7]);
		lflag &= ~0x8u;
		memcpy(t2, t, 44);
		memcpy(t2 + 12, &lflag, 4);
		CHECK(ioctl(0, TIOCSETA, t2) == 0, "TIOCSETA echo off");
		CHECK(ioctl(0, TIOCGETA, t2) == 0 && !(t2[12] & 0x8), "echo is off");
		CHECK(ioctl(0, TIOCSETA, t) == 0, "TIOCSETA restore");
		CHECK(ioctl(0, TIOCGWINSZ, ws) == 0, "TIOCGWINSZ on a tty");
		done();
	}
	if (argc < 2) {
		printf("usage: fsprobe <empty directory>\n");
		return 2;
	}
	CHECK(chdir(argv[1]) == 0, "chdir");
	umask(027);

	/* *at family relative to a directory descriptor */
	CHECK(syscall3(SYS_mkdirat, AT_FDCWD, "keep", 0777) == 0, "mkdirat");
	dfd = open("keep", O_RDONLY | O_DIRECTORY);
	CHECK(dfd >= 0, "open keep");
	fd = openat(dfd, "data.bin", O_CREAT | O_RDWR | O_TRUNC, 0666);
	CHECK(fd >= 0, "openat create");
	CHECK(write(fd, "0123456789abcdef", 16) == 16, "write 16");
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640, "umask 027 gives 0640");
	CHECK(syscall4(SYS_faccessat, dfd, "data.bin", R_OK, 0) == 0, "faccessat R_OK");
	CHECK_ERR(syscall4(SYS_faccessat, dfd, "nope", F_OK, 0), ENOENT, "faccessat missing");
	CHECK_ERR(syscall4(SYS_faccessat, dfd, "data.bin", 0x40, 0), EINVAL, "faccessat bad mode");
	CHECK(syscall3(SYS_symlinkat, "data.bin", dfd, "sym") == 0, "symlinkat");
	memset(buf, 0, sizeof(buf));
	CHECK(syscall4(SYS_readlinkat, dfd, "sym", buf, sizeof(buf)) == 8 &&
	    strcmp(buf, "data.bin") == 0, "readlinkat");
	CHECK(syscall5(SYS_linkat, dfd, "sym", dfd, "linked", 0x400) == 0,
	    "linkat AT_SYMLINK_FOLLOW");
	CHECK(fstatat(dfd, "linked", &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    (st.st_mode & S_IFMT) == S_IFREG && st.st_nlink == 2, "linkat followed the symlink");
	CHECK(syscall4(SYS_renameat, dfd, "sym", AT_FDCWD, "keep/sym2") == 0, "renameat");
	CHECK(syscall3(SYS_unlinkat, dfd, "sym2", 0) == 0, "unlinkat");
	CHECK(syscall3(SYS_mkdirat, dfd, "d", 0755) == 0, "mkdirat relative");
	CHECK_ERR(syscall3(SYS_unlinkat, dfd, "d", 0), EPERM, "unlinkat dir without AT_REMOVEDIR -> EPERM");
	CHECK(syscall3(SYS_unlinkat, dfd, "d", AT_REMOVEDIR) == 0, "unlinkat AT_REMOVEDIR");
	CHECK_ERR(syscall3(SYS_unlinkat, dfd, "d", 0x1), EINVAL, "unlinkat bad flag");
	CHECK_ERR(openat(fd, "x", O_RDONLY), ENOTDIR, "openat relative to a file -> ENOTDIR");
	CHECK(syscall4(SYS_fchmodat, dfd, "data.bin", 0640, 0) == 0, "fchmodat");
	CHECK(fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_size == 16, "fstatat AT_EMPTY_PATH");

	/* preadv / pwritev / truncate / fdatasync / futimens */
	{
		char a[3], b[4];
		struct iovec v[2] = { { a, 3 }, { b, 4 } };
		struct iovec w[2] = { { "XY", 2 }, { "Z", 1 } };

		CHECK(syscall4(SYS_preadv, fd, v, 2, 2) == 7 && memcmp(a, "234", 3) == 0 &&
		    memcmp(b, "5678", 4) == 0, "preadv at 2");
		CHECK(syscall4(SYS_pwritev, fd, w, 2, 13) == 3, "pwritev at 13");
		CHECK(pread(fd, buf, 16, 0) == 16 && memcmp(buf + 13, "XYZ", 3) == 0, "pwritev wrote");
	}
	CHECK(syscall2(SYS_truncate, "keep/data.bin", 10) == 0, "truncate to 10");
	CHECK(fstat(fd, &st) == 0 && st.st_size == 10, "size 10");
	CHECK_ERR(syscall2(SYS_truncate, "keep/none", 10), ENOENT, "truncate missing");
	CHECK(syscall1(SYS_fdatasync, fd) == 0, "fdatasync");
	{
		struct timespec ts[2] = { { 1234567890, 5 }, { 1234567891, 7 } };

		CHECK(syscall2(SYS_futimens, fd, ts) == 0, "futimens");
		CHECK(fstat(fd, &st) == 0 && st.st_atim.tv_sec == 1234567890 &&
		    st.st_mtim.tv_sec == 1234567891, "futimens set the times");
		ts[0].tv_nsec = 1000000000;
		CHECK_ERR(syscall2(SYS_futimens, fd, ts), EINVAL, "futimens bad nsec");
	}

	/* fcntl: locks, FreeBSD-only commands */
	{
		struct flock fl = { 0, 0, 0, F_WRLCK, SEEK_SET, 0 };

		CHECK(fcntl(fd, F_SETLK, &fl) == 0, "F_SETLK write lock");
		fl.l_type = F_WRLCK;
		CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK,
		    "F_GETLK: own lock does not conflict (F_UNLCK = 2)");
		fl.l_type = F_UNLCK;
		CHECK(fcntl(fd, F_SETLK, &fl) == 0, "F_SETLK unlock");
		fl.l_type = 9;
		CHECK_ERR(fcntl(fd, F_SETLK, &fl), EINVAL, "F_SETLK bad type");
	}
	CHECK(fcntl(fd, F_ISUNIONSTACK, 0) == 0, "F_ISUNIONSTACK -> 0");
	CHECK_ERR(fcntl(fd, F_GET_SEALS, 0), EINVAL, "F_GET_SEALS on a file -> EINVAL");
	CHECK_ERR(fcntl(fd, 99, 0), EINVAL, "unknown fcntl -> EINVAL");
	CHECK(fcntl(fd, F_DUP2FD, 40) == 40 && fcntl(40, F_GETFD) == 0, "F_DUP2FD");
	CHECK(fcntl(fd, F_DUPFD, 38) == 38, "F_DUPFD picks the lowest free >= 38");
	CHECK(fcntl(fd, F_DUPFD, 40) == 41, "F_DUPFD skips the used 40");
	CHECK_ERR(fcntl(fd, F_DUPFD, -1), EINVAL, "F_DUPFD negative -> EINVAL");

	/* close_range / closefrom */
	CHECK(syscall3(SYS_close_range, 38, 41, CLOSE_RANGE_CLOEXEC) == 0, "close_range CLOEXEC");
	CHECK(fcntl(40, F_GETFD) == FD_CLOEXEC, "close_range set FD_CLOEXEC");
	CHECK_ERR(syscall3(SYS_close_range, 41, 38, 0), EINVAL, "close_range low > high");
	CHECK(syscall3(SYS_close_range, 40, 40, 0) == 0, "close_range 40..40");
	CHECK_ERR(fcntl(40, F_GETFD), EBADF, "40 is closed");
	CHECK(syscall1(SYS_closefrom, 38) == 0, "closefrom 38");
	CHECK_ERR(fcntl(41, F_GETFD), EBADF, "41 is closed");
	CHECK(fcntl(fd, F_GETFD) == 0, "fd below 38 still open");

	/* ioctl on files and pipes */
	{
		int p[2], nread = -1, on = 1;
		char ws[8];

		CHECK(pipe2(p, 0) == 0, "pipe2");
		CHECK(write(p[1], "abcde", 5) == 5, "write pipe");
		CHECK(ioctl(p[0], FIONREAD, &nread) == 0 && nread == 5, "FIONREAD on a pipe = 5");
		CHECK(ioctl(p[0], FIOCLEX) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC, "FIOCLEX");
		CHECK(ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK), "FIONBIO");
		CHECK(read(p[0], buf, 10) == 5, "drain pipe");
		CHECK_ERR(read(p[0], buf, 1), EAGAIN, "FIONBIO made reads non-blocking");
		CHECK_ERR(ioctl(p[0], TIOCGWINSZ, ws), ENOTTY, "TIOCGWINSZ on a pipe");
		CHECK_ERR(ioctl(fd, 0x12345678UL, ws), ENOTTY, "unknown ioctl");
		close(p[0]);
		close(p[1]);
	}

	/* statfs / fstatfs */
	{
		static struct statfs sf, sf2;

		CHECK(syscall2(SYS_statfs, ".", &sf) == 0, "statfs .");
		CHECK(sf.f_version == 0x20140518, "f_version");
		CHECK(sf.f_bsize > 0 && sf.f_iosize > 0 && sf.f_blocks > 0, "statfs sizes");
		CHECK(sf.f_namemax >= 255 && sf.f_fstypename[0] != 0 && sf.f_mntonname[0] == '/',
		    "statfs names");
		CHECK(syscall2(SYS_fstatfs, fd, &sf2) == 0, "fstatfs");
		CHECK(sf2.f_fsid[0] == sf.f_fsid[0] && sf2.f_fsid[1] == sf.f_fsid[1] &&
		    strcmp(sf.f_fstypename, sf2.f_fstypename) == 0, "fstatfs agrees with statfs");
		CHECK_ERR(syscall2(SYS_statfs, "nope/x", &sf), ENOENT, "statfs missing");
		CHECK_ERR(syscall2(SYS_fstatfs, fd, (void *)8), EFAULT, "fstatfs bad buffer");
	}

	/* getdirentries with tiny buffers: 25 files, 40-byte buffer (one record per call) */
	for (int i = 0; i < 25; i++) {
		snprintf(buf, sizeof(buf), "keep/f%02d", i);
		fd2 = open(buf, O_CREAT | O_WRONLY, 0600);
		CHECK(fd2 >= 0, "create fNN");
		close(fd2);
	}
	n = list_dir(dfd, 40, names, 40);
	CHECK(n == 27, "27 names listed one at a time");
	{
		char tiny[16];
		off_t base;

		CHECK(lseek(dfd, 0, SEEK_SET) == 0, "rewind before the tiny read");
		CHECK_ERR(getdirentries(dfd, tiny, sizeof(tiny), &base), EINVAL,
		    "a buffer smaller than one record -> EINVAL");
	}
	CHECK(lseek(dfd, 0, SEEK_SET) == 0, "rewind directory");
	m = list_dir(dfd, 4096, again, 40);
	CHECK(m == n, "same count with a big buffer");
	for (int i = 0; i < m; i++)
		sorted[i] = again[i];
	sort_strings(sorted, m);
	printf("first %s last %s\n", sorted[0], sorted[m - 1]);
	for (int i = 0; i < 25; i++) {
		snprintf(buf, sizeof(buf), "keep/f%02d", i);
		CHECK(unlink(buf) == 0, "unlink fNN");
	}
	CHECK_ERR(getdirentries(fd, buf, sizeof(buf), NULL_PTR), EINVAL,
	    "getdirentries on a file -> EINVAL");

	/* fchdir */
	CHECK(syscall1(SYS_fchdir, dfd) == 0, "fchdir keep");
	CHECK(__getcwd(buf, sizeof(buf)) == 0 && strcmp(buf + strlen(buf) - 5, "/keep") == 0,
	    "getcwd after fchdir");
	CHECK(stat("data.bin", &st) == 0, "relative lookup after fchdir");
	CHECK_ERR(__getcwd(buf, 3), ERANGE, "__getcwd small buffer -> ERANGE");
	CHECK_ERR(syscall1(SYS_fchdir, fd), ENOTDIR, "fchdir to a file");

	/* O_EXLOCK on open, then closing releases it */
	fd2 = open("data.bin", O_RDONLY | O_EXLOCK | O_NONBLOCK);
	CHECK(fd2 >= 0, "open O_EXLOCK");
	close(fd2);

	close(fd);
	close(dfd);
	done();
}
