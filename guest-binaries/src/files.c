/*
 * files: file-system calls, FreeBSD errno values, the ino64 `struct stat`
 * (224 bytes) and the getdirentries(554) `struct dirent` layout.
 * Run as:  bsdemu files <empty temp dir>     (leaves the directory empty)
 *
 * FreeBSD-specific results checked here (a Linux passthrough gets them wrong):
 *  - unlink(2) of a directory -> EPERM (sys/kern/vfs_syscalls.c
 *    kern_funlinkat: "vp->v_type == VDIR -> EPERM"); Linux says EISDIR.
 *  - read(2) of a directory -> EISDIR (vfs.read_dirs=0 default since 13.0).
 *  - rmdir of a non-empty directory -> ENOTEMPTY 66 (Linux 39).
 *  - UTIME_OMIT is -2 and UTIME_NOW is -1 (sys/stat.h).
 *  - open flags O_CREAT 0x200, O_EXCL 0x800, O_TRUNC 0x400, O_APPEND 8,
 *    O_NONBLOCK 4, O_CLOEXEC 0x100000, O_DIRECTORY 0x20000.
 */
#include "rt.h"

static void
check_names(const char *dirpath, const char *want)
{
	static char buf[8192];
	char *names[64];
	int n = 0, fd, saw_dot = 0, saw_dotdot = 0, layout_ok = 1;
	off_t base = -1;
	ssize_t got;
	char line[512];
	int pos;

	fd = open(dirpath, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0, "open directory with O_DIRECTORY");
	if (fd < 0)
		return;
	while ((got = getdirentries(fd, buf, sizeof(buf), &base)) > 0) {
		for (ssize_t off = 0; off < got;) {
			struct dirent *d = (struct dirent *)(buf + off);

			if (d->d_reclen == 0 || (d->d_reclen & 7) != 0 ||
			    d->d_reclen < 24 + d->d_namlen + 1 ||
			    off + d->d_reclen > got) {
				layout_ok = 0;
				break;
			}
			if (strlen(d->d_name) != d->d_namlen)
				layout_ok = 0;
			if (strcmp(d->d_name, ".") == 0) {
				saw_dot = 1;
				if (d->d_type != DT_DIR)
					layout_ok = 0;
			} else if (strcmp(d->d_name, "..") == 0) {
				saw_dotdot = 1;
			} else if (n < 64) {
				static char store[64][64];
				char t = '?';

				switch (d->d_type) {
				case DT_REG: t = 'f'; break;
				case DT_DIR: t = 'd'; break;
				case DT_LNK: t = 'l'; break;
				case DT_FIFO: t = 'p'; break;
				}
				snprintf(store[n], sizeof(store[n]), "%s:%c", d->d_name, t);
				names[n] = store[n];
				n++;
			}
			off += d->d_reclen;
		}
		if (!layout_ok)
			break;
	}
	CHECK(got == 0, "getdirentries ends with 0");
	CHECK(layout_ok, "dirent records: reclen multiple of 8, namlen == strlen(name)");
	CHECK(saw_dot && saw_dotdot, "getdirentries lists . and ..");
	sort_strings(names, n);
	pos = snprintf(line, sizeof(line), "dir:");
	for (int i = 0; i < n && pos < (int)sizeof(line); i++)
		pos += snprintf(line + pos, sizeof(line) - pos, " %s", names[i]);
	printf("%s\n", line);
	CHECK(strcmp(line, want) == 0, "directory listing");
	close(fd);
}

