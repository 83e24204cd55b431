/*
 * creds: emulated credentials (sys/kern/kern_prot.c rules). Starts as root
 * (the test runs it only when the emulator runs as root), sets real/effective/
 * saved ids, drops root and then checks the unprivileged rules and the EPERM
 * answers of other privileged calls. bsdemu keeps these ids per emulated
 * process; the host process's ids never change.
 */
#include "rt.h"

#define SYS_setuid		23
#define SYS_setlogin		50
#define SYS_getlogin		49
#define SYS_setgroups		80
#define SYS_setreuid		126
#define SYS_setregid		127
#define SYS_setgid		181
#define SYS_setegid		182
#define SYS_seteuid		183
#define SYS_setresuid		311
#define SYS_setresgid		312
#define SYS_getresuid		360
#define SYS_getresgid		361
#define SYS_chroot		61
#define SYS_rtprio		166
#define SYS_sched_setscheduler	329
#define SYS_kenv		390
#define SYS_procctl		544
#define SYS_mknodat		559

#define BADPTR ((void *)0x10)


static void
ids(void)
{
	unsigned r = 7, e = 7, s = 7, gr = 7, ge = 7, gs = 7;

	syscall3(SYS_getresuid, &r, &e, &s);
	syscall3(SYS_getresgid, &gr, &ge, &gs);
	printf("  uid %u/%u/%u gid %u/%u/%u getuid %d geteuid %d getgid %d getegid %d\n",
	    r, e, s, gr, ge, gs, (int)getuid(), (int)geteuid(), (int)getgid(), (int)getegid());
}

int
main(int argc, char **argv)
{
	char name[64];
	static const char longname[] = "abcdefghijklmnopqrstuvwxyz0123456789abcdef";
	unsigned g[2] = { 500, 501 };
	unsigned one = 5;

	test_name = "creds";
	(void)argc;
	(void)argv;
	if (geteuid() != 0) {
		printf("creds: needs root\n");
		return 2;
	}
	printf("-- as root\n");
	ids();
	R("getresuid NULLs", syscall3(SYS_getresuid, 0, 0, 0));
	R("getresuid badptr", syscall3(SYS_getresuid, BADPTR, 0, 0));
	R("setresgid 100 101 102", syscall3(SYS_setresgid, 100, 101, 102));
	R("setgroups 500 501", syscall2(SYS_setgroups, 2, g));
	ids();
	R("setgroups -1", syscall2(SYS_setgroups, -1, g));
	R("setgroups 2000", syscall2(SYS_setgroups, 2000, g));
	R("setgroups badptr", syscall2(SYS_setgroups, 1, BADPTR));
	R("setlogin tester", syscall1(SYS_setlogin, "tester"));
	memset(name, 0, sizeof(name));
	R("getlogin", syscall2(SYS_getlogin, name, sizeof(name)));
	printf("  login \"%s\"\n", name);
	R("setlogin too long", syscall1(SYS_setlogin, longname));
	R("setreuid 1000 1001", syscall2(SYS_setreuid, 1000, 1001));

	printf("-- not root\n");
	ids();
	R("setuid 0", syscall1(SYS_setuid, 0));
	R("setresuid 0 -1 -1", syscall3(SYS_setresuid, 0, -1, -1));
	R("seteuid 1000 (real)", syscall1(SYS_seteuid, 1000));
	ids();
	R("seteuid 5", syscall1(SYS_seteuid, 5));
	R("seteuid 1001 (saved)", syscall1(SYS_seteuid, 1001));
	R("setuid 1001 (= effective)", syscall1(SYS_setuid, 1001));
	ids();
	R("setuid 1000", syscall1(SYS_setuid, 1000));
	R("setresuid -1 -1 -1", syscall3(SYS_setresuid, -1, -1, -1));
	R("setgid 100 (real)", syscall1(SYS_setgid, 100));
	ids();
	R("setgid 7", syscall1(SYS_setgid, 7));
	R("setegid 102 (saved)", syscall1(SYS_setegid, 102));
	R("setregid 102 -1", syscall2(SYS_setregid, 102, -1));
	ids();
	R("setregid 7 -1", syscall2(SYS_setregid, 7, -1));
	R("setresgid -1 7 -1", syscall3(SYS_setresgid, -1, 7, -1));
	R("setgroups 1", syscall2(SYS_setgroups, 1, &one));
	R("setlogin", syscall1(SYS_setlogin, "x"));
	R("chroot /", syscall1(SYS_chroot, "/"));
	R("mknodat S_IFCHR", syscall4(SYS_mknodat, AT_FDCWD, "/nonexistent-dir/c", 0020600, 0));
	{
		int prm = 1;
		struct { unsigned short type, prio; } rtp = { 2, 0 };

		R("sched_setscheduler FIFO", syscall3(SYS_sched_setscheduler, 0, 1, &prm));
		R("rtprio SET realtime", syscall3(SYS_rtprio, 1, 0, &rtp));
	}
	R("kenv SET", syscall4(SYS_kenv, 1, "a", "b", 2));
	R("procctl SPROTECT", syscall4(SYS_procctl, 0, 0, 1, &one));
	done();
}
