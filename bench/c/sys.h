/*
 * Raw syscalls for the benchmark programs: one freestanding source for FreeBSD and Linux, amd64 and
 * arm64. No libc, so the FreeBSD build runs under bsdemu and the Linux build under qemu-user and natively
 * with the same machine code apart from syscall numbers.
 *
 * Numbers: FreeBSD sys/kern/syscalls.master (same on every arch); Linux arch/x86/entry/syscalls/
 * syscall_64.tbl and include/uapi/asm-generic/unistd.h (arm64). openat is used everywhere because arm64
 * Linux has no open(2). Both kernels take AT_FDCWD = -100.
 */
#ifndef BENCH_SYS_H
#define BENCH_SYS_H
#if defined(__FreeBSD__)
#define NR_exit 1
#define NR_read 3
#define NR_write 4
#define NR_close 6
#define NR_getpid 20
#define NR_munmap 73
#define NR_mmap 477
#define NR_openat 499
#define B_MAP_ANON 0x1000 /* sys/sys/mman.h */
#elif defined(__linux__) && defined(__x86_64__)
#define NR_exit 60
#define NR_read 0
#define NR_write 1
#define NR_close 3
#define NR_getpid 39
#define NR_munmap 11
#define NR_mmap 9
#define NR_openat 257
#define B_MAP_ANON 0x20
#elif defined(__linux__) && defined(__aarch64__)
#define NR_exit 93
#define NR_read 63
#define NR_write 64
#define NR_close 57
#define NR_getpid 172
#define NR_munmap 215
#define NR_mmap 222
#define NR_openat 56
#define B_MAP_ANON 0x20
#else
#error "unsupported OS/arch"
#endif
#define B_AT_FDCWD (-100)
#define B_PROT_RW 3
#define B_MAP_PRIVATE 2

#if defined(__x86_64__)
static inline long sys6(long n, long a, long b, long c, long d, long e, long f) {
	long r;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
		: "rcx", "r11", "memory", "cc");
	return r;
}
#elif defined(__aarch64__)
static inline long sys6(long n, long a, long b, long c, long d, long e, long f) {
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc #0" : "+r"(x0), "+r"(x1) : "r"(x8), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory", "cc");
	return x0;
}
#endif
static inline long sys3(long n, long a, long b, long c) { return sys6(n, a, b, c, 0, 0, 0); }

/* Errors: Linux returns -errno; FreeBSD sets the carry flag and returns +errno, which this header does not
 * see. So programs check results by value (an mmap address below 4096, a byte total) and print what they
 * did; the runner compares that output with what it expects. */
static inline long bench_strlen(const char *s) { long n = 0; while (s[n]) n++; return n; }
static inline void bench_puts(const char *s) { sys3(NR_write, 1, (long)s, bench_strlen(s)); }
static inline long bench_atol(const char *s) { long v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }
static inline __attribute__((noreturn)) void bench_die(const char *why) {
	bench_puts(why);
	bench_puts("\n");
	sys3(NR_exit, 1, 0, 0);
	__builtin_unreachable();
}
/* Print an unsigned value in hex (results are printed so the compiler cannot drop the work). */
static inline void bench_puthex(unsigned long v, int digits) {
	char b[17];
	for (int i = digits - 1; i >= 0; i--) { b[i] = "0123456789abcdef"[v & 15]; v >>= 4; }
	b[digits] = 0;
	bench_puts(b);
}
static inline void bench_putu(unsigned long v) {
	char b[21]; int i = 20; b[i] = 0;
	do { b[--i] = '0' + v % 10; v /= 10; } while (v);
	bench_puts(b + i);
}

/* Freestanding: clang may still emit calls to these for struct copies and large zeroing. */
void *memset(void *d, int c, unsigned long n) { unsigned char *p = d; while (n--) *p++ = (unsigned char)c; return d; }
void *memcpy(void *d, const void *s, unsigned long n) { unsigned char *p = d; const unsigned char *q = s; while (n--) *p++ = *q++; return d; }

int main(int argc, char **argv);

/* Where argc is: FreeBSD passes its address in %rdi / x0 (sys/amd64/amd64/machdep.c exec_setregs sets
 * rsp = ((stack - 8) & ~15) + 8, so rsp itself may be off by 8); Linux leaves it at the stack pointer. */
#if defined(__x86_64__) && defined(__FreeBSD__)
#define BENCH_ARGP ""
#elif defined(__x86_64__)
#define BENCH_ARGP "mov %rsp, %rdi\n"
#elif defined(__FreeBSD__)
#define BENCH_ARGP ""
#else
#define BENCH_ARGP "mov x0, sp\n"
#endif
#if defined(__x86_64__)
__attribute__((naked, noreturn)) void _start(void) {
	__asm__ volatile(
		BENCH_ARGP
		"and $-16, %rsp\n"
		"call bench_start\n"
		"hlt\n");
}
#elif defined(__aarch64__)
__attribute__((naked, noreturn)) void _start(void) {
	__asm__ volatile(
		BENCH_ARGP
		"bl bench_start\n"
		"brk #0\n");
}
#endif

__attribute__((used, noreturn)) static void bench_start(long *sp) {
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	int rc = main(argc, argv);
	sys3(NR_exit, rc, 0, 0);
	__builtin_unreachable();
}
#endif