int
main(int argc, char **argv, char **envp)
{
	struct stat st, st2;
	char buf[256];
	int fd, fd2;

	(void)envp;
	test_name = "files";
	if (argc < 2) {
		printf("usage: files <empty directory>\n");
		return 2;
	}

	/* chdir + __getcwd */
	CHECK(chdir(argv[1]) == 0, "chdir to the work directory");
	memset(buf, 0, sizeof(buf));
	CHECK(__getcwd(buf, sizeof(buf)) == 0, "__getcwd returns 0");
	CHECK(buf[0] == '/', "__getcwd gives an absolute path");
	{
		const char *want = basename_of(argv[1]);
		size_t bl = strlen(buf), wl = strlen(want);
		/* argv[1] may end with '/': then want is "" and this passes */
		CHECK(wl == 0 || (bl >= wl && strcmp(buf + bl - wl, want) == 0),
		    "__getcwd ends with the directory name");
	}

	/* umask */
	umask(022);
	CHECK(umask(022) == 022, "umask returns the previous mask");

	/* mkdir */
	CHECK(mkdir("sub", 0777) == 0, "mkdir sub");
	CHECK_ERR(mkdir("sub", 0777), EEXIST, "mkdir existing -> EEXIST");
	CHECK(stat("sub", &st) == 0, "stat sub");
	CHECK((st.st_mode & S_IFMT) == S_IFDIR, "sub is S_IFDIR");
	CHECK((st.st_mode & 0777) == 0755, "mkdir mode honours umask (0755)");
	CHECK(mkdir("sub/inner", 0700) == 0, "mkdir sub/inner");

	/* create, write, fstat */
	fd = open("sub/a.txt", O_CREAT | O_EXCL | O_RDWR, 0666);
	CHECK(fd >= 0, "open O_CREAT|O_EXCL new file");
	CHECK(write(fd, "hello world\n", 12) == 12, "write 12 bytes");
	CHECK(fstat(fd, &st) == 0, "fstat");
	CHECK(st.st_size == 12, "st_size == 12");
	CHECK((st.st_mode & S_IFMT) == S_IFREG, "regular file is S_IFREG");
	CHECK((st.st_mode & 07777) == 0644, "file mode 0644 after umask 022");
	CHECK(st.st_nlink == 1, "st_nlink == 1");
	CHECK(st.st_uid == geteuid(), "st_uid == geteuid()");
	CHECK(st.st_blksize > 0, "st_blksize > 0");
	CHECK(st.st_ino != 0, "st_ino != 0");
	CHECK(st.st_mtim.tv_sec > 1500000000 && st.st_mtim.tv_nsec >= 0 &&
	    st.st_mtim.tv_nsec < 1000000000, "st_mtim is a plausible timespec");
	CHECK_ERR(open("sub/a.txt", O_CREAT | O_EXCL | O_RDWR, 0666), EEXIST,
	    "O_CREAT|O_EXCL on an existing file -> EEXIST");
	CHECK_ERR(open("sub/missing", O_RDONLY), ENOENT, "open missing -> ENOENT");
	CHECK_ERR(open("sub/a.txt/x", O_RDONLY), ENOTDIR, "path through a file -> ENOTDIR");
	CHECK_ERR(open("sub/a.txt", O_RDONLY | O_DIRECTORY), ENOTDIR,
	    "O_DIRECTORY on a file -> ENOTDIR");

	/* lseek */
	CHECK(lseek(fd, 0, SEEK_SET) == 0, "lseek SEEK_SET 0");
	CHECK(lseek(fd, 6, SEEK_CUR) == 6, "lseek SEEK_CUR +6");
	CHECK(read(fd, buf, 64) == 6 && memcmp(buf, "world\n", 6) == 0,
	    "read after lseek gives world");
	CHECK(lseek(fd, -2, SEEK_END) == 10, "lseek SEEK_END -2");
	CHECK(lseek(fd, 0, SEEK_END) == 12, "lseek SEEK_END 0");
	CHECK_ERR(lseek(fd, 0, 7), EINVAL, "lseek bad whence -> EINVAL");
	CHECK_ERR(lseek(fd, -100, SEEK_SET), EINVAL, "lseek to a negative offset -> EINVAL");
	CHECK(read(fd, buf, 10) == 0, "read at EOF returns 0");

	/* pread / pwrite do not move the offset */
	CHECK(lseek(fd, 3, SEEK_SET) == 3, "lseek to 3");
	CHECK(pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0, "pread");
	CHECK(pwrite(fd, "HELLO", 5, 0) == 5, "pwrite");
	CHECK(lseek(fd, 0, SEEK_CUR) == 3, "pread/pwrite keep the offset");
	CHECK(pread(fd, buf, 64, 0) == 12 && memcmp(buf, "HELLO world\n", 12) == 0,
	    "pwrite changed the file");
	CHECK_ERR(pread(fd, buf, 4, -1), EINVAL, "pread at a negative offset -> EINVAL");

	/* readv / writev */
	fd2 = open("sub/c.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
	CHECK(fd2 >= 0, "create c.txt");
	{
		struct iovec wv[3] = {
			{ "abc", 3 }, { "", 0 }, { "defg", 4 },
		};
		char r1[2], r2[10];
		struct iovec rv[2] = { { r1, 2 }, { r2, 10 } };

		CHECK(writev(fd2, wv, 3) == 7, "writev 3 iovecs = 7 bytes");
		CHECK(lseek(fd2, 0, SEEK_SET) == 0, "rewind c.txt");
		CHECK(readv(fd2, rv, 2) == 7, "readv = 7 bytes");
		CHECK(memcmp(r1, "ab", 2) == 0 && memcmp(r2, "cdefg", 5) == 0,
		    "readv scatters ab | cdefg");
	}

	/* ftruncate, fsync */
	CHECK(ftruncate(fd2, 5) == 0, "ftruncate to 5");
	CHECK(fstat(fd2, &st) == 0 && st.st_size == 5, "size 5 after ftruncate");
	CHECK(ftruncate(fd2, 10000) == 0, "ftruncate to 10000");
	CHECK(fstat(fd2, &st) == 0 && st.st_size == 10000, "size 10000 after ftruncate");
	buf[0] = 1;
	CHECK(pread(fd2, buf, 1, 9000) == 1 && buf[0] == 0, "extended part reads zero");
	CHECK(fsync(fd2) == 0, "fsync");
	CHECK_ERR(ftruncate(fd2, -1), EINVAL, "ftruncate negative -> EINVAL");
	close(fd2);

	/* O_APPEND */
	fd2 = open("sub/c.txt", O_WRONLY | O_APPEND);
	CHECK(fd2 >= 0, "open O_APPEND");
	CHECK((fcntl(fd2, F_GETFL) & (O_APPEND | O_ACCMODE)) == (O_APPEND | O_WRONLY),
	    "F_GETFL shows O_WRONLY|O_APPEND");
	CHECK(write(fd2, "Z", 1) == 1, "append write");
	CHECK(fstat(fd2, &st) == 0 && st.st_size == 10001, "append went to the end");
	close(fd2);

	/* rename */
	CHECK(rename("sub/c.txt", "sub/d.txt") == 0, "rename c.txt -> d.txt");
	CHECK_ERR(stat("sub/c.txt", &st), ENOENT, "old name is gone");
	CHECK(stat("sub/d.txt", &st) == 0 && st.st_size == 10001, "new name has the data");
	CHECK_ERR(rename("sub/nothing", "sub/x"), ENOENT, "rename missing -> ENOENT");

	/* link / nlink */
	CHECK(link("sub/a.txt", "sub/b.txt") == 0, "link a.txt b.txt");
	CHECK(stat("sub/a.txt", &st) == 0 && st.st_nlink == 2, "st_nlink == 2 after link");
	CHECK(stat("sub/b.txt", &st2) == 0 && st2.st_ino == st.st_ino &&
	    st2.st_dev == st.st_dev, "hard link shares dev/ino");
	CHECK_ERR(link("sub/a.txt", "sub/b.txt"), EEXIST, "link onto existing -> EEXIST");

	/* symlink / readlink / fstatat NOFOLLOW */
	CHECK(symlink("a.txt", "sub/link") == 0, "symlink");
	memset(buf, 0, sizeof(buf));
	CHECK(readlink("sub/link", buf, sizeof(buf)) == 5 && memcmp(buf, "a.txt", 5) == 0,
	    "readlink gives a.txt (5 bytes)");
	printf("readlink: %s\n", buf);
	CHECK(readlink("sub/link", buf, 3) == 3 && memcmp(buf, "a.t", 3) == 0,
	    "readlink truncates to the buffer");
	CHECK_ERR(readlink("sub/a.txt", buf, sizeof(buf)), EINVAL,
	    "readlink of a regular file -> EINVAL");
	CHECK(fstatat(AT_FDCWD, "sub/link", &st, AT_SYMLINK_NOFOLLOW) == 0,
	    "fstatat AT_SYMLINK_NOFOLLOW");
	CHECK((st.st_mode & S_IFMT) == S_IFLNK, "symlink is S_IFLNK");
	CHECK(st.st_size == 5, "symlink st_size == 5");
	CHECK(fstatat(AT_FDCWD, "sub/link", &st, 0) == 0 &&
	    (st.st_mode & S_IFMT) == S_IFREG && st.st_size == 12,
	    "fstatat follows the symlink");
	{
		int dfd = open("sub", O_RDONLY | O_DIRECTORY);
		CHECK(dfd >= 0, "open sub as a directory fd");
		CHECK(fstatat(dfd, "a.txt", &st2, 0) == 0 && st2.st_ino == st.st_ino,
		    "fstatat relative to a directory fd");
		int afd = openat(dfd, "a.txt", O_RDONLY);
		CHECK(afd >= 0, "openat relative to a directory fd");
		CHECK(afd >= 0 && read(afd, buf, 5) == 5 && memcmp(buf, "HELLO", 5) == 0,
		    "read through openat");
		if (afd >= 0)
			close(afd);
		CHECK_ERR(read(dfd, buf, 16), EISDIR, "read on a directory -> EISDIR");
		close(dfd);
	}
	CHECK_ERR(fstatat(AT_FDCWD, "sub/a.txt", &st, 0x7000000), EINVAL,
	    "fstatat unknown flag -> EINVAL");

	/* access */
	CHECK(access("sub/a.txt", R_OK | W_OK) == 0, "access R_OK|W_OK");
	CHECK_ERR(access("sub/a.txt", X_OK), EACCES, "access X_OK on 0644 -> EACCES");
	CHECK_ERR(access("sub/none", F_OK), ENOENT, "access missing -> ENOENT");

	/* chmod / fchmod */
	CHECK(chmod("sub/a.txt", 0600) == 0, "chmod 0600");
	CHECK(stat("sub/a.txt", &st) == 0 && (st.st_mode & 07777) == 0600, "mode 0600");
	CHECK(fchmod(fd, 0640) == 0, "fchmod 0640");
	CHECK(fstat(fd, &st) == 0 && (st.st_mode & 07777) == 0640, "mode 0640");

	/* utimensat */
	{
		struct timespec ts[2] = { { 1000000000, 0 }, { 1500000000, 0 } };

		CHECK(utimensat(AT_FDCWD, "sub/a.txt", ts, 0) == 0, "utimensat");
		CHECK(stat("sub/a.txt", &st) == 0, "stat after utimensat");
		CHECK(st.st_atim.tv_sec == 1000000000, "st_atim.tv_sec == 1000000000");
		CHECK(st.st_mtim.tv_sec == 1500000000, "st_mtim.tv_sec == 1500000000");
		ts[0].tv_sec = 0;
		ts[0].tv_nsec = UTIME_OMIT;
		ts[1].tv_sec = 1600000000;
		ts[1].tv_nsec = 0;
		CHECK(utimensat(AT_FDCWD, "sub/a.txt", ts, 0) == 0, "utimensat UTIME_OMIT");
		CHECK(stat("sub/a.txt", &st) == 0 && st.st_atim.tv_sec == 1000000000 &&
		    st.st_mtim.tv_sec == 1600000000, "UTIME_OMIT (-2) keeps atime");
		ts[0].tv_nsec = UTIME_OMIT;
		ts[1].tv_nsec = UTIME_NOW;
		CHECK(utimensat(AT_FDCWD, "sub/a.txt", ts, 0) == 0, "utimensat UTIME_NOW");
		CHECK(stat("sub/a.txt", &st) == 0 && st.st_mtim.tv_sec > 1600000000,
		    "UTIME_NOW (-1) sets mtime to now");
		CHECK(utimensat(AT_FDCWD, "sub/link", ts, AT_SYMLINK_NOFOLLOW) == 0,
		    "utimensat AT_SYMLINK_NOFOLLOW");
	}

	/* fcntl */
	CHECK(fcntl(fd, F_GETFD) == 0, "F_GETFD == 0 on a new fd");
	CHECK(fcntl(fd, F_SETFD, FD_CLOEXEC) == 0, "F_SETFD FD_CLOEXEC");
	CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC, "F_GETFD == FD_CLOEXEC");
	CHECK((fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR, "F_GETFL access mode O_RDWR");
	fd2 = open("sub/a.txt", O_RDONLY | O_CLOEXEC);
	CHECK(fd2 >= 0 && fcntl(fd2, F_GETFD) == FD_CLOEXEC, "O_CLOEXEC sets FD_CLOEXEC");
	CHECK((fcntl(fd2, F_GETFL) & O_ACCMODE) == O_RDONLY, "F_GETFL access mode O_RDONLY");
	close(fd2);
	CHECK_ERR(fcntl(999, F_GETFD), EBADF, "fcntl on a bad fd -> EBADF");

	/* dup / dup2 */
	fd2 = dup(fd);
	CHECK(fd2 > fd, "dup returns a new, higher fd");
	CHECK(fcntl(fd2, F_GETFD) == 0, "dup clears FD_CLOEXEC");
	CHECK(lseek(fd2, 4, SEEK_SET) == 4 && lseek(fd, 0, SEEK_CUR) == 4,
	    "dup shares the file offset");
	close(fd2);
	CHECK(dup2(fd, 20) == 20, "dup2 to 20");
	CHECK(fcntl(20, F_GETFD) == 0, "dup2 clears FD_CLOEXEC");
	CHECK(dup2(20, 20) == 20, "dup2 onto itself");
	CHECK(close(20) == 0, "close 20");
	CHECK_ERR(dup2(999, 21), EBADF, "dup2 of a bad fd -> EBADF");
	fd2 = fcntl(fd, F_DUPFD_CLOEXEC, 30);
	CHECK(fd2 >= 30 && fcntl(fd2, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC >= 30");
	if (fd2 >= 0)
		close(fd2);

	/* bad descriptors */
	CHECK_ERR(close(999), EBADF, "close bad fd -> EBADF");
	CHECK_ERR(read(999, buf, 1), EBADF, "read bad fd -> EBADF");
	CHECK_ERR(write(-1, buf, 1), EBADF, "write fd -1 -> EBADF");
	CHECK_ERR(fstat(999, &st), EBADF, "fstat bad fd -> EBADF");

	/* pipes */
	{
		int p[2];
		char t[44];

		CHECK(pipe2(p, O_CLOEXEC) == 0, "pipe2 O_CLOEXEC");
		CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC && fcntl(p[1], F_GETFD) == FD_CLOEXEC,
		    "both pipe ends are close-on-exec");
		CHECK(write(p[1], "ping", 4) == 4, "write to the pipe");
		CHECK(read(p[0], buf, sizeof(buf)) == 4 && memcmp(buf, "ping", 4) == 0,
		    "read from the pipe");
		CHECK(fstat(p[0], &st) == 0 && (st.st_mode & S_IFMT) == S_IFIFO,
		    "pipe is S_IFIFO");
		CHECK_ERR(lseek(p[0], 0, SEEK_CUR), ESPIPE, "lseek on a pipe -> ESPIPE");
		CHECK_ERR(ioctl(p[0], TIOCGETA, t), ENOTTY, "TIOCGETA on a pipe -> ENOTTY");
		CHECK(fcntl(p[0], F_SETFL, O_NONBLOCK) == 0, "F_SETFL O_NONBLOCK");
		CHECK((fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0, "F_GETFL shows O_NONBLOCK");
		CHECK_ERR(read(p[0], buf, 1), EAGAIN, "empty non-blocking pipe -> EAGAIN (35)");
		close(p[0]);
		close(p[1]);
		CHECK_ERR(pipe2(p, 0x1), EINVAL, "pipe2 with a bad flag -> EINVAL");
	}
	CHECK_ERR(ioctl(fd, TIOCGETA, buf), ENOTTY, "TIOCGETA on a file -> ENOTTY");
	close(fd);

	/* listing */
	check_names("sub", "dir: a.txt:f b.txt:f d.txt:f inner:d link:l");

	/* unlink / rmdir */
	CHECK(unlink("sub/b.txt") == 0, "unlink b.txt");
	CHECK(stat("sub/a.txt", &st) == 0 && st.st_nlink == 1, "st_nlink back to 1");
	CHECK_ERR(unlink("sub/b.txt"), ENOENT, "unlink missing -> ENOENT");
	CHECK_ERR(rmdir("sub"), ENOTEMPTY, "rmdir non-empty -> ENOTEMPTY (66)");
	CHECK_ERR(unlink("sub/inner"), EPERM, "unlink a directory -> EPERM");
	CHECK_ERR(rmdir("sub/a.txt"), ENOTDIR, "rmdir a file -> ENOTDIR");

	/* chdir into sub and back */
	CHECK(chdir("sub") == 0, "chdir sub");
	CHECK(__getcwd(buf, sizeof(buf)) == 0 && strlen(buf) > 4 &&
	    strcmp(buf + strlen(buf) - 4, "/sub") == 0, "__getcwd ends with /sub");
	CHECK(stat("a.txt", &st) == 0, "relative path after chdir");
	CHECK_ERR(chdir("a.txt"), ENOTDIR, "chdir to a file -> ENOTDIR");
	CHECK(chdir("..") == 0, "chdir ..");

	CHECK(unlink("sub/a.txt") == 0 && unlink("sub/d.txt") == 0 &&
	    unlink("sub/link") == 0, "unlink the files");
	CHECK(rmdir("sub/inner") == 0 && rmdir("sub") == 0, "rmdir the directories");
	check_names(".", "dir:");
	done();
}
