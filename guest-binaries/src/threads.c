/*
 * threads: thr_new(2) as FreeBSD's cpu_set_upcall/cpu_set_user_tls set a new
 * thread up (sys/{amd64,arm64}/.../vm_machdep.c): it starts at start_func
 * with arg as its first argument, on a 16-byte aligned stack inside the one
 * given, with its thread pointer (amd64 FS base, arm64 TPIDR_EL0) = tls_base;
 * child_tid and parent_tid receive its id. thr_exit(&state) stores 1 in
 * state. The main thread's own thread pointer is left alone.
 */
#include "rt.h"

#define SYS_sched_yield	331
#define SYS_thr_exit	431
#define SYS_thr_self	432
#define SYS_thr_new	455


static char stack[65536] __attribute__((aligned(16)));
static uint64_t tls_block[8] __attribute__((aligned(16)));
static volatile long child_tid, parent_tid, state, self_tid;
static volatile uint64_t seen_tp, seen_sp, seen_arg, done_flag;

static uint64_t
thread_pointer(void)
{
	uint64_t v = 0;
#if defined(__x86_64__)
	sysarch(AMD64_GET_FSBASE, &v);
#else
	__asm__ volatile("mrs %0, tpidr_el0" : "=r"(v));
#endif
	return v;
}

static void
start(void *arg)
{
	volatile int local;
	long tid = 0;

	seen_arg = (uint64_t)arg;
	seen_tp = thread_pointer();
	seen_sp = (uint64_t)&local;
	syscall1(SYS_thr_self, &tid);
	self_tid = tid;
	done_flag = 1;
	syscall1(SYS_thr_exit, &state);
}

int
main(int argc, char **argv, char **envp)
{
	(void)argc;
	(void)argv;
	(void)envp;
	test_name = "threads";
	uint64_t main_tp = thread_pointer();

	struct thr_param p;
	memset(&p, 0, sizeof(p));
	p.start_func = start;
	p.arg = (void *)0x5eed;
	p.stack_base = stack;
	p.stack_size = sizeof(stack);
	p.tls_base = (char *)tls_block;
	p.tls_size = sizeof(tls_block);
	p.child_tid = (long *)&child_tid;
	p.parent_tid = (long *)&parent_tid;
	CHECK(syscall2(SYS_thr_new, &p, sizeof(p)) == 0, "thr_new");
	for (int i = 0; i < 100000 && !(done_flag && state == 1); i++)
		syscall0(SYS_sched_yield);
	CHECK(done_flag, "the new thread ran");
	CHECK(state == 1, "thr_exit stored 1 in its state word");
	CHECK(seen_arg == 0x5eed, "start_func got arg as its first argument");
	CHECK(seen_tp == (uint64_t)tls_block, "the new thread's thread pointer is tls_base");
	CHECK(seen_sp > (uint64_t)stack && seen_sp < (uint64_t)stack + sizeof(stack),
	    "the new thread runs on the given stack");
	CHECK(child_tid != 0 && child_tid == parent_tid, "child_tid and parent_tid get the new id");
	CHECK(self_tid == child_tid, "thr_self in the thread returns that id");
	CHECK(thread_pointer() == main_tp, "the main thread's thread pointer is unchanged");
	printf("thread ran with its own thread pointer\n");
	done();
}
