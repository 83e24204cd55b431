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

#if defined(__x86_64__)
#define CODE_LEN	6	/* the function emit_ret_imm writes */
#define IMM_OFF		1	/* where its immediate's 4 bytes are */

/* mov $imm32, %eax ; ret */
static void
emit_ret_imm(unsigned char *p, int imm)
{
	p[0] = 0xb8;
	memcpy(p + 1, &imm, 4);
	p[5] = 0xc3;
}

/* The 4 bytes at IMM_OFF that make the function return imm. */
static void
imm_bytes(int imm, unsigned char out[4])
{
	memcpy(out, &imm, 4);
}

static void
patch_imm(unsigned char *p, int imm)
{
	*(volatile int *)(p + 1) = imm;
}

/* x86 keeps instruction fetch coherent with stores: nothing to do. */
static void
sync_code(void *p, size_t n)
{
	(void)p;
	(void)n;
}
#else
#define CODE_LEN	8
#define IMM_OFF		0	/* arm64 patches the whole movz */

static uint32_t
movz_w0(int imm)
{
	return 0x52800000u | ((uint32_t)(imm & 0xffff) << 5);	/* movz w0, #imm16 */
}

/* movz w0, #imm16 ; ret */
static void
emit_ret_imm(unsigned char *p, int imm)
{
	uint32_t w[2] = { movz_w0(imm), 0xd65f03c0 };

	memcpy(p, w, 8);
}

static void
imm_bytes(int imm, unsigned char out[4])
{
	uint32_t w = movz_w0(imm);

	memcpy(out, &w, 4);
}

/*
 * What arm64 code must do after writing instructions (FreeBSD's
 * __clear_cache): clean the data cache and invalidate the instruction
 * cache to the point of unification, then an isb.
 */
static void
sync_code(void *p, size_t n)
{
	uintptr_t a = (uintptr_t)p & ~63UL, end = (uintptr_t)p + n;

	for (uintptr_t x = a; x < end; x += 64)
		__asm__ volatile("dc cvau, %0" :: "r"(x) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
	for (uintptr_t x = a; x < end; x += 64)
		__asm__ volatile("ic ivau, %0" :: "r"(x) : "memory");
	__asm__ volatile("dsb ish\n\tisb" ::: "memory");
}

static void
patch_imm(unsigned char *p, int imm)
{
	*(volatile uint32_t *)p = movz_w0(imm);
	sync_code(p, 4);
}
#endif

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
	sync_code(p, CODE_LEN);
	CHECK(call(p) == 1, "first call returns 1");
	patch_imm(p, 2);			/* patch the immediate */
	CHECK(call(p) == 2, "after patching the immediate: 2");
	int ok = 1;
	for (int i = 0; i < 100; i++) {
		patch_imm(p, 1000 + i);
		if (call(p) != 1000 + i)
			ok = 0;
	}
	CHECK(ok, "100 patch/call rounds see every new immediate");

#if defined(__x86_64__)
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
#else
	/*
	 * Code that patches itself: at p+64
	 *   adr  x9, p+0x80
	 *   movz w10, #lo ; movk w10, #hi, lsl #16     ; w10 = `movz w0, #5`
	 *   str  w10, [x9]                            ; rewrite the movz below
	 *   dc cvau, x9 ; dsb ish ; ic ivau, x9 ; dsb ish ; isb
	 *   nops up to p+0x80: movz w0, #0 ; ret
	 * The store hits the very block being executed; the isb makes the
	 * new instruction the one fetched (arm64 has no coherent fetch).
	 */
	uint32_t *c = (uint32_t *)(p + 64);
	uint32_t insn = movz_w0(5);
	int k = 0;
	long off = (long)((p + 0x80) - (unsigned char *)c);
	c[k++] = 0x10000009u | ((uint32_t)(off & 3) << 29) | ((uint32_t)((off >> 2) & 0x7ffff) << 5);
	c[k++] = 0x5280000au | ((insn & 0xffff) << 5);		/* movz w10, #lo */
	c[k++] = 0x72a0000au | ((insn >> 16) << 5);		/* movk w10, #hi, lsl #16 */
	c[k++] = 0xb900012au;					/* str w10, [x9] */
	c[k++] = 0xd50b7b29u;					/* dc cvau, x9 */
	c[k++] = 0xd5033b9fu;					/* dsb ish */
	c[k++] = 0xd50b7529u;					/* ic ivau, x9 */
	c[k++] = 0xd5033b9fu;					/* dsb ish */
	c[k++] = 0xd5033fdfu;					/* isb */
	while ((unsigned char *)(c + k) < p + 0x80)
		c[k++] = 0xd503201fu;				/* nop */
	emit_ret_imm(p + 0x80, 0);
	sync_code(p, PG);
#endif
	CHECK(call((unsigned char *)c) == 5, "code that patches its own next instruction");
	CHECK(call(p + 0x80) == 5, "patched instruction keeps the new immediate");
	munmap(p, PG);
}

static void
test_read_into_code(void)
{
	unsigned char *p = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
	    MAP_ANON | MAP_PRIVATE, -1, 0);
	int fds[2];
	unsigned char code[CODE_LEN];

	CHECK(p != MAP_FAILED, "RWX page for read()");
	if (p == MAP_FAILED)
		return;
	emit_ret_imm(p, 7);
	sync_code(p, CODE_LEN);
	CHECK(call(p) == 7, "old code returns 7");
	CHECK(pipe2(fds, 0) == 0, "pipe2");
	emit_ret_imm(code, 3);
	CHECK(write(fds[1], code, CODE_LEN) == CODE_LEN, "write code into the pipe");
	CHECK(read(fds[0], p, CODE_LEN) == CODE_LEN, "read() code over the old code");
	sync_code(p, CODE_LEN);
	CHECK(call(p) == 3, "code written by read() runs (returns 3)");
	/* and once more, only the immediate */
	unsigned char imm[4];
	imm_bytes(33, imm);
	CHECK(write(fds[1], imm, 4) == 4, "write new immediate");
	CHECK(read(fds[0], p + IMM_OFF, 4) == 4, "read() the immediate in place");
	sync_code(p, CODE_LEN);
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
		sync_code(p, 32);
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
			unsigned char imm[4];
			imm_bytes(55, imm);
			CHECK(pwrite(fd, imm, 4, IMM_OFF) == 4, "pwrite new immediate into the file");
			sync_code(p, CODE_LEN);
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
		sync_code(f, CODE_LEN);
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
