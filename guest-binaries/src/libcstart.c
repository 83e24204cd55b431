/*
 * libcstart: what FreeBSD libc (and Go's runtime) ask of the kernel while
 * starting up: CPUID, TLS through sysarch(2), __sysctl, getrandom,
 * issetugid, clocks, signal masks and actions, and the syscall ABI itself.
 *
 * Sources checked (FreeBSD 14):
 *  - sys/amd64/amd64/sys_machdep.c sysarch(): AMD64_SET_FSBASE/GSBASE take a
 *    POINTER to the base; a base >= sv_maxuser -> EINVAL; unknown op ->
 *    EINVAL; copyin/copyout faults -> EFAULT.
 *  - lib/libc/amd64/sys/amd64_set_fsbase.c: libc uses wrfsbase when CPUID
 *    leaf 7 EBX bit 0 (FSGSBASE) is set; bsdemu must clear that bit.
 *  - sys/kern/kern_sysctl.c: name2oid is {0,3}; an unknown OID -> ENOENT; a
 *    short old buffer gets a partial copy and ENOMEM.
 *  - sys/kern/kern_sig.c kern_sigaction(): sig <= 0 or > _SIG_MAXSIG (128),
 *    or SIGKILL/SIGSTOP with an act -> EINVAL; SIGKILL and SIGSTOP are
 *    silently removed from sa_mask and from the sigprocmask set
 *    (SIG_CANTMASK).
 *  - sys/kern/sys_getrandom.c: flags beyond GRND_NONBLOCK|RANDOM|INSECURE
 *    (7) -> EINVAL.
 */
#include "rt.h"

#if defined(__x86_64__)
static void
cpuid(unsigned leaf, unsigned sub, unsigned r[4])
{
	__asm__ volatile("cpuid"
	    : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
	    : "a"(leaf), "c"(sub));
}

static uint64_t tls_block[4] __attribute__((aligned(16)));
static uint64_t gs_block[4] __attribute__((aligned(16)));

static void
test_cpuid(void)
{
	unsigned r[4];

	cpuid(0, 0, r);
	CHECK(r[0] >= 1, "CPUID leaf 0: max leaf >= 1");
	if (r[0] >= 7) {
		cpuid(7, 0, r);
		CHECK((r[1] & 1) == 0, "CPUID.7.EBX bit 0 (FSGSBASE) is clear");
	}
	cpuid(1, 0, r);
	CHECK((r[3] & (1u << 25)) && (r[3] & (1u << 26)), "CPUID.1.EDX has SSE and SSE2");
}

