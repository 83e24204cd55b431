/*
 * Signal delivery as FreeBSD/amd64 and arm64 do it (sys/{amd64,arm64}/.../exec_machdep.c sendsig/sigreturn,
 * sys/kern/kern_sig.c): handler arguments, siginfo, the ucontext and its mcontext, the mask while a
 * handler runs, SA_RESETHAND, SA_NODEFER, SA_ONSTACK with sigaltstack, sigreturn restoring every
 * register (general and SSE), faults with si_addr/si_code recovered by editing the saved rip,
 * sigsuspend, sigwait, sigtimedwait, sigpending, and SIGPIPE.
 */
#include "rt.h"

#define SIGHUP	1
#define SIGILL	4
#define SIGFPE	8
#define SIGBUS	10
#define SIGPIPE	13
#define SIGALRM	14
#define SIGCHLD	20
#define SI_USER	0x10001
#define SI_QUEUE 0x10002
#define SEGV_MAPERR 1
#define SEGV_ACCERR 2
#define FPE_INTDIV 2
#define SS_ONSTACK 1
#define SS_DISABLE 4
#define EAGAIN	35
#define EPIPE	32

/* siginfo_t (sys/signal.h), LP64 */
typedef struct {
	int si_signo, si_errno, si_code, si_pid;
	unsigned si_uid;
	int si_status;
	void *si_addr;
	long si_value;
	long reason[5];
} siginfo_t;
_Static_assert(sizeof(siginfo_t) == 80, "siginfo_t");

#if defined(__x86_64__)
/* ucontext_t offsets (sys/_ucontext.h, x86/ucontext.h) */
#define UC_SIGMASK	0
#define UC_MC		16
#define MC_RDI		(UC_MC + 8)
#define MC_RSI		(UC_MC + 16)
#define MC_RAX		(UC_MC + 56)
#define MC_RBX		(UC_MC + 64)
#define MC_R12		(UC_MC + 96)
#define MC_RIP		(UC_MC + 160)
#define MC_RSP		(UC_MC + 184)
#define MC_LEN		(UC_MC + 200)
#define MC_FPFORMAT	(UC_MC + 208)
#define MC_OWNEDFP	(UC_MC + 216)
#define MC_FPSTATE	(UC_MC + 224)
#define MC_FSBASE	(UC_MC + 736)
#define UC_STACK	(16 + 800 + 8)
#define MC_PC		MC_RIP
#else
/* ucontext_t offsets (sys/_ucontext.h, arm64/ucontext.h): mcontext_t is 880 bytes */
#define UC_SIGMASK	0
#define UC_MC		16
#define MC_ELR		(UC_MC + 256)
#define MC_FLAGS	(UC_MC + 800)
#define UC_STACK	(16 + 880 + 8)
#define MC_PC		MC_ELR
#define SIGTRAP	5
#define TRAP_BRKPT 1
#define ILL_ILLTRP 4
#endif

typedef struct { void *ss_sp; size_t ss_size; int ss_flags; } stack_t;

struct sigaction_info {
	void (*sa_sigaction)(int, siginfo_t *, void *);
	int sa_flags;
	sigset_t sa_mask;
};

static int sigaltstack_(const stack_t *ss, stack_t *oss) { return syscall2(53, ss, oss); }
static int sigsuspend_(const sigset_t *m) { return syscall1(341, m); }
static int sigpending_(sigset_t *m) { return syscall1(343, m); }
static long sigwait_raw(const sigset_t *m, int *sig) {
	/* sigwait returns the error number as its value (never -1/errno) */
	return __syscall_raw(429, (long)m, (long)sig, 0, 0, 0, 0, 0, 0);
}
static int sigtimedwait_(const sigset_t *m, siginfo_t *si, const struct timespec *ts) { return syscall3(345, m, si, ts); }
static int sigqueue_(int pid, int sig, long val) { return syscall3(456, pid, sig, val); }

