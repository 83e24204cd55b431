/*
 * syscall.h - raw FreeBSD system calls (amd64; arm64 differs only in registers:
 * number in x8, arguments in x0..x5, `svc #0`, C flag for errors, x1 second result).
 *
 * Convention (sys/amd64/amd64/trap.c, cpu_fetch_syscall_args and
 * cpu_set_syscall_retval): number in %rax, arguments in %rdi %rsi %rdx %r10
 * %r8 %r9, `syscall` instruction (clobbers %rcx and %r11). Success: CF clear,
 * result in %rax (second result in %rdx). Failure: CF set, POSITIVE errno in
 * %rax.
 *
 * Numbers from sys/kern/syscalls.master (FreeBSD 14).
 */
#ifndef BSDEMU_SYSCALL_H
#define BSDEMU_SYSCALL_H

#define SYS_syscall		0
#define SYS_exit		1
#define SYS_read		3
#define SYS_write		4
#define SYS_open		5
#define SYS_close		6
#define SYS_link		9
#define SYS_unlink		10
#define SYS_chdir		12
#define SYS_chmod		15
#define SYS_break		17
#define SYS_getpid		20
#define SYS_getuid		24
#define SYS_geteuid		25
#define SYS_access		33
#define SYS_kill		37
#define SYS_getppid		39
#define SYS_dup			41
#define SYS_getegid		43
#define SYS_getgid		47
#define SYS_ioctl		54
#define SYS_symlink		57
#define SYS_readlink		58
#define SYS_umask		60
#define SYS_msync		65
#define SYS_munmap		73
#define SYS_mprotect		74
#define SYS_madvise		75
#define SYS_mincore		78
#define SYS_dup2		90
#define SYS_fcntl		92
#define SYS_fsync		95
#define SYS_gettimeofday	116
#define SYS_readv		120
#define SYS_writev		121
#define SYS_fchmod		124
#define SYS_rename		128
#define SYS_mkdir		136
#define SYS_rmdir		137
#define SYS_sysarch		165
#define SYS___syscall		198
#define SYS___sysctl		202
#define SYS_clock_gettime	232
#define SYS_nanosleep		240
#define SYS_minherit		250
#define SYS_issetugid		253
#define SYS___getcwd		326
#define SYS_sigprocmask		340
#define SYS_sigaction		416
#define SYS_pread		475
#define SYS_pwrite		476
#define SYS_mmap		477
#define SYS_lseek		478
#define SYS_ftruncate		480
#define SYS_openat		499
#define SYS_pipe2		542
#define SYS_utimensat		547
#define SYS_fstat		551
#define SYS_fstatat		552
#define SYS_getdirentries	554
#define SYS_getrandom		563

extern int errno;

/* Returns the result, or -1 with errno set when the kernel set CF. */
long __syscall6(long n, long a1, long a2, long a3, long a4, long a5, long a6);

/*
 * Raw form for tests of the convention itself: returns %rax untouched,
 * stores CF (0/1) in *cf and the returned %rdx in *rdx (either may be NULL).
 */
long __syscall_raw(long n, long a1, long a2, long a3, long a4, long a5,
    long a6, int *cf, long *rdx);

#define syscall0(n)			__syscall6((n), 0, 0, 0, 0, 0, 0)
#define syscall1(n, a)			__syscall6((n), (long)(a), 0, 0, 0, 0, 0)
#define syscall2(n, a, b)		__syscall6((n), (long)(a), (long)(b), 0, 0, 0, 0)
#define syscall3(n, a, b, c)		__syscall6((n), (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define syscall4(n, a, b, c, d)		__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define syscall5(n, a, b, c, d, e)	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)
#define syscall6(n, a, b, c, d, e, f)	__syscall6((n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#endif
