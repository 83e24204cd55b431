// Host libc through koffi for descriptor and file-system work: host descriptors stay real (they survive a
// later host fork/exec), and reads/writes go straight between the host kernel and guest memory.
// Host memory addresses travel as plain numbers (uintptr_t); paths as NUL-terminated Buffers or strings.
// Linux hosts (x86_64, aarch64): these prototypes declare variadic libc functions (openat, fcntl, ioctl)
// with fixed arguments, which the Linux calling conventions of both architectures allow.
import koffi from 'koffi';
import { Errno, hostErrno } from '../abi/errno.js';

type Path = string | Buffer;
export interface Libc {
  read(fd: number, buf: number, n: number): number | bigint;
  write(fd: number, buf: number, n: number): number | bigint;
  pread(fd: number, buf: number, n: number, off: bigint): number | bigint;
  pwrite(fd: number, buf: number, n: number, off: bigint): number | bigint;
  readv(fd: number, iov: number, cnt: number): number | bigint;
  writev(fd: number, iov: number, cnt: number): number | bigint;
  preadv(fd: number, iov: number, cnt: number, off: bigint): number | bigint;
  pwritev(fd: number, iov: number, cnt: number, off: bigint): number | bigint;
  openat(dfd: number, path: Path, flags: number, mode: number): number;
  close(fd: number): number;
  isatty(fd: number): number;
  fcntl(fd: number, cmd: number, arg: number): number;
  lseek(fd: number, off: bigint, whence: number): number | bigint;
  ftruncate(fd: number, len: bigint): number;
  truncate(path: Path, len: bigint): number;
  fsync(fd: number): number;
  fdatasync(fd: number): number;
  mkdirat(dfd: number, path: Path, mode: number): number;
  unlinkat(dfd: number, path: Path, flags: number): number;
  renameat(ofd: number, from: Path, nfd: number, to: Path): number;
  linkat(ofd: number, from: Path, nfd: number, to: Path, flags: number): number;
  symlinkat(target: Path, dfd: number, path: Path): number;
  readlinkat(dfd: number, path: Path, buf: number, n: number): number | bigint;
  fchmodat(dfd: number, path: Path, mode: number, flags: number): number;
  fchmod(fd: number, mode: number): number;
  fchownat(dfd: number, path: Path, uid: number, gid: number, flags: number): number;
  fchown(fd: number, uid: number, gid: number): number;
  faccessat(dfd: number, path: Path, mode: number, flags: number): number;
  utimensat(dfd: number, path: Path | null, times: number, flags: number): number;
  futimens(fd: number, times: number): number;
  statx(dfd: number, path: Path, flags: number, mask: number, buf: number): number;
  fstatfs(fd: number, buf: number): number;
  statfs(path: Path, buf: number): number;
  syscall4(nr: number, a: number, b: number, c: number): number | bigint;
  pipe2(fds: number, flags: number): number;
  flock(fd: number, op: number): number;
  ioctl(fd: number, req: number, arg: number): number;
  tcgetattr(fd: number, t: number): number;
  tcsetattr(fd: number, act: number, t: number): number;
  cfgetispeed(t: number): number;
  cfgetospeed(t: number): number;
  cfsetispeed(t: number, s: number): number;
  cfsetospeed(t: number, s: number): number;
  fchdir(fd: number): number;
  getcwd(buf: number, n: number): number;
  // fs2.ts / sysmisc.ts
  mknodat(dfd: number, path: Path, mode: number, dev: bigint): number;
  posix_fallocate(fd: number, off: bigint, len: bigint): number;
  copy_file_range(infd: number, inoff: number, outfd: number, outoff: number, len: number, flags: number): number | bigint;
  sync(): void;
  memfd_create(name: string, flags: number): number;
  eventfd(initval: number, flags: number): number;
}

let libc: Libc | undefined;