static void set_handler(int sig, void *fn, int flags, const sigset_t *mask) {
	struct sigaction_info sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags;
	if (mask) sa.sa_mask = *mask;
	CHECK(sigaction(sig, (struct sigaction *)&sa, 0) == 0, "sigaction");
}

static int is_member(const sigset_t *s, int sig) { return (s->__bits[(sig - 1) >> 5] >> ((sig - 1) & 31)) & 1; }
static void add(sigset_t *s, int sig) { s->__bits[(sig - 1) >> 5] |= 1u << ((sig - 1) & 31); }

static volatile int hits;
static volatile int got_sig, got_code, got_pid, usr2_blocked_inside, usr1_blocked_inside;
static volatile long got_value, got_mc_len, got_fpformat, got_onstack_flags, got_now_flags;
static volatile void *got_sp;
static volatile unsigned long got_fsbase;
static volatile long got_uc_off __attribute__((unused));

static void info_handler(int sig, siginfo_t *si, void *ucv) {
	char *uc = ucv;
	hits++;
	got_sig = si->si_signo;
	got_code = si->si_code;
	got_pid = si->si_pid;
	got_value = si->si_value;
#if defined(__x86_64__)
	got_mc_len = *(long *)(uc + MC_LEN);
	got_fpformat = *(long *)(uc + MC_FPFORMAT);
	got_fsbase = *(unsigned long *)(uc + MC_FSBASE);
#else
	got_mc_len = *(int *)(uc + MC_FLAGS);
	got_uc_off = (char *)ucv - (char *)si;	/* struct sigframe { sf_si; sf_uc @80 } */
	(void)got_fpformat;
	(void)got_fsbase;
#endif
	sigset_t cur;
	sigprocmask(SIG_BLOCK, 0, &cur);
	usr1_blocked_inside = is_member(&cur, SIGUSR1);
	usr2_blocked_inside = is_member(&cur, SIGUSR2);
	got_onstack_flags = ((stack_t *)(uc + UC_STACK))->ss_flags;
	stack_t now;
	got_now_flags = sigaltstack_(0, &now) == 0 ? now.ss_flags : -1;
	int local;
	got_sp = &local;
	(void)sig;
}

static volatile int plain_sig;
static void plain_handler(int sig) { plain_sig = sig; hits++; }

static volatile int depth, max_depth, calls;
static void nodefer_handler(int sig) {
	calls++;
	depth++;
	if (depth > max_depth) max_depth = depth;
	if (calls < 3) kill(getpid(), sig);
	depth--;
}

/* Faults: record, then resume after the faulting instruction by editing the saved rip. */
static volatile int fault_sig, fault_code;
static volatile void *fault_addr, *fault_pc;
static volatile long skip_len;
static void fault_handler(int sig, siginfo_t *si, void *ucv) {
	char *uc = ucv;
	fault_sig = sig;
	fault_code = si->si_code;
	fault_addr = si->si_addr;
	fault_pc = *(void **)(uc + MC_PC);
	*(long *)(uc + MC_PC) += skip_len;
}

/* Clobber registers inside a handler: sigreturn must bring back the interrupted values. */
static void clobber_handler(int sig) {
	(void)sig;
#if defined(__x86_64__)
	__asm__ volatile("mov $0x1111, %%rbx; mov $0x2222, %%r12; mov $0x3333, %%r13; pxor %%xmm5, %%xmm5"
	    ::: "rbx", "r12", "r13", "xmm5");
#else
	/* caller-saved registers: only sigreturn can bring them back */
	__asm__ volatile("mov x9, #0x1111; mov x10, #0x2222; mov x11, #0x3333; movi v5.16b, #0; cmn xzr, xzr"
	    ::: "x9", "x10", "x11", "v5", "cc");
#endif
}

