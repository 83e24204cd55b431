/*
 * mmap: FreeBSD's mmap/munmap/mprotect/madvise/minherit/msync/mincore/break
 * rules. Run as:  bsdemu mmap <empty temp dir>
 *
 * Rules from sys/vm/vm_mmap.c kern_mmap() (FreeBSD 14):
 *  - len 0 -> EINVAL; MAP_ANON with fd != -1 or pos != 0 -> EINVAL
 *  - MAP_STACK needs fd == -1 and prot RW, else EINVAL (and implies MAP_ANON)
 *  - unknown flag bits -> EINVAL; MAP_EXCL without MAP_FIXED -> EINVAL;
 *    MAP_SHARED|MAP_PRIVATE -> EINVAL; prot bits beyond RWX -> EINVAL
 *  - MAP_GUARD: prot NONE, fd -1, pos 0, only FIXED/EXCL/32BIT/ALIGNED flags
 *  - MAP_ALIGNED(n): n < PAGE_SHIFT or n >= 64 -> EINVAL
 *  - MAP_FIXED: addr - (pos & PAGE_MASK) must be page aligned; the result is
 *    addr + (pos & PAGE_MASK) for every mapping
 *  - MAP_FIXED|MAP_EXCL over an existing mapping: vm_map_fixed() fails with
 *    KERN_NO_SPACE -> ENOMEM
 *  - MAP_SHARED + PROT_WRITE on a descriptor without FWRITE -> EACCES
 *  - kern_munmap: size 0 -> EINVAL. kern_msync: MS_ASYNC|MS_INVALIDATE ->
 *    EINVAL, unmapped -> ENOMEM. kern_mincore: unmapped -> ENOMEM.
 *  - kern_mprotect beyond max_prot: KERN_PROTECTION_FAILURE -> EACCES.
 *  - vm_map_madvise / vm_map_inherit: unknown advice / inheritance -> EINVAL.
 * break(2) (sys/vm/vm_unix.c kern_break): an address below the data segment
 * returns the current break; the initial break is round_page(end of the last
 * data PT_LOAD) because enforce_limits() takes the last non-text segment.
 */
#include "rt.h"

#define PG 4096UL

extern char _end[];

static char path_buf[512];

static const char *
in_dir(const char *dir, const char *name)
{
	snprintf(path_buf, sizeof(path_buf), "%s/%s", dir, name);
	return path_buf;
}

static unsigned char
file_byte(long off)
{
	return (unsigned char)((off * 7 + (off >> 12) * 13 + 1) & 0xff);
}