static void
test_tls(void)
{
	uint64_t base = 1, v;

	CHECK(sysarch(AMD64_GET_FSBASE, &base) == 0, "AMD64_GET_FSBASE");
	CHECK(base == 0, "FS base is 0 at start");

	tls_block[0] = (uint64_t)tls_block;	/* the TCB points to itself */
	tls_block[1] = 0x1122334455667788UL;
	tls_block[2] = 0;
	base = (uint64_t)tls_block;
	CHECK(sysarch(AMD64_SET_FSBASE, &base) == 0, "AMD64_SET_FSBASE(&tls)");
	base = 0;
	CHECK(sysarch(AMD64_GET_FSBASE, &base) == 0 && base == (uint64_t)tls_block,
	    "AMD64_GET_FSBASE reads the new base back");
	__asm__ volatile("movq %%fs:0, %0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "%fs:0 loads the self pointer");
	__asm__ volatile("movq %%fs:8, %0" : "=r"(v));
	CHECK(v == 0x1122334455667788UL, "%fs:8 loads the second word");
	__asm__ volatile("movq $0x42, %%fs:16" ::: "memory");
	CHECK(tls_block[2] == 0x42, "store through %fs:16 lands in the block");

	/* Go-style: base = &tls + 8, then -8(%fs) */
	base = (uint64_t)&tls_block[1];
	CHECK(sysarch(AMD64_SET_FSBASE, &base) == 0, "AMD64_SET_FSBASE(&tls[1])");
	__asm__ volatile("movq %%fs:-8, %0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "-8(%fs) loads the word before the base");

	gs_block[0] = (uint64_t)gs_block;
	gs_block[1] = 0xdeadbeefcafef00dUL;
	base = 1;
	CHECK(sysarch(AMD64_GET_GSBASE, &base) == 0 && base == 0, "GS base is 0 at start");
	base = (uint64_t)gs_block;
	CHECK(sysarch(AMD64_SET_GSBASE, &base) == 0, "AMD64_SET_GSBASE");
	base = 0;
	CHECK(sysarch(AMD64_GET_GSBASE, &base) == 0 && base == (uint64_t)gs_block,
	    "AMD64_GET_GSBASE reads the new base back");
	__asm__ volatile("movq %%gs:8, %0" : "=r"(v));
	CHECK(v == 0xdeadbeefcafef00dUL, "%gs:8 loads through the GS base");
	__asm__ volatile("movq %%fs:-8, %0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "FS base unchanged by SET_GSBASE");

	base = 0x800000000000UL;
	CHECK_ERR(sysarch(AMD64_SET_FSBASE, &base), EINVAL,
	    "AMD64_SET_FSBASE above user space -> EINVAL");
	CHECK_ERR(sysarch(AMD64_GET_FSBASE, (void *)0x10), EFAULT,
	    "AMD64_GET_FSBASE to a bad pointer -> EFAULT");
	CHECK_ERR(sysarch(9999, &base), EINVAL, "sysarch unknown op -> EINVAL");
	__asm__ volatile("movq %%fs:-8, %0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "FS base unchanged by failed sysarch");
}

#else
/*
 * arm64: FreeBSD libc reads ID registers with MRS (the kernel emulates them
 * for EL0) and AT_HWCAP; TLS is TPIDR_EL0, written directly with MSR.
 * sysarch(2) has no TLS ops on arm64.
 */
static void
test_cpuid(void)
{
	uint64_t pfr0, isar0;
	int found;

	__asm__ volatile("mrs %0, id_aa64pfr0_el1" : "=r"(pfr0));
	__asm__ volatile("mrs %0, id_aa64isar0_el1" : "=r"(isar0));
	CHECK(((pfr0 >> 16) & 0xf) != 0xf, "ID_AA64PFR0_EL1: FP implemented");
	CHECK(((pfr0 >> 20) & 0xf) != 0xf, "ID_AA64PFR0_EL1: AdvSIMD implemented");
	long hwcap = aux_get(AT_HWCAP, &found);
	CHECK(found && (hwcap & 3) == 3, "AT_HWCAP has FP and ASIMD");
	/* every advertised ISAR0 feature is there: AES (bit 3), SHA1 (5), SHA2 (6), CRC32 (7) */
	CHECK(!(hwcap & (1 << 3)) || ((isar0 >> 4) & 0xf) >= 1, "HWCAP_AES matches ID_AA64ISAR0_EL1");
	CHECK(!(hwcap & (1 << 5)) || ((isar0 >> 8) & 0xf) >= 1, "HWCAP_SHA1 matches ID_AA64ISAR0_EL1");
	CHECK(!(hwcap & (1 << 6)) || ((isar0 >> 12) & 0xf) >= 1, "HWCAP_SHA2 matches ID_AA64ISAR0_EL1");
	CHECK(!(hwcap & (1 << 7)) || ((isar0 >> 16) & 0xf) >= 1, "HWCAP_CRC32 matches ID_AA64ISAR0_EL1");
	CHECK(!(hwcap & (1 << 8)) || ((isar0 >> 20) & 0xf) >= 2, "HWCAP_ATOMICS matches ID_AA64ISAR0_EL1");
}

static uint64_t tls_block[4] __attribute__((aligned(16)));

static void
test_tls(void)
{
	uint64_t v, base = 1;

	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	CHECK(v == 0, "TPIDR_EL0 is 0 at start");
	tls_block[0] = 0x1122334455667788UL;
	__asm__ volatile("msr tpidr_el0, %0" :: "r"(tls_block));
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "TPIDR_EL0 reads the new base back");
	CHECK(*(volatile uint64_t *)v == 0x1122334455667788UL, "loads through TPIDR_EL0");
	CHECK(syscall1(SYS_getpid, 0) > 0, "a syscall");
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
	CHECK(v == (uint64_t)tls_block, "TPIDR_EL0 survives a syscall");
	CHECK_ERR(sysarch(AMD64_GET_FSBASE, &base), EINVAL, "sysarch has no FS base on arm64 -> EINVAL");
	CHECK_ERR(sysarch(9999, &base), EINVAL, "sysarch unknown op -> EINVAL");
}

#endif

static long
sysctl_int(const int *mib, unsigned n, int *ok)
{
	int v = -1;
	size_t len = sizeof(v);

	*ok = __sysctl(mib, n, &v, &len, NULL, 0) == 0 && len == sizeof(v);
	return v;
}

static void
test_sysctl(void)
{
	char buf[256];
	size_t len;
	int ok;
	int mib[4];
	int oid[8];

	mib[0] = 1;
	mib[1] = 1;	/* kern.ostype */
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	CHECK(__sysctl(mib, 2, buf, &len, NULL, 0) == 0, "sysctl kern.ostype");
	CHECK(len == 8 && strcmp(buf, "FreeBSD") == 0, "kern.ostype == FreeBSD (len 8)");
	printf("kern.ostype: %s\n", buf);
	len = 0;
	CHECK(__sysctl(mib, 2, NULL, &len, NULL, 0) == 0 && len == 8,
	    "size query (old == NULL) gives 8");
	len = 3;
	memset(buf, 0, sizeof(buf));
	CHECK_ERR(__sysctl(mib, 2, buf, &len, NULL, 0), ENOMEM,
	    "short buffer -> ENOMEM");
	CHECK(memcmp(buf, "Fre", 3) == 0 && buf[3] == 0, "short buffer gets a partial copy");

	mib[1] = 24;	/* kern.osreldate */
	long osrel = sysctl_int(mib, 2, &ok);
	CHECK(ok && osrel >= 1400000, "kern.osreldate >= 1400000");
	CHECK(osrel == aux_get(AT_OSRELDATE, NULL), "kern.osreldate == AT_OSRELDATE");

	mib[1] = 2;	/* kern.osrelease */
	len = sizeof(buf);
	CHECK(__sysctl(mib, 2, buf, &len, NULL, 0) == 0, "sysctl kern.osrelease");
	CHECK(atol(buf) == osrel / 100000, "kern.osrelease major matches osreldate");

	mib[0] = 6;
	mib[1] = 7;	/* hw.pagesize */
	long pagesize = sysctl_int(mib, 2, &ok);
	CHECK(ok && pagesize == 4096, "hw.pagesize == 4096");
	printf("hw.pagesize: %ld\n", pagesize);
	mib[1] = 3;	/* hw.ncpu */
	long ncpu = sysctl_int(mib, 2, &ok);
	CHECK(ok && ncpu >= 1, "hw.ncpu >= 1");
	CHECK(ncpu == aux_get(AT_NCPUS, NULL), "hw.ncpu == AT_NCPUS");

	/* name2oid */
	mib[0] = 0;
	mib[1] = 3;
	len = sizeof(oid);
	CHECK(__sysctl(mib, 2, oid, &len, "kern.ostype", 11) == 0,
	    "name2oid kern.ostype");
	CHECK(len == 8 && oid[0] == 1 && oid[1] == 1, "kern.ostype is {1,1}");
	len = sizeof(oid);
	CHECK(__sysctl(mib, 2, oid, &len, "hw.pagesize", 11) == 0 && len == 8 &&
	    oid[0] == 6 && oid[1] == 7, "name2oid hw.pagesize is {6,7}");
	len = sizeof(oid);
	CHECK(__sysctl(mib, 2, oid, &len, "kern.osreldate", 14) == 0 && len == 8 &&
	    oid[0] == 1 && oid[1] == 24, "name2oid kern.osreldate is {1,24}");
	len = sizeof(oid);
	CHECK(__sysctl(mib, 2, oid, &len, "kern.smp.maxcpus", 16) == 0 && len >= 8,
	    "name2oid kern.smp.maxcpus");
	if (len >= 8 && len <= sizeof(oid)) {
		long maxcpus = sysctl_int(oid, len / sizeof(int), &ok);
		CHECK(ok && maxcpus >= ncpu, "kern.smp.maxcpus >= hw.ncpu");
	}
	len = sizeof(oid);
	CHECK_ERR(__sysctl(mib, 2, oid, &len, "kern.bsdemu_no_such_node", 24), ENOENT,
	    "name2oid of an unknown name -> ENOENT");

	mib[0] = 1;
	mib[1] = 9999;
	len = sizeof(buf);
	CHECK_ERR(__sysctl(mib, 2, buf, &len, NULL, 0), ENOENT, "unknown MIB -> ENOENT");

	/* kern.proc.pathname for the current process == AT_EXECPATH */
	mib[0] = 1;
	mib[1] = 14;
	mib[2] = 12;
	mib[3] = -1;
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	CHECK(__sysctl(mib, 4, buf, &len, NULL, 0) == 0, "kern.proc.pathname.-1");
	const char *ep = (const char *)aux_get(AT_EXECPATH, NULL);
	CHECK(ep != NULL && strcmp(buf, ep) == 0 && len == strlen(ep) + 1,
	    "kern.proc.pathname == AT_EXECPATH");
}

static void
test_misc(void)
{
	unsigned char a[32], b[32];
	int nz = 0;

	memset(a, 0, sizeof(a));
	CHECK(getrandom(a, sizeof(a), 0) == 32, "getrandom 32 bytes");
	for (int i = 0; i < 32; i++)
		nz |= a[i];
	CHECK(nz != 0, "getrandom bytes are not all zero");
	CHECK(getrandom(b, sizeof(b), 0) == 32 && memcmp(a, b, 32) != 0,
	    "two getrandom calls differ");
	CHECK_ERR(getrandom(b, sizeof(b), 0x100), EINVAL, "getrandom bad flags -> EINVAL");

	CHECK(issetugid() == 0, "issetugid() == 0");
	CHECK(getuid() == geteuid() && getgid() == getegid(), "real ids == effective ids");
	CHECK(getpid() > 0 && getppid() >= 0 && getpid() != getppid(), "getpid/getppid");
	CHECK(kill(getpid(), 0) == 0, "kill(getpid(), 0) == 0");

	struct timespec t1, t2, t3, rt;
	struct timeval tv;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t1) == 0, "clock_gettime MONOTONIC");
	volatile unsigned long spin = 0;
	for (int i = 0; i < 100000; i++)
		spin += i;
	(void)spin;
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t2) == 0, "clock_gettime MONOTONIC again");
	CHECK(t1.tv_nsec >= 0 && t1.tv_nsec < 1000000000, "tv_nsec in range");
	CHECK(t2.tv_sec > t1.tv_sec || (t2.tv_sec == t1.tv_sec && t2.tv_nsec >= t1.tv_nsec),
	    "CLOCK_MONOTONIC does not go backwards");
	struct timespec req = { 0, 20000000 };	/* 20 ms */
	CHECK(nanosleep(&req, NULL) == 0, "nanosleep 20 ms");
	CHECK(clock_gettime(CLOCK_MONOTONIC, &t3) == 0, "clock_gettime after sleep");
	long diff = (t3.tv_sec - t2.tv_sec) * 1000000000L + (t3.tv_nsec - t2.tv_nsec);
	CHECK(diff >= 20000000L, "CLOCK_MONOTONIC advanced >= 20 ms over nanosleep");
	CHECK(diff < 5000000000L, "nanosleep 20 ms took < 5 s");
	req.tv_nsec = 1000000000;
	CHECK_ERR(nanosleep(&req, NULL), EINVAL, "nanosleep tv_nsec 1e9 -> EINVAL");
	CHECK(clock_gettime(CLOCK_REALTIME, &rt) == 0 && rt.tv_sec > 1600000000,
	    "CLOCK_REALTIME is after 2020");
	CHECK(gettimeofday(&tv, NULL) == 0 && tv.tv_usec >= 0 && tv.tv_usec < 1000000,
	    "gettimeofday");
	CHECK(tv.tv_sec - rt.tv_sec >= 0 && tv.tv_sec - rt.tv_sec < 5,
	    "gettimeofday agrees with CLOCK_REALTIME");
	CHECK_ERR(clock_gettime(1000, &rt), EINVAL, "clock_gettime bad clock -> EINVAL");
}