static void test_siginfo(void) {
	sigset_t mask = {{0}};
	add(&mask, SIGUSR2);
	set_handler(SIGUSR1, info_handler, SA_SIGINFO, &mask);
	hits = 0;
	CHECK(kill(getpid(), SIGUSR1) == 0, "kill SIGUSR1");
	CHECK(hits == 1, "handler ran once, before kill returned");
	CHECK(got_sig == SIGUSR1, "si_signo");
	CHECK(got_code == SI_USER, "si_code SI_USER for kill");
	CHECK(got_pid == getpid(), "si_pid");
#if defined(__x86_64__)
	CHECK(got_mc_len == 800, "mc_len = sizeof(mcontext_t)");
	CHECK(got_fpformat == 0x10002, "mc_fpformat _MC_FPFMT_XMM");
#else
	CHECK(got_mc_len == 1, "mc_flags = _MC_FP_VALID");
	CHECK(got_uc_off == 80, "the ucontext follows the siginfo (sf_uc at 80)");
#endif
	CHECK(usr1_blocked_inside, "the signal is blocked in its handler");
	CHECK(usr2_blocked_inside, "sa_mask is blocked in the handler");
	CHECK(got_onstack_flags == SS_DISABLE, "uc_stack SS_DISABLE without sigaltstack");
	sigset_t after;
	sigprocmask(SIG_BLOCK, 0, &after);
	CHECK(!is_member(&after, SIGUSR1) && !is_member(&after, SIGUSR2), "mask restored by sigreturn");
#if defined(__x86_64__)
	unsigned long fs;
	CHECK(sysarch(128, &fs) == 0 && fs == got_fsbase, "mc_fsbase");
#endif

	CHECK(sigqueue_(getpid(), SIGUSR1, 4242) == 0, "sigqueue");
	CHECK(hits == 2 && got_code == SI_QUEUE && got_value == 4242, "sigqueue value reaches si_value");
	printf("siginfo and ucontext done\n");
}

static void test_flags(void) {
	/* SA_RESETHAND: the second SIGHUP takes the default... so use SIGCHLD (default: ignore). */
	set_handler(SIGCHLD, plain_handler, SA_RESETHAND, 0);
	hits = 0;
	kill(getpid(), SIGCHLD);
	kill(getpid(), SIGCHLD);
	CHECK(hits == 1, "SA_RESETHAND: handler once, then the default (ignore)");
	struct sigaction old;
	sigaction(SIGCHLD, 0, &old);
	CHECK(old.sa_handler == SIG_DFL, "SA_RESETHAND reset the action");

	set_handler(SIGUSR2, nodefer_handler, SA_NODEFER, 0);
	max_depth = calls = 0;
	kill(getpid(), SIGUSR2);
	CHECK(max_depth == 3 && calls == 3, "SA_NODEFER lets the handler nest");
	set_handler(SIGUSR2, nodefer_handler, 0, 0);
	max_depth = calls = 0;
	kill(getpid(), SIGUSR2);
	CHECK(max_depth == 1 && calls == 3, "without SA_NODEFER the signal waits for sigreturn");

	/* A blocked signal stays pending and is delivered when unblocked. */
	set_handler(SIGUSR1, plain_handler, 0, 0);
	sigset_t m = {{0}}, pend;
	add(&m, SIGUSR1);
	sigprocmask(SIG_BLOCK, &m, 0);
	hits = 0;
	kill(getpid(), SIGUSR1);
	CHECK(hits == 0, "blocked signal not delivered");
	CHECK(sigpending_(&pend) == 0 && is_member(&pend, SIGUSR1), "sigpending shows it");
	sigprocmask(SIG_UNBLOCK, &m, 0);
	CHECK(hits == 1 && plain_sig == SIGUSR1, "delivered on unblock");
	printf("flags and masks done\n");
}

static char altstack[65536];