static int
all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void
test_anon(void)
{
	unsigned char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE, -1, 0);

	CHECK(p != MAP_FAILED, "anonymous RW mmap");
	if (p == MAP_FAILED)
		return;
	CHECK(((uintptr_t)p & (PG - 1)) == 0, "anonymous mapping is page aligned");
	CHECK(all_bytes(p, 3 * PG, 0), "anonymous mapping is zero-filled");
	memset(p, 0xAA, 3 * PG);
	CHECK(all_bytes(p, 3 * PG, 0xAA), "anonymous mapping keeps writes");

	/* MAP_FIXED replaces the middle page with fresh zero pages */
	unsigned char *q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0);
	CHECK(q == p + PG, "MAP_FIXED returns the requested address");
	CHECK(all_bytes(p + PG, PG, 0), "MAP_FIXED replacement is zero-filled");
	CHECK(all_bytes(p, PG, 0xAA) && all_bytes(p + 2 * PG, PG, 0xAA),
	    "MAP_FIXED leaves neighbouring pages alone");

	/* MAP_FIXED|MAP_EXCL over an occupied range */
	CHECK_ERR(mmap(p, PG, PROT_READ, MAP_ANON | MAP_PRIVATE | MAP_FIXED |
	    MAP_EXCL, -1, 0), ENOMEM, "MAP_FIXED|MAP_EXCL over a mapping -> ENOMEM");
	CHECK(all_bytes(p, PG, 0xAA), "failed MAP_EXCL leaves the mapping intact");

	/* mincore on a touched page, then munmap and mincore -> ENOMEM */
	char vec[3] = { 0, 0, 0 };
	CHECK(mincore(p, 3 * PG, vec) == 0, "mincore on a mapping");
	CHECK((vec[0] & MINCORE_INCORE) != 0, "mincore: touched page is resident");

	/* mprotect: read-only then back to RW */
	CHECK(mprotect(p, PG, PROT_READ) == 0, "mprotect PROT_READ");
	CHECK(p[0] == 0xAA, "read after mprotect PROT_READ");
	CHECK(mprotect(p, PG, PROT_READ | PROT_WRITE) == 0, "mprotect back to RW");
	p[0] = 0x55;
	CHECK(p[0] == 0x55, "write after mprotect RW");

	CHECK(madvise(p, 3 * PG, MADV_WILLNEED) == 0, "madvise MADV_WILLNEED");
	CHECK_ERR(madvise(p, PG, 99), EINVAL, "madvise bad advice -> EINVAL");
	CHECK(minherit(p, 3 * PG, INHERIT_NONE) == 0, "minherit INHERIT_NONE");
	CHECK(minherit(p, 3 * PG, INHERIT_COPY) == 0, "minherit INHERIT_COPY");
	CHECK_ERR(minherit(p, PG, 99), EINVAL, "minherit bad inheritance -> EINVAL");
	CHECK_ERR(msync(p, PG, MS_ASYNC | MS_INVALIDATE), EINVAL,
	    "msync MS_ASYNC|MS_INVALIDATE -> EINVAL");

	/* MADV_DONTNEED/FREE on anonymous memory must not fail */
	CHECK(madvise(p + 2 * PG, PG, MADV_FREE) == 0, "madvise MADV_FREE");

	CHECK(munmap(p, 3 * PG) == 0, "munmap");
	CHECK_ERR(mincore(p, PG, vec), ENOMEM, "mincore after munmap -> ENOMEM");
	CHECK_ERR(msync(p, PG, MS_SYNC), ENOMEM, "msync on unmapped -> ENOMEM");
	CHECK_ERR(munmap(p, 0), EINVAL, "munmap len 0 -> EINVAL");
	/* after munmap the range is free: MAP_FIXED|MAP_EXCL may take it */
	q = mmap(p, PG, PROT_READ | PROT_WRITE, MAP_ANON | MAP_PRIVATE |
	    MAP_FIXED | MAP_EXCL, -1, 0);
	CHECK(q == p, "MAP_FIXED|MAP_EXCL on a free range");
	if (q == p) {
		CHECK(all_bytes(q, PG, 0), "re-mapped range is zero-filled");
		munmap(q, PG);
	}
}

static void
test_einval(void)
{
	CHECK_ERR(mmap(NULL, 0, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, 0),
	    EINVAL, "len 0 -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_SHARED | MAP_PRIVATE,
	    -1, 0), EINVAL, "MAP_SHARED|MAP_PRIVATE -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE, 0, 0),
	    EINVAL, "MAP_ANON with fd 0 -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE, -1, PG),
	    EINVAL, "MAP_ANON with offset -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE | MAP_EXCL,
	    -1, 0), EINVAL, "MAP_EXCL without MAP_FIXED -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, 0x8, MAP_ANON | MAP_PRIVATE, -1, 0),
	    EINVAL, "prot 0x8 -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE | 0x100,
	    -1, 0), EINVAL, "unknown flag 0x100 -> EINVAL");
	CHECK_ERR(mmap((void *)0x10000123, PG, PROT_READ,
	    MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0),
	    EINVAL, "MAP_FIXED at an unaligned address -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE |
	    MAP_ALIGNED(5), -1, 0), EINVAL, "MAP_ALIGNED(5) -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_ANON | MAP_PRIVATE |
	    MAP_ALIGNED(64), -1, 0), EINVAL, "MAP_ALIGNED(64) -> EINVAL");
}

