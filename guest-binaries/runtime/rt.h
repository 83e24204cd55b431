/*
 * rt.h - a tiny freestanding libc for bsdemu's FreeBSD/amd64 and FreeBSD/arm64 guest programs.
 *
 * Constants and layouts are FreeBSD 14 LP64, the same on amd64 and arm64 (sys/sys/ headers); they are NOT the
 * Linux values. Every struct that crosses the syscall boundary has its size
 * and offsets asserted at compile time.
 */
#ifndef BSDEMU_RT_H
#define BSDEMU_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "syscall.h"

typedef long ssize_t;
typedef long off_t;
typedef long time_t;
typedef uint16_t mode_t;	/* FreeBSD: __uint16_t */
typedef int pid_t;
typedef uint32_t uid_t;
typedef uint32_t gid_t;

#define NULL_PTR ((void *)0)

/* errno (sys/sys/errno.h) */
#define EPERM		1
#define ENOENT		2
#define ESRCH		3
#define EINTR		4
#define EIO		5
#define EBADF		9
#define ENOMEM		12
#define EACCES		13
#define EFAULT		14
#define EEXIST		17
#define ENOTDIR		20
#define EISDIR		21
#define EINVAL		22
#define ENOTTY		25
#define ESPIPE		29
#define ERANGE		34
#define EAGAIN		35
#define ENOTEMPTY	66
#define ENOSYS		78
#define ENOTSUP		45

/* fcntl.h */
#define O_RDONLY	0x0000
#define O_WRONLY	0x0001
#define O_RDWR		0x0002
#define O_ACCMODE	0x0003
#define O_NONBLOCK	0x0004
#define O_APPEND	0x0008
#define O_NOFOLLOW	0x0100
#define O_CREAT		0x0200
#define O_TRUNC		0x0400
#define O_EXCL		0x0800
#define O_DIRECTORY	0x00020000
#define O_CLOEXEC	0x00100000
#define AT_FDCWD	-100
#define AT_SYMLINK_NOFOLLOW	0x0200
#define F_DUPFD		0
#define F_GETFD		1
#define F_SETFD		2
#define F_GETFL		3
#define F_SETFL		4
#define F_DUPFD_CLOEXEC	17
#define FD_CLOEXEC	1

/* unistd.h */
#define SEEK_SET	0
#define SEEK_CUR	1
#define SEEK_END	2
#define F_OK		0
#define X_OK		0x01
#define W_OK		0x02
#define R_OK		0x04

/* sys/stat.h */
#define S_IFMT		0170000
#define S_IFIFO		0010000
#define S_IFCHR		0020000
#define S_IFDIR		0040000
#define S_IFREG		0100000
#define S_IFLNK		0120000
#define UTIME_NOW	-1L
#define UTIME_OMIT	-2L

/* sys/mman.h */
#define PROT_NONE	0x00
#define PROT_READ	0x01
#define PROT_WRITE	0x02
#define PROT_EXEC	0x04
#define MAP_SHARED	0x0001
#define MAP_PRIVATE	0x0002
#define MAP_FIXED	0x0010
#define MAP_STACK	0x0400
#define MAP_NOSYNC	0x0800
#define MAP_ANON	0x1000
#define MAP_GUARD	0x00002000
#define MAP_EXCL	0x00004000
#define MAP_NOCORE	0x00020000
#define MAP_ALIGNED(n)	((n) << 24)
#define MAP_ALIGNED_SUPER	MAP_ALIGNED(1)
#define MAP_FAILED	((void *)-1)
#define MS_SYNC		0x0000
#define MS_ASYNC	0x0001
#define MS_INVALIDATE	0x0002
#define MADV_NORMAL	0
#define MADV_WILLNEED	3
#define MADV_DONTNEED	4
#define MADV_FREE	5
#define INHERIT_SHARE	0
#define INHERIT_COPY	1
#define INHERIT_NONE	2
#define INHERIT_ZERO	3
#define MINCORE_INCORE	0x1

