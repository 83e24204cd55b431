/*
 * syscalls2: a batch of less common FreeBSD syscalls, by raw number, with
 * their exact FreeBSD results and errno values pinned in the expected output.
 * Run as:  bsdemu syscalls2 <empty temp dir>     (leaves the directory empty)
 *
 * Numbers from sys/kern/syscalls.master (FreeBSD 14); constants from
 * sys/sys/unistd.h (_PC_*), sys/sys/sched.h, sys/sys/rtprio.h,
 * sys/sys/procctl.h, sys/sys/kenv.h, sys/sys/mman.h, sys/sys/eventfd.h.
 * FreeBSD facts pinned here:
 *  - posix_fallocate/posix_fadvise return the error NUMBER with the carry
 *    flag clear (kern_posix_error), never -1/errno.
 *  - pathconf: UFS answers (NAME_MAX 255, PATH_MAX 1024, LINK_MAX 32767,
 *    PIPE_BUF 512 for directories and fifos only, EINVAL for others).
 *  - flock on a pipe is EOPNOTSUPP; flock(fd, 0) is EBADF.
 */
#include "rt.h"

#define SYS_sync		36
#define SYS_flock		131
#define SYS_mkfifo		132
#define SYS_utimes		138
#define SYS_pathconf		191
#define SYS_fpathconf		192
#define SYS_chflags		34
#define SYS_fchflags		35
#define SYS_revoke		56
#define SYS_rtprio		166
#define SYS_undelete		205
#define SYS_futimes		206
#define SYS_lutimes		276
#define SYS_sched_setparam	327
#define SYS_sched_getparam	328
#define SYS_sched_setscheduler	329
#define SYS_sched_getscheduler	330
#define SYS_sched_get_priority_max 332
#define SYS_sched_get_priority_min 333
#define SYS_sched_rr_get_interval 334
#define SYS_eaccess		376
#define SYS_kenv		390
#define SYS_lchflags		391
#define SYS_uuidgen		392
#define SYS_rtprio_thread	466
#define SYS_shm_unlink		483
#define SYS_futimesat		494
#define SYS_mkfifoat		497
#define SYS_lpathconf		513
#define SYS_posix_fallocate	530
#define SYS_posix_fadvise	531
#define SYS_chflagsat		540
#define SYS_procctl		544
#define SYS_getfsstat		557
#define SYS_mknodat		559
#define SYS_copy_file_range	569
#define SYS_shm_open2		571
#define SYS___realpathat	574
#define SYS___specialfd		577

#define SYS_thr_exit		431
#define SYS_thr_new		455
#define SYS_sched_yield		331

#define BADPTR ((void *)0x10)

static char tstack[65536] __attribute__((aligned(16)));
static uint64_t ttls[8] __attribute__((aligned(16)));
static volatile long tid1, tid2, tstate;
static volatile long lock_result = 99, lock_done;

static void
locker(void *arg)
{
	lock_result = syscall2(131 /* flock */, (long)arg, 2 /* LOCK_EX */);
	lock_done = 1;
	syscall1(SYS_thr_exit, &tstate);
}

/* flock(LOCK_EX) in a second thread waits (without stalling this one) until the holder unlocks. */
static void
blocking_flock(int holder, int waiter)
{
	struct thr_param tp;
	int i, waited;

	memset(&tp, 0, sizeof(tp));
	tp.start_func = locker;
	tp.arg = (void *)(long)waiter;
	tp.stack_base = tstack;
	tp.stack_size = sizeof(tstack);
	tp.tls_base = (char *)ttls;
	tp.tls_size = sizeof(ttls);
	tp.child_tid = (long *)&tid1;
	tp.parent_tid = (long *)&tid2;
	syscall2(131 /* flock */, holder, 2 /* LOCK_EX */);
	CHECK(syscall2(SYS_thr_new, &tp, sizeof(tp)) == 0, "thr_new");
	for (i = 0; i < 2000 && !lock_done; i++)
		syscall0(SYS_sched_yield);
	waited = !lock_done;
	syscall2(131, holder, 8 /* LOCK_UN */);
	for (i = 0; i < 1000000 && !(lock_done && tstate == 1); i++)
		syscall0(SYS_sched_yield);
	printf("blocking flock waited %d, then got %ld\n", waited, lock_result);
	syscall2(131, waiter, 8);
}


