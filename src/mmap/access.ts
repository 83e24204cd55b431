// Guest memory as the emulator reads and writes it (GuestMemory), on top of the page-flag table and the
// guest→host backing map that AddressSpace maintains. Every access is checked against the guest's
// protections the way the FreeBSD kernel's copyin/copyout would see them, and lands directly in the host
// block behind the mapping (no copy through Unicorn).
import { E, Errno } from '../abi/errno.js';
import { PAGE, PAGE_PROT_MASK, type GuestMemory } from './api.js';
import type { HostBlock, MemBackend } from './backend.js';
import { ExtentMap } from './extents.js';
import { PageFlags } from './pageflags.js';

/** One guest mapping's host memory: guest address a lives at host `block.addr + (a - guestBase)`. */
export interface Backing {
  block: HostBlock;
  guestBase: number;
  kind: 'anon' | 'file';
  shared: boolean;
  /** For file mappings: the file's identity and the file offset that guestBase corresponds to. */
  fileId?: string;
  fileOffset?: number;
  /** Target pages still mapped from this block; at 0 the whole block goes back to the host. */
  live: number;
  /** Cached Buffers over windows of the block (index = offset / VIEW_WINDOW). */
  views: Map<number, Buffer>;
}

/** Buffers over native memory are made per window: one Buffer cannot span more than ~4 GiB. */
const VIEW_WINDOW = 2 ** 30;
/** What a checked access needs of every page it touches. */
const enum Need { Read, Write, Force }
const BAD = PAGE.GUARD | PAGE.BEYOND_EOF;

export abstract class GuestAccess implements GuestMemory {
  protected readonly flags = new PageFlags();
  protected readonly backing = new ExtentMap<Backing>();
  protected abstract readonly backend: MemBackend;
  protected abstract readonly pageSize: number;
  /** amd64 (and arm64) pmaps make every non-PROT_NONE page readable: exec-only and write-only included. */
  protected abstract readonly readImplied: boolean;

  /** Guest protection bits as the MMU enforces them. */
  protected effectiveProt(flags: number): number {
    const p = flags & PAGE_PROT_MASK;
    return this.readImplied && p !== 0 ? p | PAGE.READ : p;
  }

  private pageOk(flags: number, need: Need): boolean {
    if ((flags & PAGE.VALID) === 0 || (flags & BAD) !== 0) return false;
    if (need === Need.Force) return true;
    return (this.effectiveProt(flags) & (need === Need.Write ? PAGE.WRITE : PAGE.READ)) !== 0;
  }

  private check(addr: number, len: number, need: Need): boolean {
    if (!Number.isSafeInteger(addr) || addr < 0 || !Number.isSafeInteger(addr + len)) return false;
    const ps = this.pageSize;
    const start = addr - (addr % ps);
    const end = Math.ceil((addr + len) / ps) * ps;
    // Fast path (the syscall path, issue 5): one range holds it all, no iterator.
    const one = this.flags.covering(start, end);
    if (one !== undefined) return this.pageOk(one, need);
    let at = start;
    for (const r of this.flags.ranges(start, end)) {
      if (r.start !== at || !this.pageOk(r.flags, need)) return false;
      at = r.end;
    }
    return at >= end;
  }

  /** The cached Buffer over the view window holding block offset `off`, and `off`'s place in it. */
  private view(b: Backing, off: number): { buf: Buffer; at: number } {
    const w = Math.floor(off / VIEW_WINDOW);
    let buf = b.views.get(w);
    if (!buf) {
      const base = w * VIEW_WINDOW;
      buf = this.backend.view(b.block, base, Math.min(VIEW_WINDOW, b.block.len - base));
      b.views.set(w, buf);
    }
    return { buf, at: off - w * VIEW_WINDOW };
  }

  /** Calls fn for each piece of [addr, addr+len) that is contiguous in one Buffer; EFAULT if not allowed. */
  private each(addr: number, len: number, need: Need, fn: (buf: Buffer, at: number, done: number, n: number) => void): void {
    if (len === 0) return;
    if (!this.check(addr, len, need)) throw new Errno(E.EFAULT);
    // Fast path (the syscall path, issue 5): one backing extent and one view window hold it all.
    const one = this.backing.find(addr);
    if (one && one.end >= addr + len) {
      const b = one.value;
      if (need !== Need.Read && !b.block.writable) throw new Errno(E.EFAULT);
      const off = addr - b.guestBase;
      if ((off % VIEW_WINDOW) + len <= VIEW_WINDOW) {
        const { buf, at } = this.view(b, off);
        fn(buf, at, 0, len);
        return;
      }
    }
    let done = 0;
    for (const e of this.backing.range(addr, addr + len)) {
      if (e.start !== addr + done) throw new Errno(E.EFAULT);
      const b = e.value;
      if (need !== Need.Read && !b.block.writable) throw new Errno(E.EFAULT);
      let off = e.start - b.guestBase;
      let left = e.end - e.start;
      while (left > 0) {
        const n = Math.min(left, VIEW_WINDOW - (off % VIEW_WINDOW));
        const { buf, at } = this.view(b, off);
        fn(buf, at, done, n);
        done += n;
        off += n;
        left -= n;
      }
    }
    if (done !== len) throw new Errno(E.EFAULT);
  }