static void
handler(int sig)
{
	(void)sig;
}

static void
test_signals(void)
{
	struct sigaction act, old;
	sigset_t set, cur;

	memset(&old, 0x55, sizeof(old));
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0, "sigaction read SIGUSR1");
	CHECK(old.sa_handler == SIG_DFL, "SIGUSR1 starts as SIG_DFL");

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART | SA_SIGINFO;
	sigemptyset(&act.sa_mask);
	sigaddset(&act.sa_mask, SIGUSR2);
	sigaddset(&act.sa_mask, SIGKILL);
	sigaddset(&act.sa_mask, 100);		/* a real-time signal */
	CHECK(sigaction(SIGUSR1, &act, NULL) == 0, "sigaction set SIGUSR1");
	memset(&old, 0, sizeof(old));
	CHECK(sigaction(SIGUSR1, NULL, &old) == 0, "sigaction read back");
	CHECK(old.sa_handler == handler, "handler reads back");
	CHECK(old.sa_flags == (SA_RESTART | SA_SIGINFO), "flags read back");
	CHECK(sigismember(&old.sa_mask, SIGUSR2) && sigismember(&old.sa_mask, 100),
	    "sa_mask keeps SIGUSR2 and signal 100");
	CHECK(!sigismember(&old.sa_mask, SIGKILL), "sa_mask drops SIGKILL");
	act.sa_handler = SIG_IGN;
	act.sa_flags = 0;
	CHECK(sigaction(SIGUSR1, &act, &old) == 0 && old.sa_handler == handler,
	    "set SIG_IGN returns the old handler");
	act.sa_handler = SIG_DFL;
	CHECK(sigaction(SIGUSR1, &act, NULL) == 0, "back to SIG_DFL");

	act.sa_handler = handler;
	CHECK_ERR(sigaction(SIGKILL, &act, NULL), EINVAL, "sigaction SIGKILL -> EINVAL");
	CHECK_ERR(sigaction(SIGSTOP, &act, NULL), EINVAL, "sigaction SIGSTOP -> EINVAL");
	CHECK_ERR(sigaction(0, &act, NULL), EINVAL, "sigaction signal 0 -> EINVAL");
	CHECK_ERR(sigaction(129, &act, NULL), EINVAL, "sigaction signal 129 -> EINVAL");
	CHECK(sigaction(SIGKILL, NULL, &old) == 0, "reading SIGKILL's action is allowed");

	sigemptyset(&cur);
	cur.__bits[0] = 0xffffffff;
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0, "sigprocmask read");
	CHECK(cur.__bits[0] == 0 && cur.__bits[1] == 0 && cur.__bits[2] == 0 &&
	    cur.__bits[3] == 0, "signal mask starts empty");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGKILL);
	sigaddset(&set, SIGSTOP);
	CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0, "sigprocmask SIG_BLOCK");
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0, "sigprocmask read back");
	CHECK(sigismember(&cur, SIGUSR1), "SIGUSR1 is blocked");
	CHECK(!sigismember(&cur, SIGKILL) && !sigismember(&cur, SIGSTOP),
	    "SIGKILL and SIGSTOP cannot be blocked");
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	CHECK(sigprocmask(SIG_BLOCK, &set, &cur) == 0 && sigismember(&cur, SIGUSR1) &&
	    !sigismember(&cur, SIGUSR2), "SIG_BLOCK returns the previous mask");
	CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0, "SIG_UNBLOCK");
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 && sigismember(&cur, SIGUSR1) &&
	    !sigismember(&cur, SIGUSR2), "SIG_UNBLOCK removed only SIGUSR2");
	CHECK_ERR(sigprocmask(99, &set, NULL), EINVAL, "sigprocmask bad how -> EINVAL");
	sigemptyset(&set);
	CHECK(sigprocmask(SIG_SETMASK, &set, NULL) == 0, "SIG_SETMASK empty");
	CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0 && !sigismember(&cur, SIGUSR1),
	    "mask empty again");
}