/* signal.h */
#define SIGKILL		9
#define SIGSEGV		11
#define SIGSTOP		17
#define SIGUSR1		30
#define SIGUSR2		31
#define SIG_BLOCK	1
#define SIG_UNBLOCK	2
#define SIG_SETMASK	3
#define SA_ONSTACK	0x0001
#define SA_RESTART	0x0002
#define SA_RESETHAND	0x0004
#define SA_NODEFER	0x0010
#define SA_SIGINFO	0x0040
#define SIG_DFL		((void (*)(int))0)
#define SIG_IGN		((void (*)(int))1)

/* time.h */
#define CLOCK_REALTIME	0
#define CLOCK_MONOTONIC	4

/* machine/sysarch.h */
#define AMD64_GET_FSBASE	128
#define AMD64_SET_FSBASE	129
#define AMD64_GET_GSBASE	130
#define AMD64_SET_GSBASE	131

/* sys/ttycom.h: _IOR('t', 19, struct termios) */
#define TIOCGETA	0x402c7413UL

/* sys/dirent.h */
#define DT_UNKNOWN	0
#define DT_FIFO		1
#define DT_DIR		4
#define DT_REG		8
#define DT_LNK		10

struct timespec {
	time_t	tv_sec;
	long	tv_nsec;
};

struct timeval {
	time_t	tv_sec;
	long	tv_usec;
};

struct iovec {
	void	*iov_base;
	size_t	iov_len;
};

/* struct stat, ino64 layout (FreeBSD >= 12), 224 bytes */
struct stat {
	uint64_t	st_dev;		/* 0 */
	uint64_t	st_ino;		/* 8 */
	uint64_t	st_nlink;	/* 16 */
	uint16_t	st_mode;	/* 24 */
	int16_t		st_bsdflags_pad0;
	uint32_t	st_uid;		/* 28 */
	uint32_t	st_gid;		/* 32 */
	int32_t		st_padding1;
	uint64_t	st_rdev;	/* 40 */
	struct timespec	st_atim;	/* 48 */
	struct timespec	st_mtim;	/* 64 */
	struct timespec	st_ctim;	/* 80 */
	struct timespec	st_birthtim;	/* 96 */
	int64_t		st_size;	/* 112 */
	int64_t		st_blocks;	/* 120 */
	int32_t		st_blksize;	/* 128 */
	uint32_t	st_flags;	/* 132 */
	uint64_t	st_gen;		/* 136 */
	uint64_t	st_spare[10];	/* 144 */
};
_Static_assert(sizeof(struct stat) == 224, "struct stat size");
_Static_assert(offsetof(struct stat, st_mode) == 24, "st_mode");
_Static_assert(offsetof(struct stat, st_uid) == 28, "st_uid");
_Static_assert(offsetof(struct stat, st_rdev) == 40, "st_rdev");
_Static_assert(offsetof(struct stat, st_atim) == 48, "st_atim");
_Static_assert(offsetof(struct stat, st_mtim) == 64, "st_mtim");
_Static_assert(offsetof(struct stat, st_size) == 112, "st_size");
_Static_assert(offsetof(struct stat, st_blksize) == 128, "st_blksize");
_Static_assert(offsetof(struct stat, st_gen) == 136, "st_gen");

/* struct dirent as returned by getdirentries(554) */
struct dirent {
	uint64_t	d_fileno;	/* 0 */
	int64_t		d_off;		/* 8 */
	uint16_t	d_reclen;	/* 16 */
	uint8_t		d_type;		/* 18 */
	uint8_t		d_pad0;
	uint16_t	d_namlen;	/* 20 */
	uint16_t	d_pad1;
	char		d_name[256];	/* 24 */
};
_Static_assert(offsetof(struct dirent, d_name) == 24, "d_name");

typedef struct {
	uint32_t	__bits[4];
} sigset_t;