static void test_altstack(void) {
	stack_t ss = { altstack, sizeof(altstack), 0 }, old;
	CHECK_ERR(sigaltstack_(&(stack_t){ altstack, 1024, 0 }, 0), ENOMEM, "sigaltstack below MINSIGSTKSZ");
	CHECK(sigaltstack_(&ss, &old) == 0, "sigaltstack");
	CHECK(old.ss_flags == SS_DISABLE, "no alternate stack before");
	set_handler(SIGUSR1, info_handler, SA_SIGINFO | SA_ONSTACK, 0);
	kill(getpid(), SIGUSR1);
	CHECK((char *)got_sp >= altstack && (char *)got_sp < altstack + sizeof(altstack), "SA_ONSTACK runs on the alternate stack");
	/* sendsig reports whether the interrupted code was on the alternate stack (it was not) */
	CHECK(got_onstack_flags == 0, "uc_stack.ss_flags 0: interrupted off the alternate stack");
	CHECK(got_now_flags == SS_ONSTACK, "sigaltstack in the handler reports SS_ONSTACK");
	set_handler(SIGUSR1, info_handler, SA_SIGINFO, 0);
	kill(getpid(), SIGUSR1);
	CHECK(!((char *)got_sp >= altstack && (char *)got_sp < altstack + sizeof(altstack)), "without SA_ONSTACK: the normal stack");
	CHECK(got_onstack_flags == 0, "uc_stack 0 when an alternate stack exists but is not in use");
	ss.ss_flags = SS_DISABLE;
	CHECK(sigaltstack_(&ss, 0) == 0, "disable sigaltstack");
	printf("sigaltstack done\n");
}

#if defined(__x86_64__)
static void test_registers(void) {
	set_handler(SIGUSR1, clobber_handler, 0, 0);
	unsigned long rbx = 0, r12 = 0, r13 = 0, x = 0;
	/* kill(2) from asm so the compiler cannot keep values elsewhere across the handler */
	__asm__ volatile(
	    "mov $0xaaaa, %%rbx\n"
	    "mov $0xbbbb, %%r12\n"
	    "mov $0xcccc, %%r13\n"
	    "mov $0xdddd, %%rax\n"
	    "movq %%rax, %%xmm5\n"
	    "mov %[pid], %%rdi\n"
	    "mov $30, %%rsi\n"
	    "mov $37, %%eax\n"
	    "syscall\n"
	    "mov %%rbx, %[rbx]\n"
	    "mov %%r12, %[r12]\n"
	    "mov %%r13, %[r13]\n"
	    "movq %%xmm5, %[x]\n"
	    : [rbx] "=m"(rbx), [r12] "=m"(r12), [r13] "=m"(r13), [x] "=m"(x)
	    : [pid] "r"((long)getpid())
	    : "rax", "rbx", "rcx", "rdx", "rsi", "rdi", "r11", "r12", "r13", "xmm5", "memory");
	CHECK(rbx == 0xaaaa && r12 == 0xbbbb && r13 == 0xcccc, "general registers restored by sigreturn");
	CHECK(x == 0xdddd, "xmm registers restored by sigreturn");
	printf("sigreturn registers done\n");
}

#else
static void test_registers(void) {
	set_handler(SIGUSR1, clobber_handler, 0, 0);
	unsigned long r9 = 0, r10 = 0, r11 = 0, x = 0, nzcv = 0;
	/* kill(2) from asm so the compiler cannot keep values elsewhere across the handler */
	__asm__ volatile(
	    "mov x9, #0xaaaa\n"
	    "mov x10, #0xbbbb\n"
	    "mov x11, #0xcccc\n"
	    "mov x12, #0xdddd\n"
	    "fmov d5, x12\n"
	    "mov x0, %[pid]\n"
	    "mov x1, #30\n"
	    "mov x8, #37\n"
	    "svc #0\n"
	    "mrs x12, nzcv\n"
	    "str x12, %[nzcv]\n"
	    "str x9, %[r9]\n"
	    "str x10, %[r10]\n"
	    "str x11, %[r11]\n"
	    "fmov x12, d5\n"
	    "str x12, %[x]\n"
	    : [r9] "=m"(r9), [r10] "=m"(r10), [r11] "=m"(r11), [x] "=m"(x), [nzcv] "=m"(nzcv)
	    : [pid] "r"((long)getpid())
	    : "x0", "x1", "x8", "x9", "x10", "x11", "x12", "v5", "memory", "cc");
	CHECK(r9 == 0xaaaa && r10 == 0xbbbb && r11 == 0xcccc, "general registers restored by sigreturn");
	CHECK(x == 0xdddd, "SIMD registers restored by sigreturn");
	CHECK((nzcv & (1UL << 29)) == 0, "kill's clear C flag restored by sigreturn");
	printf("sigreturn registers done\n");
}
#endif

