// The shape of the syscall table and of a handler's view of the world.
import type { Process } from '../kernel/process.js';
import type { GuestMemory } from '../mmap/api.js';

/**
 * How --strace shows an argument. Kinds that need another argument (a buffer's length) name its index.
 * 'int' signed 32-bit; 'uint' unsigned 32-bit; 'long' signed 64-bit; 'ulong'/'size' unsigned 64-bit;
 * 'hex' any word in hex; 'ptr' an address (NULL shown as 0x0); 'fd' a descriptor (AT_FDCWD named);
 * 'path'/'str' a guest C string; 'buf'/'obuf' bytes in/out (length from arg `len`); the rest are flag
 * or enum decoders.
 */
export type ArgKind =
  | 'int' | 'uint' | 'long' | 'ulong' | 'size' | 'hex' | 'ptr' | 'fd' | 'atfd' | 'path' | 'str'
  | 'buf' | 'obuf' | 'oflags' | 'mode' | 'prot' | 'mmapflags' | 'signal' | 'whence' | 'fcntlcmd'
  | 'ioctl' | 'clockid' | 'sigprocmaskhow' | 'atflags' | 'mib' | 'octal' | 'sysarch' | 'madvise'
  | 'access' | 'umtxop' | 'rlimit' | 'sigset' | 'timespec'
  | 'flockop' | 'pathconf' | 'procctl' | 'schedpolicy'
  /** A FreeBSD socket address (length from arg `len`). */
  | 'sockaddr';

export interface ArgSpec {
  kind: ArgKind;
  /** For buf/obuf/mib: index of the argument holding the length (count of ints for mib). */
  len?: number;
}

/** What the syscall returns, for --strace: 'int' decimal, 'hex', 'ptr', or 'none' (exit). */
export type RetKind = 'int' | 'hex' | 'ptr' | 'none';

/**
 * A handler gets the raw argument words and returns the first result word (number or bigint); it may
 * set `ctx.rv1` for a second word (pipe, fork). It fails by throwing Errno (ERESTART re-executes the
 * syscall); returning JUST_RETURN leaves the registers as the handler set them.
 */
export type Handler = (ctx: SyscallCtx, a: BigUint64Array) => number | bigint | typeof JUST_RETURN;

export const JUST_RETURN: unique symbol = Symbol('EJUSTRETURN');

export interface SyscallDef {
  nr: number;
  name: string;
  args: ArgSpec[];
  ret?: RetKind;
  handler: Handler;
}

export interface SyscallCtx {
  readonly proc: Process;
  readonly mem: GuestMemory;
  /** Second result word (rdx / x1); undefined before each call: the arch's default (Cpu.syscallReturn). */
  rv1: bigint | undefined;
  /** Extra text appended to the --strace line (decoded out-parameters); only set when tracing. */
  note?: string;
}

/** Shorthand for building tables: `sys(3, 'read', 'fd obuf:2 size', handler)`. */
export function sys(nr: number, name: string, argSpec: string, handler: Handler, ret: RetKind = 'int'): SyscallDef {
  const args: ArgSpec[] = argSpec.trim() === '' ? [] : argSpec.trim().split(/\s+/).map((t) => {
    const [kind, len] = t.split(':');
    return len === undefined ? { kind: kind as ArgKind } : { kind: kind as ArgKind, len: Number(len) };
  });
  return { nr, name, args, ret, handler };
}