static void
test_special(void)
{
	/* MAP_ALIGNED(21): 2 MiB alignment */
	unsigned char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE | MAP_ALIGNED(21), -1, 0);
	CHECK(p != MAP_FAILED, "MAP_ALIGNED(21) mmap");
	if (p != MAP_FAILED) {
		CHECK(((uintptr_t)p & ((1UL << 21) - 1)) == 0,
		    "MAP_ALIGNED(21) result is 2 MiB aligned");
		p[0] = 1;
		p[3 * PG - 1] = 2;
		CHECK(p[0] == 1 && p[3 * PG - 1] == 2, "aligned mapping is usable");
		munmap(p, 3 * PG);
	}
	p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
	    MAP_ANON | MAP_PRIVATE | MAP_ALIGNED_SUPER, -1, 0);
	CHECK(p != MAP_FAILED, "MAP_ALIGNED_SUPER mmap");
	if (p != MAP_FAILED)
		munmap(p, PG);

	/* MAP_GUARD */
	unsigned char *g = mmap(NULL, 4 * PG, PROT_NONE, MAP_GUARD, -1, 0);
	CHECK(g != MAP_FAILED, "MAP_GUARD mmap");
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_GUARD, -1, 0), EINVAL,
	    "MAP_GUARD with PROT_READ -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_NONE, MAP_GUARD | MAP_PRIVATE, -1, 0),
	    EINVAL, "MAP_GUARD|MAP_PRIVATE -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_NONE, MAP_GUARD | MAP_ANON, -1, 0),
	    EINVAL, "MAP_GUARD|MAP_ANON -> EINVAL");
	CHECK_ERR(mmap(NULL, PG, PROT_NONE, MAP_GUARD, 0, 0), EINVAL,
	    "MAP_GUARD with fd 0 -> EINVAL");
	if (g != MAP_FAILED) {
		/* a guard occupies its range ... */
		CHECK_ERR(mmap(g + PG, PG, PROT_READ | PROT_WRITE, MAP_ANON |
		    MAP_PRIVATE | MAP_FIXED | MAP_EXCL, -1, 0), ENOMEM,
		    "MAP_FIXED|MAP_EXCL over a guard -> ENOMEM");
		/* ... until MAP_FIXED replaces part of it */
		unsigned char *r = mmap(g + PG, PG, PROT_READ | PROT_WRITE,
		    MAP_ANON | MAP_PRIVATE | MAP_FIXED, -1, 0);
		CHECK(r == g + PG, "MAP_FIXED over a guard");
		if (r == g + PG) {
			r[0] = 7;
			CHECK(r[0] == 7 && all_bytes(r + 1, PG - 1, 0),
			    "page carved out of a guard is usable and zeroed");
		}
		munmap(g, 4 * PG);
	}

	/* MAP_STACK */
	CHECK_ERR(mmap(NULL, 16 * PG, PROT_READ, MAP_STACK | MAP_PRIVATE, -1, 0),
	    EINVAL, "MAP_STACK with PROT_READ only -> EINVAL");
	CHECK_ERR(mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
	    MAP_STACK | MAP_PRIVATE, 0, 0), EINVAL, "MAP_STACK with fd 0 -> EINVAL");
	unsigned char *s = mmap(NULL, 16 * PG, PROT_READ | PROT_WRITE,
	    MAP_STACK | MAP_PRIVATE, -1, 0);
	CHECK(s != MAP_FAILED, "MAP_STACK RW mmap");
	if (s != MAP_FAILED) {
		s[16 * PG - 1] = 0x5a;
		CHECK(s[16 * PG - 1] == 0x5a && s[16 * PG - 2] == 0,
		    "top of a MAP_STACK region is usable and zeroed");
		munmap(s, 16 * PG);
	}
}