#if defined(__x86_64__)
static void test_faults(void) {
	set_handler(SIGSEGV, fault_handler, SA_SIGINFO, 0);
	/* movl $1, 0x18 (absolute): c7 04 25 18 00 00 00 01 00 00 00 = 11 bytes */
	skip_len = 11;
	__asm__ volatile(".byte 0xc7,0x04,0x25,0x18,0x00,0x00,0x00,0x01,0x00,0x00,0x00" ::: "memory");
	CHECK(fault_sig == SIGSEGV, "SIGSEGV handler ran");
	CHECK(fault_code == SEGV_MAPERR, "SEGV_MAPERR for an unmapped address");
	CHECK(fault_addr == (void *)0x18, "si_addr is the faulting address");

	char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0);
	fault_sig = 0;
	skip_len = 3; /* movb $0, (%rax): c6 00 00 */
	__asm__ volatile("mov %0, %%rax\n.byte 0xc6,0x00,0x00" :: "r"(ro) : "rax", "memory");
	CHECK(fault_sig == SIGSEGV && fault_code == SEGV_ACCERR, "SEGV_ACCERR for a read-only page");
	CHECK(fault_addr == ro, "si_addr of the protection fault");
	munmap(ro, 4096);

	set_handler(SIGFPE, fault_handler, SA_SIGINFO, 0);
	fault_sig = 0;
	skip_len = 2; /* div %ecx: f7 f1 */
	__asm__ volatile("xor %%edx, %%edx\nmov $7, %%eax\nxor %%ecx, %%ecx\n.byte 0xf7,0xf1" ::: "rax", "rcx", "rdx");
	CHECK(fault_sig == SIGFPE && fault_code == FPE_INTDIV, "SIGFPE FPE_INTDIV for divide by zero");

	set_handler(SIGILL, fault_handler, SA_SIGINFO, 0);
	fault_sig = 0;
	skip_len = 2;
	__asm__ volatile("ud2");
	CHECK(fault_sig == SIGILL, "SIGILL handler for ud2");
	printf("faults done\n");
}