  /** Drop translated code after the emulator wrote [addr, addr+len) if any of it is executable. */
  wrote(addr: number, len: number): void {
    const ps = this.pageSize;
    const start = addr - (addr % ps);
    const end = Math.ceil((addr + len) / ps) * ps;
    const one = this.flags.covering(start, end);
    if (one !== undefined && (one & PAGE.EXEC) === 0) return; // fast path: plain data
    for (const r of this.flags.ranges(start, end)) {
      if (r.flags & PAGE.EXEC) this.backend.invalidate(r.start, r.end);
    }
  }

  read(addr: number, len: number): Buffer {
    const out = Buffer.allocUnsafe(len);
    this.readInto(addr, out);
    return out;
  }

  readInto(addr: number, out: Uint8Array): void {
    this.each(addr, out.length, Need.Read, (buf, at, done, n) => out.set(buf.subarray(at, at + n), done));
  }

  write(addr: number, data: Uint8Array): void {
    this.each(addr, data.length, Need.Write, (buf, at, done, n) => buf.set(data.subarray(done, done + n), at));
    this.wrote(addr, data.length);
  }

  writeForce(addr: number, data: Uint8Array): void {
    this.each(addr, data.length, Need.Force, (buf, at, done, n) => buf.set(data.subarray(done, done + n), at));
    this.wrote(addr, data.length);
  }

  fill(addr: number, len: number, byte: number): void {
    this.each(addr, len, Need.Write, (buf, at, _done, n) => buf.fill(byte, at, at + n));
    this.wrote(addr, len);
  }

  private readonly scratch = Buffer.alloc(8);
  private small(addr: number, n: number): Buffer {
    const s = this.scratch.subarray(0, n);
    this.readInto(addr, s);
    return s;
  }

  readU8(addr: number): number { return this.small(addr, 1)[0]; }
  readU16(addr: number): number { return this.small(addr, 2).readUInt16LE(0); }
  readU32(addr: number): number { return this.small(addr, 4).readUInt32LE(0); }
  readI32(addr: number): number { return this.small(addr, 4).readInt32LE(0); }
  readU64(addr: number): bigint { return this.small(addr, 8).readBigUInt64LE(0); }
  readI64(addr: number): bigint { return this.small(addr, 8).readBigInt64LE(0); }
  readPtr(addr: number): number { return Number(this.readU64(addr)); }

  writeU8(addr: number, v: number): void { this.write(addr, Uint8Array.of(v & 0xff)); }
  writeU16(addr: number, v: number): void { const b = Buffer.alloc(2); b.writeUInt16LE(v & 0xffff); this.write(addr, b); }
  writeU32(addr: number, v: number): void { const b = Buffer.alloc(4); b.writeUInt32LE(v >>> 0); this.write(addr, b); }
  writeU64(addr: number, v: bigint | number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)));
    this.write(addr, b);
  }

  /**
   * Bytes up to the NUL, copyinstr-style: `max` counts the NUL, so a string of `max` or more bytes is
   * ENAMETOOLONG (pass MAXPATHLEN = 1024 for paths). EFAULT when unreadable memory comes first.
   */
  readCStringBytes(addr: number, max = Number.MAX_SAFE_INTEGER): Buffer {
    const parts: Buffer[] = [];
    let total = 0;
    let at = addr;
    const ps = this.pageSize;
    for (;;) {
      const n = Math.min(ps - (at % ps), max - total);
      if (n <= 0) throw new Errno(E.ENAMETOOLONG);
      let found = -1;
      this.each(at, n, Need.Read, (buf, off, done, len) => {
        if (found >= 0) return;
        const i = buf.indexOf(0, off);
        if (i >= 0 && i < off + len) {
          found = done + (i - off);
          parts.push(Buffer.from(buf.subarray(off, i)));
        } else {
          parts.push(Buffer.from(buf.subarray(off, off + len)));
        }
      });
      if (found >= 0) return Buffer.concat(parts);
      total += n;
      at += n;
    }
  }

  readCString(addr: number, max?: number): string {
    return this.readCStringBytes(addr, max).toString('utf8');
  }

  hostAddress(addr: number, len: number, write: boolean): number {
    if (len === 0) return 0;
    if (!this.check(addr, len, write ? Need.Write : Need.Read)) throw new Errno(E.EFAULT);
    const e = this.backing.find(addr);
    if (!e) throw new Errno(E.EFAULT);
    if (write && !e.value.block.writable) throw new Errno(E.EFAULT);
    if (e.end < addr + len) return -1;
    return e.value.block.addr + (addr - e.value.guestBase);
  }

  hostView(addr: number, len: number, write: boolean): Buffer | null {
    if (len === 0) return Buffer.alloc(0);
    let out: Buffer | null = null;
    let pieces = 0;
    this.each(addr, len, write ? Need.Write : Need.Read, (buf, at, _d, n) => {
      pieces++;
      out = buf.subarray(at, at + n);
    });
    return pieces === 1 ? out : null;
  }

  accessible(addr: number, len: number, write: boolean): boolean {
    if (len === 0) return true;
    if (!this.check(addr, len, write ? Need.Write : Need.Read)) return false;
    if (!write) return true;
    for (const e of this.backing.range(addr, addr + len)) if (!e.value.block.writable) return false;
    return true;
  }
}