/* struct sigaction (sys/signal.h), 32 bytes */
struct sigaction {
	void		(*sa_handler)(int);	/* 0 */
	int		sa_flags;		/* 8 */
	sigset_t	sa_mask;		/* 12 */
};
_Static_assert(sizeof(struct sigaction) == 32, "struct sigaction size");
_Static_assert(offsetof(struct sigaction, sa_mask) == 12, "sa_mask");

/* struct thr_param (sys/sys/thr.h), LP64: thr_new's argument, for guests that start threads. */
struct thr_param {
	void	(*start_func)(void *);
	void	*arg;
	char	*stack_base;
	size_t	stack_size;
	char	*tls_base;
	size_t	tls_size;
	long	*child_tid;
	long	*parent_tid;
	int	flags;
	void	*rtp;
	void	*spare[3];
};
_Static_assert(sizeof(struct thr_param) == 104, "thr_param");

/* struct ps_strings (sys/exec.h) */
struct ps_strings {
	char		**ps_argvstr;
	unsigned int	ps_nargvstr;
	char		**ps_envstr;
	unsigned int	ps_nenvstr;
};

/* auxv (sys/sys/elf_common.h) */
#define AT_NULL		0
#define AT_IGNORE	1
#define AT_EXECFD	2
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_NOTELF	10
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_EXECPATH	15
#define AT_CANARY	16
#define AT_CANARYLEN	17
#define AT_OSRELDATE	18
#define AT_NCPUS	19
#define AT_PAGESIZES	20
#define AT_PAGESIZESLEN	21
#define AT_TIMEKEEP	22
#define AT_STACKPROT	23
#define AT_EHDRFLAGS	24
#define AT_HWCAP	25
#define AT_HWCAP2	26
#define AT_BSDFLAGS	27
#define AT_ARGC		28
#define AT_ARGV		29
#define AT_ENVC		30
#define AT_ENVV		31
#define AT_PS_STRINGS	32
#define AT_FXRNG	33
#define AT_KPRELOAD	34
#define AT_USRSTACKBASE	35
#define AT_USRSTACKLIM	36

typedef struct {
	long	a_type;
	union {
		long	a_val;
		void	*a_ptr;
	} a_un;
} Elf64_Auxinfo;

/* Set by crt0 */
extern char **environ;
extern Elf64_Auxinfo *__auxv;
#if defined(__x86_64__)
extern uint64_t __entry_regs[17];	/* rax rbx rcx rdx rsi rdi rbp rsp r8..r15 rflags */
extern uint32_t __entry_mxcsr;
extern uint16_t __entry_fpucw;
#define ENTRY_ARGC_ADDR	(__entry_regs[5])	/* %rdi */
#else
extern uint64_t __entry_regs[36];	/* x0..x30 sp nzcv fpcr fpsr tpidr_el0 */
#define ENTRY_ARGC_ADDR	(__entry_regs[0])	/* x0 */
#endif

/* string/memory */
size_t strlen(const char *);
int strcmp(const char *, const char *);
int strncmp(const char *, const char *, size_t);
char *strcpy(char *, const char *);
char *strchr(const char *, int);
char *strrchr(const char *, int);
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *memset(void *, int, size_t);
int memcmp(const void *, const void *, size_t);
long atol(const char *);
const char *basename_of(const char *);
char *getenv(const char *);
void sort_strings(char **v, int n);

/* stdio-ish: every call formats then write()s at once (no buffering) */
int vsnprintf(char *, size_t, const char *, va_list);
int snprintf(char *, size_t, const char *, ...) __attribute__((format(printf, 3, 4)));
int dprintf(int, const char *, ...) __attribute__((format(printf, 2, 3)));
int printf(const char *, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *);

/* process */
void exit(int) __attribute__((noreturn));
void _exit(int) __attribute__((noreturn));
long aux_get(long type, int *found);