static void
test_abi(void)
{
	int cf = -1;
	long rdx;
	long r;

	r = __syscall_raw(SYS_close, -1, 0, 0, 0, 0, 0, &cf, &rdx);
	CHECK(cf == 1 && r == EBADF, "error: CF (arm64: C) set and %rax (x0) = positive errno (EBADF 9)");
	r = __syscall_raw(SYS_getpid, 0, 0, 0, 0, 0, 0, &cf, &rdx);
	CHECK(cf == 0 && r == getpid(), "success: CF clear, %rax = result");
	/* int arguments are 32 bits: garbage in the upper half is ignored */
	r = __syscall_raw(SYS_close, (long)0x1234567800000000L | 0xffffffffL, 0, 0, 0,
	    0, 0, &cf, &rdx);
	CHECK(cf == 1 && r == EBADF, "fd -1 with a dirty upper half -> EBADF");
	r = __syscall_raw(SYS_syscall, SYS_getpid, 0, 0, 0, 0, 0, &cf, &rdx);
	CHECK(cf == 0 && r == getpid(), "syscall(SYS_getpid) through syscall 0");
	r = __syscall_raw(SYS___syscall, SYS_getpid, 0, 0, 0, 0, 0, &cf, &rdx);
	CHECK(cf == 0 && r == getpid(), "__syscall(SYS_getpid) through syscall 198");
}

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	test_name = "libcstart";
	test_cpuid();
	test_tls();
	printf("tls done\n");
	test_sysctl();
	printf("sysctl done\n");
	test_misc();
	printf("random, ids and clocks done\n");
	test_signals();
	printf("signals done\n");
	test_abi();
	printf("syscall abi done\n");
	done();
}