/* A call that reports errors in its return value: print value and carry. */
static void
raw(const char *what, long n, long a1, long a2, long a3, long a4)
{
	int cf;
	long r = __syscall_raw(n, a1, a2, a3, a4, 0, 0, &cf, 0);

	printf("%s = %ld cf=%d\n", what, r, cf);
}

static char dirp[512];
static char path_buf[600];

static const char *
P(const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dirp, name);
	return path_buf;
}

static char pbuf2[600];
static const char *
P2(const char *name)
{
	snprintf(pbuf2, sizeof(pbuf2), "%s/%s", dirp, name);
	return pbuf2;
}

static void
files(void)
{
	int fd, fd2, p[2];
	struct stat st;

	fd = open(P("file"), O_RDWR | O_CREAT, 0644);
	CHECK(fd >= 0, "create file");
	R("write file", write(fd, "hello world", 11));
	R("symlink", symlink("file", P("link")));
	R("mkdir sub", mkdir(P("sub"), 0755));
	CHECK(pipe2(p, 0) == 0, "pipe2");

	printf("-- pathconf\n");
	R("pathconf dir NAME_MAX", syscall2(SYS_pathconf, dirp, 4));
	R("pathconf dir PATH_MAX", syscall2(SYS_pathconf, dirp, 5));
	R("pathconf dir PIPE_BUF", syscall2(SYS_pathconf, dirp, 6));
	R("pathconf file PIPE_BUF", syscall2(SYS_pathconf, P("file"), 6));
	R("pathconf file LINK_MAX", syscall2(SYS_pathconf, P("file"), 1));
	R("pathconf file CHOWN_RESTRICTED", syscall2(SYS_pathconf, P("file"), 7));
	R("pathconf file NO_TRUNC", syscall2(SYS_pathconf, P("file"), 8));
	R("pathconf file MAX_CANON", syscall2(SYS_pathconf, P("file"), 2));
	R("pathconf file FILESIZEBITS", syscall2(SYS_pathconf, P("file"), 12));
	R("pathconf file SYMLINK_MAX", syscall2(SYS_pathconf, P("file"), 18));
	R("pathconf file REC_MAX_XFER_SIZE", syscall2(SYS_pathconf, P("file"), 15));
	R("pathconf file ACL_EXTENDED", syscall2(SYS_pathconf, P("file"), 59));
	R("pathconf file 9999", syscall2(SYS_pathconf, P("file"), 9999));
	R("pathconf missing", syscall2(SYS_pathconf, P("missing"), 4));
	R("pathconf badptr", syscall2(SYS_pathconf, BADPTR, 4));
	R("lpathconf link NAME_MAX", syscall2(SYS_lpathconf, P("link"), 4));
	R("fpathconf file NAME_MAX", syscall2(SYS_fpathconf, fd, 4));
	R("fpathconf pipe PIPE_BUF", syscall2(SYS_fpathconf, p[0], 6));
	R("fpathconf pipe NAME_MAX", syscall2(SYS_fpathconf, p[0], 4));
	R("fpathconf badfd", syscall2(SYS_fpathconf, 99, 4));

	printf("-- flock\n");
	fd2 = open(P("file"), O_RDONLY);
	R("flock fd1 LOCK_EX", syscall2(SYS_flock, fd, 2));
	R("flock fd2 LOCK_EX|LOCK_NB", syscall2(SYS_flock, fd2, 2 | 4));
	R("flock fd2 LOCK_SH|LOCK_NB", syscall2(SYS_flock, fd2, 1 | 4));
	R("flock fd1 LOCK_UN", syscall2(SYS_flock, fd, 8));
	R("flock fd2 LOCK_SH|LOCK_NB", syscall2(SYS_flock, fd2, 1 | 4));
	R("flock fd2 0", syscall2(SYS_flock, fd2, 0));
	R("flock pipe", syscall2(SYS_flock, p[0], 2));
	R("flock badfd", syscall2(SYS_flock, 99, 2));
	syscall2(SYS_flock, fd2, 8);
	blocking_flock(fd, fd2);
	close(fd2);

	printf("-- mkfifo/mknodat\n");
	R("mkfifo", syscall2(SYS_mkfifo, P("fifo"), 0666));
	CHECK(stat(P("fifo"), &st) == 0, "stat fifo");
	printf("fifo mode 0x%x\n", st.st_mode);
	R("mkfifo again", syscall2(SYS_mkfifo, P("fifo"), 0666));
	R("mkfifoat", syscall3(SYS_mkfifoat, AT_FDCWD, P("fifo2"), 0600));
	R("mknodat fifo", syscall4(SYS_mknodat, AT_FDCWD, P("fifo3"), 0010600, 0));
	R("mknodat fifo dev 1", syscall4(SYS_mknodat, AT_FDCWD, P("fifo4"), 0010600, 1));
	R("mknodat regular", syscall4(SYS_mknodat, AT_FDCWD, P("reg"), 0100600, 0));
	R("pathconf fifo PIPE_BUF", syscall2(SYS_pathconf, P("fifo"), 6));
	unlink(P("fifo"));
	unlink(P("fifo2"));
	unlink(P("fifo3"));

	printf("-- __realpathat\n");
	{
		char a[1024], b[1024];
		long r1 = syscall5(SYS___realpathat, AT_FDCWD, dirp, a, sizeof(a), 0);
		long r2 = syscall5(SYS___realpathat, AT_FDCWD, P("sub/../link"), b, sizeof(b), 0);
		size_t n = strlen(a);

		printf("realpath dir = %ld, link = %ld\n", r1, r2);
		printf("resolves to file: %d\n", r1 == 0 && r2 == 0 &&
		    strncmp(a, b, n) == 0 && strcmp(b + n, "/file") == 0);
		R("realpath flags 1", syscall5(SYS___realpathat, AT_FDCWD, dirp, a, sizeof(a), 1));
		R("realpath missing", syscall5(SYS___realpathat, AT_FDCWD, P("missing"), a, sizeof(a), 0));
		R("realpath size 2", syscall5(SYS___realpathat, AT_FDCWD, dirp, a, 2, 0));
		R("realpath bad buf", syscall5(SYS___realpathat, AT_FDCWD, dirp, BADPTR, sizeof(a), 0));
	}

	printf("-- chflags\n");
	R("chflags 0", syscall2(SYS_chflags, P("file"), 0));
	R("chflags UF_NODUMP", syscall2(SYS_chflags, P("file"), 1));
	R("chflags missing", syscall2(SYS_chflags, P("missing"), 0));
	R("lchflags 0", syscall2(SYS_lchflags, P("link"), 0));
	R("fchflags 0", syscall2(SYS_fchflags, fd, 0));
	R("fchflags pipe", syscall2(SYS_fchflags, p[0], 0));
	R("chflagsat bad atflag", syscall4(SYS_chflagsat, AT_FDCWD, P("file"), 0, 1));

	printf("-- utimes\n");
	{
		struct timeval tv[2] = { { 1000000000, 500000 }, { 1234567890, 250000 } };
		struct timeval bad[2] = { { 1, 1000000 }, { 1, 0 } };

		R("utimes", syscall2(SYS_utimes, P("file"), tv));
		CHECK(stat(P("file"), &st) == 0, "stat file");
		printf("atime %ld.%09ld mtime %ld.%09ld\n", (long)st.st_atim.tv_sec,
		    (long)st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
		R("utimes usec 1000000", syscall2(SYS_utimes, P("file"), bad));
		R("utimes badptr", syscall2(SYS_utimes, P("file"), BADPTR));
		tv[1].tv_sec = 1111111111;
		R("lutimes link", syscall2(SYS_lutimes, P("link"), tv));
		CHECK(lstat(P("link"), &st) == 0, "lstat link");
		printf("link mtime %ld\n", (long)st.st_mtim.tv_sec);
		CHECK(stat(P("file"), &st) == 0, "stat file");
		printf("file mtime still %ld\n", (long)st.st_mtim.tv_sec);
		tv[1].tv_sec = 1222222222;
		{
			int dfd = open(dirp, O_RDONLY | O_DIRECTORY);
			R("futimesat", syscall3(SYS_futimesat, dfd, "file", tv));
			close(dfd);
		}
		CHECK(stat(P("file"), &st) == 0, "stat file");
		printf("file mtime %ld\n", (long)st.st_mtim.tv_sec);
		R("futimes NULL", syscall2(SYS_futimes, fd, 0));
		CHECK(fstat(fd, &st) == 0, "fstat");
		printf("futimes(NULL) set now: %d\n", st.st_mtim.tv_sec > 1600000000);
	}

	printf("-- posix_fallocate/posix_fadvise\n");
	raw("posix_fallocate 0+8192", SYS_posix_fallocate, fd, 0, 8192, 0);
	CHECK(fstat(fd, &st) == 0, "fstat");
	printf("size %ld\n", (long)st.st_size);
	raw("posix_fallocate off -1", SYS_posix_fallocate, fd, -1, 10, 0);
	raw("posix_fallocate len 0", SYS_posix_fallocate, fd, 0, 0, 0);
	raw("posix_fallocate pipe", SYS_posix_fallocate, p[1], 0, 10, 0);
	raw("posix_fallocate badfd", SYS_posix_fallocate, 99, 0, 10, 0);
	raw("posix_fadvise SEQUENTIAL", SYS_posix_fadvise, fd, 0, 0, 2);
	raw("posix_fadvise advice 99", SYS_posix_fadvise, fd, 0, 0, 99);
	raw("posix_fadvise pipe", SYS_posix_fadvise, p[0], 0, 0, 0);
	raw("posix_fadvise len -1", SYS_posix_fadvise, fd, 0, -1, 0);

	printf("-- copy_file_range\n");
	{
		int in = open(P("src"), O_RDWR | O_CREAT, 0644);
		int out = open(P("dst"), O_RDWR | O_CREAT, 0644);
		int ro = open(P("dst"), O_RDONLY);
		off_t ioff = 6, ooff = 0;
		char buf[32];

		write(in, "hello world", 11);
		lseek(in, 0, SEEK_SET);
		R("copy_file_range 100", syscall6(SYS_copy_file_range, in, 0, out, 0, 100, 0));
		R("in offset", lseek(in, 0, SEEK_CUR));
		R("out offset", lseek(out, 0, SEEK_CUR));
		R("copy_file_range at 6 -> 0", syscall6(SYS_copy_file_range, in, &ioff, out, &ooff, 100, 0));
		printf("ioff %ld ooff %ld\n", (long)ioff, (long)ooff);
		memset(buf, 0, sizeof(buf));
		pread(out, buf, sizeof(buf) - 1, 0);
		printf("dst \"%s\"\n", buf);
		R("copy_file_range flags 1", syscall6(SYS_copy_file_range, in, 0, out, 0, 1, 1));
		R("copy_file_range to O_RDONLY", syscall6(SYS_copy_file_range, in, 0, ro, 0, 1, 0));
		R("copy_file_range pipe", syscall6(SYS_copy_file_range, p[0], 0, out, 0, 1, 0));
		R("copy_file_range bad offp", syscall6(SYS_copy_file_range, in, BADPTR, out, 0, 1, 0));
		close(in);
		close(out);
		close(ro);
		unlink(P("src"));
		unlink(P("dst"));
	}

	printf("-- sync, getfsstat, undelete, revoke, eaccess\n");
	R("sync", syscall0(SYS_sync));
	{
		static char sfs[2344 * 2];
		long n = syscall3(SYS_getfsstat, 0, 0, 2);

		printf("getfsstat count > 0: %d\n", n > 0);
		R("getfsstat 1 slot", syscall3(SYS_getfsstat, sfs, 2344, 2));
		printf("f_version 0x%x\n", *(unsigned *)sfs);
		R("getfsstat mode 0", syscall3(SYS_getfsstat, 0, 0, 0));
		R("getfsstat badptr", syscall3(SYS_getfsstat, BADPTR, 2344, 1));
	}
	R("undelete existing", syscall1(SYS_undelete, P("file")));
	R("undelete in missing dir", syscall1(SYS_undelete, P("missing/x")));
	R("revoke regular file", syscall1(SYS_revoke, P("file")));
	R("eaccess R_OK", syscall2(SYS_eaccess, P("file"), R_OK));
	R("eaccess missing", syscall2(SYS_eaccess, P("missing"), R_OK));
	R("eaccess bad mode", syscall2(SYS_eaccess, P("file"), 0x100));

	close(fd);
	close(p[0]);
	close(p[1]);
	unlink(P("file"));
	unlink(P("link"));
	rmdir(P("sub"));
	(void)P2;
}

static void
sched(void)
{
	int prm;
	struct timespec ts;
	struct { unsigned short type, prio; } rtp;

	printf("-- sched\n");
	R("sched_getscheduler", syscall1(SYS_sched_getscheduler, 0));
	R("sched_getscheduler -5", syscall1(SYS_sched_getscheduler, -5));
	R("max FIFO", syscall1(SYS_sched_get_priority_max, 1));
	R("min FIFO", syscall1(SYS_sched_get_priority_min, 1));
	R("max RR", syscall1(SYS_sched_get_priority_max, 3));
	R("max OTHER", syscall1(SYS_sched_get_priority_max, 2));
	R("min OTHER", syscall1(SYS_sched_get_priority_min, 2));
	R("max 99", syscall1(SYS_sched_get_priority_max, 99));
	prm = -1;
	R("sched_getparam", syscall2(SYS_sched_getparam, 0, &prm));
	printf("param %d\n", prm);
	prm = 5;
	R("sched_setparam 5", syscall2(SYS_sched_setparam, 0, &prm));
	prm = -1;
	syscall2(SYS_sched_getparam, 0, &prm);
	printf("param %d\n", prm);
	prm = 200;
	R("sched_setparam 200", syscall2(SYS_sched_setparam, 0, &prm));
	R("sched_setscheduler 99", syscall3(SYS_sched_setscheduler, 0, 99, &prm));
	R("sched_getparam badptr", syscall2(SYS_sched_getparam, 0, BADPTR));
	R("sched_rr_get_interval", syscall2(SYS_sched_rr_get_interval, 0, &ts));
	printf("interval %ld.%09ld\n", (long)ts.tv_sec, (long)ts.tv_nsec);

	printf("-- rtprio\n");
	R("rtprio LOOKUP", syscall3(SYS_rtprio, 0, 0, &rtp));
	printf("type %u prio %u\n", rtp.type, rtp.prio);
	rtp.type = 3;
	rtp.prio = 10;
	R("rtprio SET normal 10", syscall3(SYS_rtprio, 1, 0, &rtp));
	rtp.prio = 0;
	syscall3(SYS_rtprio, 0, 0, &rtp);
	printf("type %u prio %u\n", rtp.type, rtp.prio);
	rtp.prio = 40;
	R("rtprio SET prio 40", syscall3(SYS_rtprio, 1, 0, &rtp));
	rtp.type = 77;
	rtp.prio = 0;
	R("rtprio SET type 77", syscall3(SYS_rtprio, 1, 0, &rtp));
	R("rtprio function 7", syscall3(SYS_rtprio, 7, 0, &rtp));
	R("rtprio_thread LOOKUP self", syscall3(SYS_rtprio_thread, 0, 0, &rtp));
	R("rtprio_thread LOOKUP 12345", syscall3(SYS_rtprio_thread, 0, 12345, &rtp));
}

static void
procctl_kenv_uuid(void)
{
	int v;
	char buf[256];
	unsigned char u[32];

	printf("-- procctl\n");
#define PC_STATUS(name, com)						\
	do {								\
		v = 12345;						\
		errno = 0;						\
		long r = syscall4(SYS_procctl, 0, 0, (com), &v);	\
		printf("%s = %ld value %d\n", (name), r, v);		\
	} while (0)
	PC_STATUS("ASLR_STATUS", 14);
	PC_STATUS("PROTMAX_STATUS", 16);
	PC_STATUS("STACKGAP_STATUS", 18);
	PC_STATUS("TRACE_STATUS", 8);
	PC_STATUS("TRAPCAP_STATUS", 10);
	PC_STATUS("WXMAP_STATUS", 22);
	PC_STATUS("NO_NEW_PRIVS_STATUS", 20);
	v = 2;
	R("NO_NEW_PRIVS_CTL disable", syscall4(SYS_procctl, 0, 0, 19, &v));
	v = 1;
	R("NO_NEW_PRIVS_CTL enable", syscall4(SYS_procctl, 0, 0, 19, &v));
	PC_STATUS("NO_NEW_PRIVS_STATUS", 20);
	v = 15;
	R("PDEATHSIG_CTL 15", syscall4(SYS_procctl, 0, 0, 11, &v));
	PC_STATUS("PDEATHSIG_STATUS", 12);
	v = 200;
	R("PDEATHSIG_CTL 200", syscall4(SYS_procctl, 0, 0, 11, &v));
	R("procctl com 999", syscall4(SYS_procctl, 0, 0, 999, &v));
	R("procctl idtype 7", syscall4(SYS_procctl, 7, 0, 14, &v));
	R("procctl pid 1", syscall4(SYS_procctl, 0, 1, 14, &v));
	R("procctl self pid", syscall4(SYS_procctl, 0, getpid(), 14, &v));
	R("procctl badptr", syscall4(SYS_procctl, 0, 0, 14, BADPTR));
	R("REAP_RELEASE (not reaper)", syscall4(SYS_procctl, 0, 0, 3, 0));
	R("REAP_ACQUIRE", syscall4(SYS_procctl, 0, 0, 2, 0));
	R("REAP_ACQUIRE again", syscall4(SYS_procctl, 0, 0, 2, 0));
	R("REAP_RELEASE", syscall4(SYS_procctl, 0, 0, 3, 0));

	printf("-- kenv\n");
	R("kenv GET missing", syscall4(SYS_kenv, 0, "smbios.bios.vendor", buf, sizeof(buf)));
	R("kenv DUMP size", syscall4(SYS_kenv, 3, 0, 0, 0));
	R("kenv what 9", syscall4(SYS_kenv, 9, "x", buf, sizeof(buf)));

	printf("-- uuidgen\n");
	R("uuidgen 2", syscall2(SYS_uuidgen, u, 2));
	printf("version %d variant %d distinct %d\n", u[7] >> 4, u[8] >> 6,
	    memcmp(u, u + 16, 16) != 0);
	R("uuidgen 0", syscall2(SYS_uuidgen, u, 0));
	R("uuidgen 2049", syscall2(SYS_uuidgen, u, 2049));
	R("uuidgen badptr", syscall2(SYS_uuidgen, BADPTR, 1));
}

static void
shm_eventfd(void)
{
	int fd, fd2;
	struct stat st;
	char name[64];
	char buf[16];
	unsigned long long cnt;
	struct { unsigned initval; int flags; } efd = { 5, 0x4 /* EFD_NONBLOCK */ };

	printf("-- shm_open2\n");
	fd = syscall5(SYS_shm_open2, 1 /* SHM_ANON */, O_RDWR | O_CLOEXEC, 0600, 0, 0);
	CHECK(fd >= 0, "shm_open2 SHM_ANON");
	R("ftruncate 4096", ftruncate(fd, 4096));
	CHECK(fstat(fd, &st) == 0, "fstat shm");
	printf("shm is regular %d size %ld\n", (st.st_mode & S_IFMT) == 0100000, (long)st.st_size);
	{
		char *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

		CHECK(m != MAP_FAILED, "mmap shm");
		if (m != MAP_FAILED) {
			memcpy(m + 100, "shared!", 8);
			memset(buf, 0, sizeof(buf));
			pread(fd, buf, 8, 100);
			printf("read back \"%s\"\n", buf);
			munmap(m, 4096);
		}
	}
	R("fcntl F_GETFD (cloexec)", fcntl(fd, F_GETFD));
	close(fd);
	R("shm_open2 ANON O_RDONLY", syscall5(SYS_shm_open2, 1, O_RDONLY, 0600, 0, 0));
	R("shm_open2 ANON O_APPEND", syscall5(SYS_shm_open2, 1, O_RDWR | O_APPEND, 0600, 0, 0));
	R("shm_open2 ANON shmflags 0x100", syscall5(SYS_shm_open2, 1, O_RDWR, 0600, 0x100, 0));
	snprintf(name, sizeof(name), "/bsdemu-syscalls2-%d", (int)getpid());
	R("shm_open2 named missing", syscall5(SYS_shm_open2, name, O_RDWR, 0600, 0, 0));
	fd = syscall5(SYS_shm_open2, name, O_RDWR | O_CREAT | O_EXCL, 0600, 0, 0);
	CHECK(fd >= 0, "shm_open2 create");
	write(fd, "abc", 3);
	R("shm_open2 named O_EXCL again", syscall5(SYS_shm_open2, name, O_RDWR | O_CREAT | O_EXCL, 0600, 0, 0));
	fd2 = syscall5(SYS_shm_open2, name, O_RDONLY, 0, 0, 0);
	CHECK(fd2 >= 0, "shm_open2 reopen");
	memset(buf, 0, sizeof(buf));
	R("read reopened", read(fd2, buf, sizeof(buf)));
	printf("contents \"%s\"\n", buf);
	close(fd2);
	close(fd);
	R("shm_unlink", syscall1(SYS_shm_unlink, name));
	R("shm_unlink again", syscall1(SYS_shm_unlink, name));
	R("shm_open2 no slash", syscall5(SYS_shm_open2, "noslash", O_RDWR | O_CREAT, 0600, 0, 0));

	printf("-- eventfd (__specialfd)\n");
	fd = syscall3(SYS___specialfd, 1, &efd, sizeof(efd));
	CHECK(fd >= 0, "eventfd");
	cnt = 0;
	R("read", read(fd, &cnt, 8));
	printf("count %llu\n", cnt);
	R("read empty", read(fd, &cnt, 8));
	cnt = 3;
	R("write 3", write(fd, &cnt, 8));
	cnt = 0;
	R("read", read(fd, &cnt, 8));
	printf("count %llu\n", cnt);
	close(fd);
	R("specialfd len 4", syscall3(SYS___specialfd, 1, &efd, 4));
	R("specialfd type 9", syscall3(SYS___specialfd, 9, &efd, sizeof(efd)));
	efd.flags = 0x40;
	R("specialfd bad flags", syscall3(SYS___specialfd, 1, &efd, sizeof(efd)));
}

int
main(int argc, char **argv)
{
	test_name = "syscalls2";
	if (argc < 2) {
		printf("usage: syscalls2 <empty dir>\n");
		return 2;
	}
	snprintf(dirp, sizeof(dirp), "%s", argv[1]);
	umask(022);
	files();
	sched();
	procctl_kenv_uuid();
	shm_eventfd();
	done();
}