/* syscall wrappers: return -1 and set errno on failure */
ssize_t read(int, void *, size_t);
ssize_t write(int, const void *, size_t);
int open(const char *, int, ...);
int openat(int, const char *, int, ...);
int close(int);
pid_t getpid(void);
pid_t getppid(void);
uid_t getuid(void);
uid_t geteuid(void);
gid_t getgid(void);
gid_t getegid(void);
void *mmap(void *, size_t, int, int, int, off_t);
int munmap(void *, size_t);
int mprotect(void *, size_t, int);
int madvise(void *, size_t, int);
int msync(void *, size_t, int);
int minherit(void *, size_t, int);
int mincore(const void *, size_t, char *);
int fstat(int, struct stat *);
int fstatat(int, const char *, struct stat *, int);
int stat(const char *, struct stat *);
int lstat(const char *, struct stat *);
off_t lseek(int, off_t, int);
ssize_t pread(int, void *, size_t, off_t);
ssize_t pwrite(int, const void *, size_t, off_t);
ssize_t getdirentries(int, char *, size_t, off_t *);
int mkdir(const char *, mode_t);
int rmdir(const char *);
int unlink(const char *);
int rename(const char *, const char *);
int symlink(const char *, const char *);
ssize_t readlink(const char *, char *, size_t);
int link(const char *, const char *);
int chdir(const char *);
int __getcwd(char *, size_t);
int access(const char *, int);
int ftruncate(int, off_t);
int fsync(int);
int dup(int);
int dup2(int, int);
int fcntl(int, int, ...);
int pipe2(int *, int);
int ioctl(int, unsigned long, ...);
int sysarch(int, void *);
int __sysctl(const int *, unsigned int, void *, size_t *, const void *, size_t);
int kill(pid_t, int);
int sigaction(int, const struct sigaction *, struct sigaction *);
int sigprocmask(int, const sigset_t *, sigset_t *);
int clock_gettime(int, struct timespec *);
int nanosleep(const struct timespec *, struct timespec *);
ssize_t getrandom(void *, size_t, unsigned int);
int issetugid(void);
void *sys_break(void *);
mode_t umask(mode_t);
int utimensat(int, const char *, const struct timespec *, int);
int chmod(const char *, mode_t);
int fchmod(int, mode_t);
ssize_t readv(int, const struct iovec *, int);
ssize_t writev(int, const struct iovec *, int);
int gettimeofday(struct timeval *, void *);

static inline void
sigemptyset(sigset_t *s)
{
	s->__bits[0] = s->__bits[1] = s->__bits[2] = s->__bits[3] = 0;
}

static inline void
sigaddset(sigset_t *s, int sig)
{
	s->__bits[(sig - 1) >> 5] |= 1u << ((sig - 1) & 31);
}

static inline int
sigismember(const sigset_t *s, int sig)
{
	return (s->__bits[(sig - 1) >> 5] >> ((sig - 1) & 31)) & 1;
}

/* Self-checks */
extern int check_failures;
extern int check_count;
extern const char *test_name;
void check_fail(const char *what, int line);

/* Prints "FAIL: <what> (line N, errno E)" when cond is false. */
#define CHECK(cond, what)						\
	do {								\
		check_count++;						\
		if (!(cond))						\
			check_fail((what), __LINE__);			\
	} while (0)

/* Expect a call to fail with -1 (or MAP_FAILED) and a given errno. */
#define CHECK_ERR(expr, err, what)					\
	do {								\
		errno = 0;						\
		long __r = (long)(expr);				\
		check_count++;						\
		if (__r != -1 || errno != (err)) {			\
			check_fail((what), __LINE__);			\
			printf("  (got %ld, errno %d, want errno %d)\n",\
			    __r, errno, (err));				\
		}							\
	} while (0)

/* Prints "<what> = <result>" or "<what> = -1 errno E", for guests whose expected output pins results. */
void show_result(const char *what, long r);
#define R(what, expr) do { errno = 0; show_result((what), (long)(expr)); } while (0)

/* Prints "PASS <test_name>" or "FAIL <test_name>: N checks", then exits 0/1. */
void done(void) __attribute__((noreturn));

#endif
