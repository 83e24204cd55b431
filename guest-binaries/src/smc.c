/*
 * smc: self-modifying and freshly loaded code. Every way new code can
 * appear at an address that already ran must be seen by the emulator
 * (stale translated blocks must never run). Run as:  bsdemu smc <temp dir>
 *
 *  1. RWX anonymous page: `mov $imm,%eax; ret`, called, patched by a guest
 *     store, called again (also 100 patches in a loop, and code patched
 *     from inside the page itself).
 *  2. read() from a pipe writes new code over a page that already ran
 *     (the kernel -- here the emulator -- stores into guest memory).
 *  3. mmap(MAP_FIXED) of a file over a code page that already ran.
 *  4. mprotect RW -> RX -> RW -> RX cycles with new code each time.
 */
#include "rt.h"

#define PG 4096UL

typedef int (*fn_t)(void);

/* mov $imm32, %eax ; ret */
static void
emit_ret_imm(unsigned char *p, int imm)
{
	p[0] = 0xb8;
	memcpy(p + 1, &imm, 4);
	p[5] = 0xc3;
}

static int
call(unsigned char *p)
{
	fn_t f = (fn_t)(void *)p;
	int r = f();

	__asm__ volatile("" ::: "memory");
	return r;
}

static void
test_store_patch(void)
{
	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_ANON | MAP_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED, "RWX anonymous page");
	if (p == MAP_FAILED)
		return;
	emit_ret_imm(p, 1);
	CHECK(call(p) == 1, "first call returns 1");
	p[1] = 2;				/* patch the immediate */
	CHECK(call(p) == 2, "after patching the immediate: 2");
	int ok = 1;
	for (int i = 0; i < 100; i++) {
		*(volatile int *)(p + 1) = 1000 + i;
		if (call(p) != 1000 + i)
			ok = 0;
	}
	CHECK(ok, "100 patch/call rounds see every new immediate");

	/*
	 * Code that patches itself: at p+64
	 *   movl $5, p+0x81(%rip-relative)   ; rewrite the imm of the mov below
	 *   mov  $0, %eax  (at p+0x80, imm at p+0x81)
	 *   ret
	 * The store hits the very block being executed.
	 */
	unsigned char *c = p + 64;
	int k = 0;
	/* c7 05 disp32 imm32 : movl $imm32, disp32(%rip) */
	c[k++] = 0xc7;
	c[k++] = 0x05;
	int disp = (int)((p + 0x81) - (c + 10));
	memcpy(c + k, &disp, 4);
	k += 4;
	int five = 5;
	memcpy(c + k, &five, 4);
	k += 4;
	while (c + k < p + 0x80)
		c[k++] = 0x90;			/* nops up to p+0x80 */
	emit_ret_imm(p + 0x80, 0);
	CHECK(call(c) == 5, "code that patches its own next instruction");
	CHECK(call(p + 0x80) == 5, "patched instruction keeps the new immediate");
	munmap(p, PG);
}

static void
test_read_into_code(void)
{
	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_ANON | MAP_PRIVATE, -1, 0);
	int fds[2];
	unsigned char code[6];

	CHECK(p != MAP_FAILED, "RWX page for read()");
	if (p == MAP_FAILED)
		return;
	emit_ret_imm(p, 7);
	CHECK(call(p) == 7, "old code returns 7");
	CHECK(pipe2(fds, 0) == 0, "pipe2");
	emit_ret_imm(code, 3);
	CHECK(write(fds[1], code, 6) == 6, "write code into the pipe");
	CHECK(read(fds[0], p, 6) == 6, "read() code over the old code");
	CHECK(call(p) == 3, "code written by read() runs (returns 3)");
	/* and once more, only the immediate */
	int imm = 33;
	CHECK(write(fds[1], &imm, 4) == 4, "write new immediate");
	CHECK(read(fds[0], p + 1, 4) == 4, "read() the immediate in place");
	CHECK(call(p) == 33, "immediate written by read() is seen (33)");
	close(fds[0]);
	close(fds[1]);
	munmap(p, PG);
}

static void
test_mmap_over_code(const char *dir)
{
	char path[512];
	static unsigned char page[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/smc-code.bin", dir);
	memset(page, 0xcc, sizeof(page));
	emit_ret_imm(page, 5);
	emit_ret_imm(page + 16, 6);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create code file");
	if (fd < 0)
		return;
	CHECK(write(fd, page, sizeof(page)) == (ssize_t)sizeof(page), "write code file");

	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_ANON | MAP_PRIVATE, -1, 0);
	CHECK(p != MAP_FAILED, "RWX page to map over");
	if (p != MAP_FAILED) {
		emit_ret_imm(p, 4);
		emit_ret_imm(p + 16, 40);
		CHECK(call(p) == 4 && call(p + 16) == 40, "old code returns 4 and 40");
		unsigned char *q = mmap(p, PG, PROT_READ | PROT_EXEC,
		    MAP_PRIVATE | MAP_FIXED, fd, 0);
		CHECK(q == p, "mmap file MAP_FIXED over the code page");
		if (q == p) {
			CHECK(call(p) == 5, "file code runs after MAP_FIXED (5)");
			CHECK(call(p + 16) == 6, "second file function runs (6)");
		}
		/* and a shared mapping whose file changes underneath */
		q = mmap(p, PG, PROT_READ | PROT_EXEC, MAP_SHARED | MAP_FIXED, fd, 0);
		CHECK(q == p, "MAP_SHARED code mapping");
		if (q == p) {
			CHECK(call(p) == 5, "shared file code runs (5)");
			int imm = 55;
			CHECK(pwrite(fd, &imm, 4, 1) == 4, "pwrite new immediate into the file");
			CHECK(call(p) == 55, "pwrite to the file changes shared code (55)");
		}
		munmap(p, PG);
	}
	close(fd);
	CHECK(unlink(path) == 0, "unlink code file");
}

static void
test_mprotect_cycle(void)
{
	unsigned char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED, "RW pages for the mprotect cycle");
	if (p == MAP_FAILED)
		return;
	int ok = 1;
	for (int i = 0; i < 20; i++) {
		unsigned char *f = p + (i & 1) * PG + (i % 7) * 32;

		if (mprotect(p, 2 * PG, PROT_READ | PROT_WRITE) != 0)
			ok = 0;
		emit_ret_imm(f, 10 + i);
		if (mprotect(p, 2 * PG, PROT_READ | PROT_EXEC) != 0)
			ok = 0;
		if (call(f) != 10 + i)
			ok = 0;
	}
	CHECK(ok, "20 RW->RX cycles each run the new code");
	munmap(p, 2 * PG);
}

int
main(int argc, char **argv, char **envp)
{
	const char *dir = argc > 1 ? argv[1] : ".";

	(void)envp;
	test_name = "smc";
	test_store_patch();
	printf("store patches done\n");
	test_read_into_code();
	printf("read() into code done\n");
	test_mmap_over_code(dir);
	printf("mmap over code done\n");
	test_mprotect_cycle();
	printf("mprotect cycles done\n");
	done();
}
