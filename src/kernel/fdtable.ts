// The guest's descriptor table over real host descriptors. Guest numbers are allocated like FreeBSD's
// (lowest free); host descriptors are always close-on-exec on the host side so the emulator's own
// children never inherit them by accident, and the guest's FD_CLOEXEC is kept here.
import { closeSync } from 'node:fs';
import { Errno, E } from '../abi/errno.js';
import { detachHostFd } from './spawn.js';

export type FileKind = 'file' | 'dir' | 'pipe' | 'tty' | 'socket' | 'kqueue' | 'other';

/** One open file description, shared by dup'ed descriptors. */
export interface OpenFile {
  hostFd: number;
  /** FreeBSD open flags as F_GETFL reports them (access mode, O_APPEND, O_NONBLOCK, ...). */
  flags: number;
  kind: FileKind;
  /** Host path the file was opened by (for fchdir, kern.proc.filedesc, traces). */
  path?: string;
  refs: number;
  /** Directory-reading state for getdirentries. */
  dir?: unknown;
  /** Whether the emulator must not close the host fd (the process's own stdio). */
  keepOpen?: boolean;
  /** Sockets: SO_NOSIGPIPE is set (EPIPE without SIGPIPE). */
  nosigpipe?: boolean;
  /** Sockets: SO_RCVTIMEO / SO_SNDTIMEO in ns (0 or absent: wait forever). */
  rcvtimeo?: bigint;
  sndtimeo?: bigint;
}

export interface FdEntry {
  file: OpenFile;
  cloexec: boolean;
}

/** RLIMIT_NOFILE as reported to the guest. */
export const DEFAULT_NOFILE = 1024;

export class FdTable {
  private readonly slots: (FdEntry | undefined)[] = [];
  limit = DEFAULT_NOFILE;

  get(fd: number): FdEntry {
    const e = fd >= 0 ? this.slots[fd] : undefined;
    if (!e) throw new Errno(E.EBADF);
    return e;
  }

  /** The open file behind a guest descriptor, or EBADF. */
  file(fd: number): OpenFile {
    return this.get(fd).file;
  }

  has(fd: number): boolean {
    return fd >= 0 && this.slots[fd] !== undefined;
  }

  /** Lowest free descriptor ≥ min. */
  lowestFree(min = 0): number {
    for (let i = min; i < this.limit; i++) if (!this.slots[i]) return i;
    throw new Errno(E.EMFILE);
  }

  /** Installs an open file at the lowest free number ≥ min. */
  install(file: OpenFile, cloexec: boolean, min = 0): number {
    const fd = this.lowestFree(min);
    this.slots[fd] = { file, cloexec };
    return fd;
  }

  /** Installs at exactly `fd`, closing what was there (dup2). */
  installAt(fd: number, file: OpenFile, cloexec: boolean): void {
    if (fd < 0 || fd >= this.limit) throw new Errno(E.EBADF);
    if (this.slots[fd]) this.close(fd);
    this.slots[fd] = { file, cloexec };
  }

  close(fd: number): void {
    const e = this.get(fd);
    this.slots[fd] = undefined;
    release(e.file);
  }

  /**
   * A vfork-style child (src/kernel/spawn.ts): the table becomes a copy sharing every open file (one more
   * reference each); returns the parent's, which `restore` puts back, dropping the child's references.
   */
  forkCopy(): (FdEntry | undefined)[] {
    const saved = this.slots.slice();
    for (let i = 0; i < this.slots.length; i++) {
      const e = this.slots[i];
      this.slots[i] = e ? { file: share(e.file), cloexec: e.cloexec } : undefined;
    }
    return saved;
  }

  restore(saved: (FdEntry | undefined)[]): void {
    for (const e of this.slots) if (e) release(e.file);
    this.slots.length = 0;
    this.slots.push(...saved);
  }

  /** Every open descriptor number, ascending. */
  list(): number[] {
    const out: number[] = [];
    this.slots.forEach((e, i) => { if (e) out.push(i); });
    return out;
  }
}

/** Drops one reference to an open file, closing the host descriptor with the last one. */
export function release(file: OpenFile): void {
  if (--file.refs > 0) return;
  if (file.keepOpen) {
    // The emulator's own stdio stays a valid host descriptor, but no longer holds the guest's pipe or
    // file: a reader must see EOF once the guest closed its end (spawn.ts).
    detachHostFd(file.hostFd);
    return;
  }
  try { closeSync(file.hostFd); } catch { /* already gone: nothing to report to the guest */ }
}

export function share(file: OpenFile): OpenFile {
  file.refs++;
  return file;
}