static void
test_file(const char *dir)
{
	const long fsize = 3 * PG + 100;
	static unsigned char buf[4 * 4096];
	int fd;

	for (long i = 0; i < fsize; i++)
		buf[i] = file_byte(i);
	fd = open(in_dir(dir, "mmap.dat"), O_RDWR | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0, "create data file");
	if (fd < 0)
		return;
	CHECK(write(fd, buf, fsize) == fsize, "write data file");

	/* shared RW mapping of the whole file plus one page beyond EOF */
	unsigned char *m = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
	    MAP_SHARED, fd, 0);
	CHECK(m != MAP_FAILED, "MAP_SHARED file mapping");
	if (m != MAP_FAILED) {
		CHECK(memcmp(m, buf, fsize) == 0, "file mapping shows the file");
		CHECK(all_bytes(m + fsize, 4 * PG - fsize, 0),
		    "bytes after EOF in the last page read zero");
		memcpy(m + 10, "THROUGH-MEMORY", 14);
		CHECK(msync(m, 4 * PG, MS_SYNC) == 0, "msync MS_SYNC");
		unsigned char rb[14];
		CHECK(pread(fd, rb, 14, 10) == 14 &&
		    memcmp(rb, "THROUGH-MEMORY", 14) == 0,
		    "store through MAP_SHARED reaches the file");
		CHECK(pwrite(fd, "VIA-PWRITE", 10, 2 * PG + 5) == 10, "pwrite");
		CHECK(memcmp(m + 2 * PG + 5, "VIA-PWRITE", 10) == 0,
		    "pwrite is visible in the MAP_SHARED mapping");
		struct stat st;
		CHECK(fstat(fd, &st) == 0 && st.st_size == fsize,
		    "mapping does not change the file size");
		munmap(m, 4 * PG);
	}
	/* file content now */
	memcpy(buf + 10, "THROUGH-MEMORY", 14);
	memcpy(buf + 2 * PG + 5, "VIA-PWRITE", 10);

	/* private mapping: writes stay private */
	m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	CHECK(m != MAP_FAILED, "MAP_PRIVATE file mapping");
	if (m != MAP_FAILED) {
		CHECK(memcmp(m, buf, 2 * PG) == 0, "private mapping shows the file");
		memcpy(m + 100, "PRIVATE", 7);
		CHECK(msync(m, 2 * PG, MS_SYNC) == 0, "msync on a private mapping");
		unsigned char rb[7];
		CHECK(pread(fd, rb, 7, 100) == 7 && memcmp(rb, buf + 100, 7) == 0,
		    "private writes do not reach the file");
		CHECK(memcmp(m + 100, "PRIVATE", 7) == 0, "private write kept");
		munmap(m, 2 * PG);
	}

	/* offsets 4096 and 8192 */
	m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, fd, PG);
	CHECK(m != MAP_FAILED && memcmp(m, buf + PG, PG) == 0,
	    "mapping at offset 4096 shows the right bytes");
	if (m != MAP_FAILED)
		munmap(m, PG);
	m = mmap(NULL, PG + 100, PROT_READ, MAP_SHARED, fd, 2 * PG);
	CHECK(m != MAP_FAILED && memcmp(m, buf + 2 * PG, PG + 100) == 0,
	    "mapping at offset 8192 shows the right bytes");
	if (m != MAP_FAILED) {
		CHECK(all_bytes(m + PG + 100, PG - 100, 0),
		    "tail of the EOF page is zero at offset 8192");
		munmap(m, 2 * PG);
	}

	/* unaligned offset: result = page address + (offset & 4095) */
	m = mmap(NULL, 200, PROT_READ, MAP_PRIVATE, fd, PG + 123);
	CHECK(m != MAP_FAILED, "mmap at an unaligned file offset");
	if (m != MAP_FAILED) {
		CHECK(((uintptr_t)m & (PG - 1)) == 123,
		    "unaligned offset: address & 4095 == offset & 4095");
		CHECK(memcmp(m, buf + PG + 123, 200) == 0,
		    "unaligned offset: points at the right byte");
		munmap(m, 200);
	}

	/* MAP_FIXED with an unaligned offset: addr carries the same remainder */
	unsigned char *area = mmap(NULL, 2 * PG, PROT_NONE, MAP_GUARD, -1, 0);
	CHECK(area != MAP_FAILED, "reserve for MAP_FIXED file mapping");
	if (area != MAP_FAILED) {
		m = mmap(area + 100, 50, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd,
		    2 * PG + 100);
		CHECK(m == area + 100, "MAP_FIXED addr+100 with offset+100");
		if (m == area + 100)
			CHECK(memcmp(m, buf + 2 * PG + 100, 50) == 0,
			    "MAP_FIXED unaligned mapping shows the right bytes");
		CHECK_ERR(mmap(area + 100, 50, PROT_READ, MAP_PRIVATE | MAP_FIXED,
		    fd, 2 * PG), EINVAL,
		    "MAP_FIXED remainder mismatch with the offset -> EINVAL");
		munmap(area, 2 * PG);
	}

	/* protections against the open mode */
	int rfd = open(in_dir(dir, "mmap.dat"), O_RDONLY);
	CHECK(rfd >= 0, "open data file read-only");
	if (rfd >= 0) {
		CHECK_ERR(mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, rfd, 0),
		    EACCES, "MAP_SHARED PROT_WRITE on an O_RDONLY fd -> EACCES");
		m = mmap(NULL, PG, PROT_READ, MAP_SHARED, rfd, 0);
		CHECK(m != MAP_FAILED, "MAP_SHARED PROT_READ on an O_RDONLY fd");
		if (m != MAP_FAILED) {
			CHECK_ERR(mprotect(m, PG, PROT_READ | PROT_WRITE), EACCES,
			    "mprotect beyond max protection -> EACCES");
			munmap(m, PG);
		}
		/* a private mapping of a read-only fd may be written */
		m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, rfd, 0);
		CHECK(m != MAP_FAILED, "MAP_PRIVATE PROT_WRITE on an O_RDONLY fd");
		if (m != MAP_FAILED) {
			m[0] ^= 0xff;
			CHECK(m[0] == (unsigned char)(buf[0] ^ 0xff), "private COW write");
			munmap(m, PG);
		}
		close(rfd);
	}
	CHECK_ERR(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 99, 0), EBADF,
	    "file mapping of a closed fd -> EBADF");

	close(fd);
	CHECK(unlink(in_dir(dir, "mmap.dat")) == 0, "unlink data file");
}

