// Host BSD-socket calls through libc (koffi). Node's net module is asynchronous and owns its descriptors;
// the guest needs real host descriptors that it drives synchronously. Host values only.
import koffi from 'koffi';

export interface SockLib {
  socket(domain: number, type: number, proto: number): number;
  socketpair(domain: number, type: number, proto: number, sv: number): number;
  bind(fd: number, sa: number, len: number): number;
  listen(fd: number, backlog: number): number;
  accept4(fd: number, sa: number, lenp: number, flags: number): number;
  connect(fd: number, sa: number, len: number): number;
  getsockname(fd: number, sa: number, lenp: number): number;
  getpeername(fd: number, sa: number, lenp: number): number;
  setsockopt(fd: number, level: number, name: number, val: number, len: number): number;
  getsockopt(fd: number, level: number, name: number, val: number, lenp: number): number;
  shutdown(fd: number, how: number): number;
  sendto(fd: number, buf: number, n: number, flags: number, sa: number, len: number): number | bigint;
  recvfrom(fd: number, buf: number, n: number, flags: number, sa: number, lenp: number): number | bigint;
  sendmsg(fd: number, msg: number, flags: number): number | bigint;
  recvmsg(fd: number, msg: number, flags: number): number | bigint;
}

let lib: SockLib | undefined;
export function sockLib(): SockLib {
  if (lib) return lib;
  const h = koffi.load(process.platform === 'darwin' ? 'libc.dylib' : 'libc.so.6');
  const f = (proto: string) => h.func(proto) as never;
  lib = {
    socket: f('int socket(int domain, int type, int proto)'),
    socketpair: f('int socketpair(int domain, int type, int proto, uintptr_t sv)'),
    bind: f('int bind(int fd, uintptr_t sa, uint32_t len)'),
    listen: f('int listen(int fd, int backlog)'),
    accept4: f('int accept4(int fd, uintptr_t sa, uintptr_t lenp, int flags)'),
    connect: f('int connect(int fd, uintptr_t sa, uint32_t len)'),
    getsockname: f('int getsockname(int fd, uintptr_t sa, uintptr_t lenp)'),
    getpeername: f('int getpeername(int fd, uintptr_t sa, uintptr_t lenp)'),
    setsockopt: f('int setsockopt(int fd, int level, int name, uintptr_t val, uint32_t len)'),
    getsockopt: f('int getsockopt(int fd, int level, int name, uintptr_t val, uintptr_t lenp)'),
    shutdown: f('int shutdown(int fd, int how)'),
    sendto: f('int64_t sendto(int fd, uintptr_t buf, size_t n, int flags, uintptr_t sa, uint32_t len)'),
    recvfrom: f('int64_t recvfrom(int fd, uintptr_t buf, size_t n, int flags, uintptr_t sa, uintptr_t lenp)'),
    sendmsg: f('int64_t sendmsg(int fd, uintptr_t msg, int flags)'),
    recvmsg: f('int64_t recvmsg(int fd, uintptr_t msg, int flags)'),
  };
  return lib;
}
