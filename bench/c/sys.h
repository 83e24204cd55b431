/* Raw syscalls for the benchmark programs, one source for FreeBSD and Linux (x86-64). */
#ifndef BENCH_SYS_H
#define BENCH_SYS_H
#if defined(__FreeBSD__)
#define NR_exit 1
#define NR_write 4
#define NR_getpid 20
#elif defined(__linux__)
#define NR_exit 60
#define NR_write 1
#define NR_getpid 39
#else
#error "unsupported OS"
#endif

static inline long sys3(long n, long a, long b, long c) {
	long r;
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory", "cc");
	return r;
}

static inline long bench_strlen(const char *s) { long n = 0; while (s[n]) n++; return n; }
static inline void bench_puts(const char *s) { sys3(NR_write, 1, (long)s, bench_strlen(s)); }

static inline long bench_atol(const char *s) { long v = 0; while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0'); return v; }

int main(int argc, char **argv);

/* Both kernels pass argc at the initial stack pointer on amd64; FreeBSD also puts its address in %rdi. */
__attribute__((naked, noreturn)) void _start(void) {
	__asm__ volatile(
		"mov %rsp, %rdi\n"
		"and $-16, %rsp\n"
		"call bench_start\n"
		"hlt\n");
}

__attribute__((used, noreturn)) static void bench_start(long *sp) {
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	int rc = main(argc, argv);
	sys3(NR_exit, rc, 0, 0);
	__builtin_unreachable();
}
#endif