export function hostLibc(): Libc {
  if (libc) return libc;
  const h = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
  const f = (proto: string) => h.func(proto) as never;
  libc = {
    read: f('int64_t read(int fd, uintptr_t buf, size_t n)'),
    write: f('int64_t write(int fd, uintptr_t buf, size_t n)'),
    pread: f('int64_t pread64(int fd, uintptr_t buf, size_t n, int64_t off)'),
    pwrite: f('int64_t pwrite64(int fd, uintptr_t buf, size_t n, int64_t off)'),
    readv: f('int64_t readv(int fd, uintptr_t iov, int cnt)'),
    writev: f('int64_t writev(int fd, uintptr_t iov, int cnt)'),
    preadv: f('int64_t preadv64(int fd, uintptr_t iov, int cnt, int64_t off)'),
    pwritev: f('int64_t pwritev64(int fd, uintptr_t iov, int cnt, int64_t off)'),
    openat: f('int openat(int dfd, const char *path, int flags, uint32_t mode)'),
    close: f('int close(int fd)'),
    isatty: f('int isatty(int fd)'),
    fcntl: f('int fcntl(int fd, int cmd, uintptr_t arg)'),
    lseek: f('int64_t lseek64(int fd, int64_t off, int whence)'),
    ftruncate: f('int ftruncate64(int fd, int64_t len)'),
    truncate: f('int truncate64(const char *path, int64_t len)'),
    fsync: f('int fsync(int fd)'),
    fdatasync: f('int fdatasync(int fd)'),
    mkdirat: f('int mkdirat(int dfd, const char *path, uint32_t mode)'),
    unlinkat: f('int unlinkat(int dfd, const char *path, int flags)'),
    renameat: f('int renameat(int ofd, const char *from, int nfd, const char *to)'),
    linkat: f('int linkat(int ofd, const char *from, int nfd, const char *to, int flags)'),
    symlinkat: f('int symlinkat(const char *target, int dfd, const char *path)'),
    readlinkat: f('int64_t readlinkat(int dfd, const char *path, uintptr_t buf, size_t n)'),
    fchmodat: f('int fchmodat(int dfd, const char *path, uint32_t mode, int flags)'),
    fchmod: f('int fchmod(int fd, uint32_t mode)'),
    fchownat: f('int fchownat(int dfd, const char *path, uint32_t uid, uint32_t gid, int flags)'),
    fchown: f('int fchown(int fd, uint32_t uid, uint32_t gid)'),
    faccessat: f('int faccessat(int dfd, const char *path, int mode, int flags)'),
    utimensat: f('int utimensat(int dfd, const char *path, uintptr_t times, int flags)'),
    futimens: f('int futimens(int fd, uintptr_t times)'),
    statx: f('int statx(int dfd, const char *path, int flags, uint32_t mask, uintptr_t buf)'),
    fstatfs: f('int fstatfs64(int fd, uintptr_t buf)'),
    statfs: f('int statfs64(const char *path, uintptr_t buf)'),
    syscall4: f('long syscall(long nr, long a, uintptr_t b, long c)'),
    pipe2: f('int pipe2(uintptr_t fds, int flags)'),
    flock: f('int flock(int fd, int op)'),
    ioctl: f('int ioctl(int fd, unsigned long req, uintptr_t arg)'),
    tcgetattr: f('int tcgetattr(int fd, uintptr_t t)'),
    tcsetattr: f('int tcsetattr(int fd, int act, uintptr_t t)'),
    cfgetispeed: f('uint32_t cfgetispeed(uintptr_t t)'),
    cfgetospeed: f('uint32_t cfgetospeed(uintptr_t t)'),
    cfsetispeed: f('int cfsetispeed(uintptr_t t, uint32_t s)'),
    cfsetospeed: f('int cfsetospeed(uintptr_t t, uint32_t s)'),
    fchdir: f('int fchdir(int fd)'),
    getcwd: f('uintptr_t getcwd(uintptr_t buf, size_t n)'),
    mknodat: f('int mknodat(int dfd, const char *path, uint32_t mode, uint64_t dev)'),
    posix_fallocate: f('int posix_fallocate64(int fd, int64_t off, int64_t len)'),
    copy_file_range: f('int64_t copy_file_range(int infd, uintptr_t inoff, int outfd, uintptr_t outoff, size_t len, uint32_t flags)'),
    sync: f('void sync(void)'),
    memfd_create: f('int memfd_create(const char *name, uint32_t flags)'),
    eventfd: f('int eventfd(uint32_t initval, int flags)'),
  };
  return libc;
}

/** The host errno of the last failed call. */
export const lastErrno = (): number => koffi.errno();

/** Throws Errno (FreeBSD numbering) for a failed libc call (result < 0); returns the result otherwise. */
export function check<T extends number | bigint>(r: T, what?: string): T {
  if (r < 0) {
    const e = koffi.errno();
    throw new Errno(hostErrno(e), what ? `host ${what}: errno ${e}` : undefined);
  }
  return r;
}

/** Like check, for ssize_t results: a number (host transfer counts fit in 53 bits). */
export const checkN = (r: number | bigint, what?: string): number => Number(check(r, what));

/** Host address of a Buffer (for uintptr_t parameters). The caller keeps the Buffer alive. */
export const addrOf = (b: Buffer): number => Number(koffi.address(b));

/** A NUL-terminated copy of a path for `const char *` parameters. */
export function cpath(p: string | Buffer): Buffer {
  const b = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
  const out = Buffer.allocUnsafe(b.length + 1);
  b.copy(out);
  out[b.length] = 0;
  return out;
}

/** Linux x86_64 / aarch64 syscall numbers we issue directly. */
export const HOST_SYS_getdents64 = process.arch === 'arm64' ? 61 : 217;