#else
static void test_faults(void) {
	set_handler(SIGSEGV, fault_handler, SA_SIGINFO, 0);
	skip_len = 4;	/* every arm64 instruction */
	__asm__ volatile("mov x9, #0x18\n\tmov w10, #1\n\tstr w10, [x9]" ::: "x9", "x10", "memory");
	CHECK(fault_sig == SIGSEGV, "SIGSEGV handler ran");
	CHECK(fault_code == SEGV_MAPERR, "SEGV_MAPERR for an unmapped address");
	CHECK(fault_addr == (void *)0x18, "si_addr is the faulting address");

	/* A load in the middle of a block entered through a direct branch: the saved pc must be the load. */
	void *insn;
	fault_sig = 0;
	__asm__ volatile("adr %0, 2f\n\tmov x9, #0x20\n\tb 1f\n1:\tadd x9, x9, #8\n2:\tldr w10, [x9]\n\tadd x9, x9, #1"
	    : "=&r"(insn) :: "x9", "x10", "memory");
	CHECK(fault_sig == SIGSEGV && fault_addr == (void *)0x28, "SIGSEGV for a load from 0x28");
	CHECK(fault_pc == insn, "the saved pc is the faulting load, not the start of its block");

	char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANON, -1, 0);
	fault_sig = 0;
	__asm__ volatile("strb wzr, [%0]" :: "r"(ro) : "memory");
	CHECK(fault_sig == SIGSEGV && fault_code == SEGV_ACCERR, "SEGV_ACCERR for a read-only page");
	CHECK(fault_addr == ro, "si_addr of the protection fault");
	munmap(ro, 4096);

	/* arm64 integer division never traps: x / 0 == 0 and no SIGFPE */
	set_handler(SIGFPE, fault_handler, SA_SIGINFO, 0);
	fault_sig = 0;
	unsigned q = 1, seven = 7, zero = 0;
	__asm__ volatile("udiv %w0, %w1, %w2" : "=r"(q) : "r"(seven), "r"(zero));
	CHECK(fault_sig == 0 && q == 0, "udiv by zero: 0, no signal");

	set_handler(SIGILL, fault_handler, SA_SIGINFO, 0);
	fault_sig = 0;
	__asm__ volatile("udf #0");
	CHECK(fault_sig == SIGILL && fault_code == ILL_ILLTRP, "SIGILL ILL_ILLTRP for udf (do_el0_sync EXCP_UNKNOWN)");

	set_handler(SIGTRAP, fault_handler, SA_SIGINFO, 0);
	fault_sig = 0;
	__asm__ volatile("brk #0x7");
	CHECK(fault_sig == SIGTRAP && fault_code == TRAP_BRKPT, "SIGTRAP TRAP_BRKPT for brk");
	printf("faults done\n");
}
#endif

static void test_waits(void) {
	sigset_t m = {{0}}, old;
	add(&m, SIGUSR1);
	set_handler(SIGUSR1, plain_handler, 0, 0);
	sigprocmask(SIG_BLOCK, &m, &old);
	kill(getpid(), SIGUSR1);
	hits = 0;
	sigset_t none = {{0}};
	CHECK_ERR(sigsuspend_(&none), EINTR, "sigsuspend returns EINTR after the handler");
	CHECK(hits == 1, "sigsuspend ran the handler");
	sigset_t cur;
	sigprocmask(SIG_BLOCK, 0, &cur);
	CHECK(is_member(&cur, SIGUSR1), "sigsuspend restored the blocked mask");

	kill(getpid(), SIGUSR1);
	int sig = 0;
	CHECK(sigwait_raw(&m, &sig) == 0 && sig == SIGUSR1, "sigwait takes the pending signal");
	hits = 0;
	siginfo_t si;
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	CHECK_ERR(sigtimedwait_(&m, &si, &ts), EAGAIN, "sigtimedwait times out with EAGAIN");
	kill(getpid(), SIGUSR1);
	CHECK(sigtimedwait_(&m, &si, &ts) == SIGUSR1 && si.si_signo == SIGUSR1 && si.si_code == SI_USER,
	    "sigtimedwait returns the signal and its siginfo");
	CHECK(hits == 0, "sigwait-ed signals do not run the handler");
	sigprocmask(SIG_SETMASK, &old, 0);
	printf("sigsuspend and sigwait done\n");
}

static void test_sigpipe(void) {
	int p[2];
	CHECK(pipe2(p, 0) == 0, "pipe2");
	close(p[0]);
	set_handler(SIGPIPE, plain_handler, 0, 0);
	hits = 0;
	CHECK_ERR(write(p[1], "x", 1), EPIPE, "write to a pipe without readers: EPIPE");
	CHECK(hits == 1 && plain_sig == SIGPIPE, "and SIGPIPE");
	close(p[1]);
	printf("sigpipe done\n");
}

int main(void) {
	test_siginfo();
	test_flags();
	test_altstack();
	test_registers();
	test_faults();
	test_waits();
	test_sigpipe();
	done();
}