static void
test_break(void)
{
	uintptr_t endp = ((uintptr_t)_end + PG - 1) & ~(PG - 1);
	uintptr_t cur = (uintptr_t)sys_break(NULL);

	CHECK(cur != (uintptr_t)-1, "break(0) returns the current break");
	CHECK(cur == endp, "initial break == round_page(_end)");
	if (cur == (uintptr_t)-1)
		return;
	uintptr_t grown = (uintptr_t)sys_break((void *)(cur + 3 * PG));
	CHECK(grown == cur + 3 * PG, "break grows by 3 pages");
	if (grown != cur + 3 * PG)
		return;
	unsigned char *b = (unsigned char *)cur;
	CHECK(all_bytes(b, 3 * PG, 0), "new break memory is zero-filled");
	memset(b, 0x3c, 3 * PG);
	CHECK(all_bytes(b, 3 * PG, 0x3c), "new break memory is writable");
	CHECK((uintptr_t)sys_break(NULL) == cur + 3 * PG, "break(0) reports the new break");
	CHECK((uintptr_t)sys_break((void *)(cur + PG)) == cur + PG, "break shrinks");
	char vec[2];
	CHECK_ERR(mincore(b + 2 * PG, PG, vec), ENOMEM, "shrunk break pages are unmapped");
	/* unaligned request rounds up to a page */
	CHECK((uintptr_t)sys_break((void *)(cur + PG + 10)) == cur + 2 * PG,
	    "break rounds up to a page");
	CHECK(all_bytes(b + PG, PG, 0), "re-grown break memory is zero-filled");
}

int
main(int argc, char **argv, char **envp)
{
	const char *dir = argc > 1 ? argv[1] : ".";

	(void)envp;
	test_name = "mmap";
	test_anon();
	printf("anonymous mappings done\n");
	test_einval();
	printf("argument errors done\n");
	test_special();
	printf("guard, stack and aligned mappings done\n");
	test_file(dir);
	printf("file mappings done\n");
	test_break();
	printf("break done\n");
	done();
}
