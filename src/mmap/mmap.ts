// The guest address space: FreeBSD's mmap/munmap/mprotect/msync/madvise/minherit/mincore over a page-flag
// table, with each guest mapping backed by a host block of its own and exposed to Unicorn with
// uc_mem_map_ptr. Argument checks and errno follow FreeBSD's kern_mmap & co. (sys/vm/vm_mmap.c), which
// differ from QEMU bsd-user's in places (see notes/qemu-bsd-user.md §6.9).
import { E, Errno } from '../abi/errno.js';
import {
  PAGE, PAGE_INHERIT_MASK, PAGE_INHERIT_SHIFT, PAGE_MAXPROT_MASK, PAGE_MAXPROT_SHIFT, PAGE_PROT_MASK,
  type FaultKind, type MapFile,
} from './api.js';
import { GuestAccess, type Backing } from './access.js';
import type { MemBackend } from './backend.js';
import {
  INHERIT, MADV, MAP, MAP_32BIT_MAX_ADDR, MAP_ALIGNED_SUPER, MAP_ALIGNMENT_SHIFT, MAP_GUARD_OK, MAP_KNOWN,
  MINCORE_INCORE, MS, PROT, PROT_MAX_SHIFT, SUPERPAGE_SIZE,
} from './consts.js';
import { ExtentMap } from './extents.js';
import { HOST_MS } from '../host/hostmem.js';

export interface AddressSpaceOptions {
  backend: MemBackend;
  targetPageSize?: 4096;
  /** Lowest mappable address (vm_map_min: one page, as security.bsd.map_at_zero=0 makes it). */
  minAddress: number;
  /** One past the highest user address (VM_MAXUSER_ADDRESS; amd64 0x800000000000). */
  maxAddress: number;
  /** Where searches for a free range start when no hint is given (FreeBSD: data + RLIMIT_DATA max). */
  mmapBase: number;
  /** The guest may only use [0, reservedVa). */
  reservedVa?: number;
  /** Every non-PROT_NONE page is readable, as on amd64 (default true). */
  readImplied?: boolean;
  /** `-d page` output. */
  log?: (line: string) => void;
}

/** A Unicorn region: a run of pages with one perms value inside one host block. */
interface UcRegion { start: number; end: number }

const UNMAPPABLE = PAGE.GUARD | PAGE.BEYOND_EOF;
const LEN_LIMIT = 2 ** 64; // size_t wraps here

export class AddressSpace extends GuestAccess {
  protected readonly backend: MemBackend;
  protected readonly pageSize: number;
  protected readonly readImplied: boolean;
  private readonly hostPage: number;
  private readonly minAddress: number;
  /** One past the highest usable address (maxAddress, or reservedVa when lower). */
  private readonly top: number;
  private readonly mmapBase: number;
  private readonly log?: (line: string) => void;
  private readonly regions = new ExtentMap<UcRegion>();

  constructor(opts: AddressSpaceOptions) {
    super();
    this.backend = opts.backend;
    this.pageSize = opts.targetPageSize ?? 4096;
    this.readImplied = opts.readImplied ?? true;
    this.hostPage = Math.max(opts.backend.hostPageSize, this.pageSize);
    this.minAddress = opts.minAddress;
    this.top = opts.reservedVa !== undefined ? Math.min(opts.maxAddress, opts.reservedVa) : opts.maxAddress;
    this.mmapBase = opts.mmapBase;
    this.log = opts.log;
  }

  /** The GuestMemory view of this address space (the object itself). */
  get mem(): this {
    return this;
  }

  private up(n: number, to = this.pageSize): number {
    return Math.ceil(n / to) * to;
  }

  private down(n: number, to = this.pageSize): number {
    return Math.floor(n / to) * to;
  }

  // ---- mmap ----------------------------------------------------------------------------------------

  /**
   * FreeBSD mmap(2). `file` is the resolved descriptor, or null when the guest passed fd -1 (pass any
   * non-null MapFile when fd != -1 but MAP_ANON/STACK/GUARD is set: those only check fd != -1, and
   * FreeBSD's EINVAL comes before its EBADF). Returns the guest address (plus the offset's page part).
   */
  mmap(addr: number, len: number, prot: number, flags: number, file: MapFile | null, offset: number): number {
    try {
      const r = this.doMmap(addr, len, prot, flags >>> 0, file, offset);
      this.log?.(`mmap: addr=0x${addr.toString(16)} len=0x${len.toString(16)} prot=${protStr(prot)} ` +
        `flags=0x${(flags >>> 0).toString(16)} fd=${file ? file.hostFd : -1} off=0x${offset.toString(16)} = 0x${r.toString(16)}`);
      return r;
    } catch (e) {
      if (e instanceof Errno) this.log?.(`mmap: addr=0x${addr.toString(16)} len=0x${len.toString(16)} failed: ${e.message}`);
      throw e;
    }
  }

  private doMmap(addr: number, len: number, prot: number, flags: number, file: MapFile | null, offset: number): number {
    const T = this.pageSize;
    // kern_mmap: PROT_MAX extraction first.
    if ((prot & ~(PROT.ALL | (PROT.ALL << PROT_MAX_SHIFT))) !== 0) throw new Errno(E.EINVAL, 'unknown PROT bits');
    const protMax = (prot >> PROT_MAX_SHIFT) & PROT.ALL;
    prot &= PROT.ALL;
    if (protMax !== 0 && (protMax & prot) !== prot) throw new Errno(E.EOPNOTSUPP, 'prot is not subset of max_prot');
    let maxProt = protMax !== 0 ? protMax : PROT.ALL;

    flags &= ~(MAP.RESERVED0020 | MAP.RESERVED0040);
    if (len === 0 || ((flags & MAP.ANON) !== 0 && (file !== null || offset !== 0))) {
      throw new Errno(E.EINVAL, 'zero length, or MAP_ANON with an fd or offset');
    }
    if (flags & MAP.STACK) {
      if (file !== null || (prot & (PROT.READ | PROT.WRITE)) !== (PROT.READ | PROT.WRITE)) {
        throw new Errno(E.EINVAL, 'MAP_STACK needs fd -1 and PROT_READ|PROT_WRITE');
      }
      flags |= MAP.ANON;
      offset = 0;
    }
    if ((flags & ~MAP_KNOWN & 0x00ffffff) !== 0) throw new Errno(E.EINVAL, 'reserved flag set');
    if ((flags & (MAP.EXCL | MAP.FIXED)) === MAP.EXCL) throw new Errno(E.EINVAL, 'MAP_EXCL without MAP_FIXED');
    if ((flags & (MAP.SHARED | MAP.PRIVATE)) === (MAP.SHARED | MAP.PRIVATE)) {
      throw new Errno(E.EINVAL, 'both MAP_SHARED and MAP_PRIVATE');
    }
    if ((flags & MAP.GUARD) !== 0 &&
        (prot !== PROT.NONE || file !== null || offset !== 0 || (flags & ~MAP_GUARD_OK & 0x00ffffff) !== 0)) {
      throw new Errno(E.EINVAL, 'MAP_GUARD with wrong parameters');
    }

    const pageoff = offset % T;
    const pos = offset - pageoff;
    const size = this.up(len + pageoff);
    if (len + pageoff > LEN_LIMIT - T) throw new Errno(E.ENOMEM, 'length wraps');

    const alignN = flags >>> MAP_ALIGNMENT_SHIFT;
    if (alignN !== 0 && alignN !== MAP_ALIGNED_SUPER >>> MAP_ALIGNMENT_SHIFT && (alignN >= 64 || alignN < 12)) {
      throw new Errno(E.EINVAL, 'bad MAP_ALIGNED');
    }

    const fixed = (flags & MAP.FIXED) !== 0;
    const is32 = (flags & MAP['32BIT']) !== 0;
    if (fixed) {
      addr -= pageoff;
      if (addr % T !== 0) throw new Errno(E.EINVAL, 'fixed mapping not aligned');
      if (!this.rangeValid(addr, addr + size)) throw new Errno(E.EINVAL, 'mapping outside the address space');
      if (is32 && addr + size > MAP_32BIT_MAX_ADDR) throw new Errno(E.EINVAL, 'fixed MAP_32BIT above 2 GiB');
    } else if (is32 && addr + size > MAP_32BIT_MAX_ADDR) {
      addr = 0;
    }

    const anon = (flags & (MAP.ANON | MAP.GUARD)) !== 0;
    const shared = (flags & MAP.SHARED) !== 0;
    if (!anon) {
      if (file === null) throw new Errno(E.EBADF);
      // vm_mmap.c: neither SHARED nor PRIVATE is EINVAL for binaries after P_OSREL_MAP_FSTRICT.
      if ((flags & (MAP.SHARED | MAP.PRIVATE)) === 0) throw new Errno(E.EINVAL, 'neither MAP_SHARED nor MAP_PRIVATE');
      // vn_mmap: the descriptor's access mode bounds the mapping's maximum protection.
      let fileMax: number = PROT.EXEC;
      if (file.readable) fileMax |= PROT.READ;
      else if (prot & PROT.READ) throw new Errno(E.EACCES, 'descriptor not open for reading');
      if (shared) {
        if (file.writable) fileMax |= PROT.WRITE;
        else if (prot & PROT.WRITE) throw new Errno(E.EACCES, 'shared writable mapping of a read-only descriptor');
      } else {
        fileMax |= PROT.WRITE;
      }
      maxProt &= fileMax;
    }

    // Placement.
    let start: number;
    if (fixed) {
      start = addr;
      if ((flags & MAP.EXCL) !== 0 && !this.flags.isEmpty(start, start + size)) {
        throw new Errno(E.ENOMEM, 'MAP_EXCL over an existing mapping');
      }
    } else {
      start = this.findSpace(addr, size, alignN, is32);
    }
    const end = start + size;

    // Build the new mapping before touching the old one, so a host failure leaves the guest unchanged.
    const base = prot | (maxProt << PAGE_MAXPROT_SHIFT) | PAGE.VALID | (INHERIT.COPY << PAGE_INHERIT_SHIFT);
    let backing: Backing | undefined;
    let backedEnd = end;
    if (flags & MAP.GUARD) {
      backedEnd = start;
    } else if (anon) {
      const block = this.backend.allocAnon(this.up(size, this.hostPage), shared);
      backing = newBacking(block, start, 'anon', shared);
    } else {
      const f = file!;
      const fileSize = this.backend.fileSize(f.hostFd);
      const inPages = Math.max(0, Math.min(size / T, Math.ceil((fileSize - pos) / T)));
      backedEnd = start + inPages * T;
      if (inPages > 0) {
        const hostOff = this.down(pos, this.hostPage);
        const delta = pos - hostOff;
        // Rounded to the host page but never past the host page holding EOF: touching a host page
        // wholly beyond EOF would raise SIGBUS in the emulator itself.
        const hostLen = this.up(delta + inPages * T, this.hostPage);
        const block = this.backend.mapFile(f.hostFd, hostOff, hostLen, shared, shared ? f.writable : true);
        backing = newBacking(block, start - delta, 'file', shared);
        backing.fileId = this.backend.fileId(f.hostFd);
        backing.fileOffset = hostOff;
      }
    }

    const released = this.removeRange(start, end);
    if (flags & MAP.GUARD) {
      this.flags.set(start, end, PAGE.VALID | PAGE.GUARD);
    } else {
      this.flags.set(start, backedEnd, base);
      if (backedEnd < end) this.flags.set(backedEnd, end, base | PAGE.BEYOND_EOF);
    }
    if (backing) {
      this.backing.set(start, backedEnd, backing);
      backing.live = (backedEnd - start) / T;
    }
    this.syncUc(start, end);
    this.releaseHost(released);
    return start + pageoff;
  }

  /** vm_map_range_valid: [start, end) inside the user map. */
  private rangeValid(start: number, end: number): boolean {
    return end >= start && start >= this.minAddress && end <= this.top;
  }

  /** First fit from the hint (or mmapBase) upward, then once more from the bottom; ENOMEM if none. */
  private findSpace(hint: number, size: number, alignN: number, is32: boolean): number {
    const T = this.pageSize;
    let align = T;
    if (alignN === MAP_ALIGNED_SUPER >>> MAP_ALIGNMENT_SHIFT) align = size >= SUPERPAGE_SIZE ? SUPERPAGE_SIZE : T;
    else if (alignN !== 0) align = 2 ** alignN;
    const lo = this.minAddress;
    const hi = is32 ? Math.min(this.top, MAP_32BIT_MAX_ADDR) : this.top;
    let from = hint !== 0 ? this.up(hint) : is32 ? lo : this.mmapBase;
    if (from < lo || from >= hi) from = lo;
    let a = this.flags.findFree(from, hi, size, align);
    if (a < 0 && from > lo) a = this.flags.findFree(lo, hi, size, align);
    if (a < 0) throw new Errno(E.ENOMEM, 'no free range');
    return a;
  }

  // ---- unmapping and the host side ---------------------------------------------------------------

  /**
   * Take [start, end) out of the tables (invalidating executable pages) and return the host pieces to
   * give back once Unicorn no longer maps them. The caller re-syncs Unicorn.
   */
  private removeRange(start: number, end: number): { b: Backing; s: number; e: number }[] {
    this.invalidateWhere(start, end, () => true);
    const pieces = [...this.backing.range(start, end)].map((x) => ({ b: x.value, s: x.start, e: x.end }));
    this.flags.set(start, end, 0);
    this.backing.set(start, end, undefined);
    for (const p of pieces) p.b.live -= (p.e - p.s) / this.pageSize;
    return pieces;
  }

  /** Give back host memory no guest page uses any more: whole blocks, or whole host pages of them. */
  private releaseHost(pieces: { b: Backing; s: number; e: number }[]): void {
    const H = this.hostPage;
    const done = new Set<Backing>();
    for (const { b, s, e } of pieces) {
      if (b.live === 0) {
        if (!done.has(b)) this.backend.release(b.block, 0, b.block.len);
        done.add(b);
        b.views.clear();
        continue;
      }
      let hs = this.down(s - b.guestBase, H);
      let he = this.up(e - b.guestBase, H);
      if (this.hostPageUsed(b, hs)) hs += H;
      if (he > hs && this.hostPageUsed(b, he - H)) he -= H;
      he = Math.min(he, b.block.len);
      if (he > hs) this.backend.release(b.block, hs, he - hs);
    }
  }

  private hostPageUsed(b: Backing, off: number): boolean {
    const g = b.guestBase + off;
    for (const x of this.backing.range(g, g + this.hostPage)) if (x.value === b) return true;
    return false;
  }

  /**
   * Make Unicorn's regions over [start, end) match the tables: unmap every region touching the range,
   * then map runs of equal perms within one host block. Guard and beyond-EOF pages stay unmapped.
   */
  private syncUc(start: number, end: number): void {
    let s = start;
    let e = end;
    for (const r of [...this.regions.range(start, end)]) {
      s = Math.min(s, r.value.start);
      e = Math.max(e, r.value.end);
      this.backend.ucUnmap(r.value.start, r.value.end - r.value.start);
      this.regions.set(r.value.start, r.value.end, undefined);
    }
    let run: { start: number; end: number; perms: number; b: Backing } | undefined;
    const flush = () => {
      if (!run) return;
      const host = run.b.block.addr + (run.start - run.b.guestBase);
      this.backend.ucMap(run.start, run.end - run.start, run.perms, host);
      this.regions.set(run.start, run.end, { start: run.start, end: run.end });
      run = undefined;
    };
    for (const seg of this.backing.range(s, e)) {
      for (const f of this.flags.ranges(seg.start, seg.end)) {
        const perms = this.effectiveProt(f.flags);
        // Pages no access reaches stay out of Unicorn: an access faults all the same (the fault's kind
        // comes from the page flags), and Unicorn 2.0.x flushes its TLB page by page when it unmaps a
        // region, ~9 ms for one of Go's 512 MiB PROT_NONE reservations (issue 5).
        if ((f.flags & PAGE.VALID) === 0 || (f.flags & UNMAPPABLE) !== 0 || perms === 0) {
          flush();
          continue;
        }
        if (run && run.end === f.start && run.perms === perms && run.b === seg.value) {
          run.end = f.end;
        } else {
          flush();
          run = { start: f.start, end: f.end, perms, b: seg.value };
        }
      }
    }
    flush();
  }

  /**
   * The emulator wrote [offset, offset+len) of a file (offset undefined: somewhere, e.g. O_APPEND):
   * translated code from executable mappings of those file pages is stale now.
   */
  fileWritten(hostFd: number, offset: bigint | undefined, len: number): void {
    let id: string | undefined;
    for (const x of this.backing.all()) {
      const b = x.value;
      if (b.kind !== 'file') continue;
      id ??= this.backend.fileId(hostFd);
      if (b.fileId !== id) continue;
      let s = x.start, e = x.end;
      if (offset !== undefined) {
        // Guest addresses of the written file bytes, clipped to this extent and widened to pages.
        const lo = Number(offset) - b.fileOffset! + b.guestBase, hi = lo + len;
        if (hi <= s || lo >= e) continue;
        s = Math.max(s, this.down(lo));
        e = Math.min(e, this.up(hi));
      }
      this.invalidateWhere(s, e, () => true);
    }
  }

  invalidateCode(): void {
    this.invalidateWhere(0, Number.MAX_SAFE_INTEGER, () => true);
  }

  /** Translation-cache rule: invalidate executable pages for which `dropping(old)` holds. */
  private invalidateWhere(start: number, end: number, dropping: (old: number) => boolean): void {
    let run: [number, number] | undefined;
    for (const r of this.flags.ranges(start, end)) {
      if ((r.flags & PAGE.EXEC) === 0 || !dropping(r.flags)) continue;
      if (run && run[1] === r.start) run[1] = r.end;
      else {
        if (run) this.backend.invalidate(run[0], run[1]);
        run = [r.start, r.end];
      }
    }
    if (run) this.backend.invalidate(run[0], run[1]);
  }

  /** Page-align addr down and len up, FreeBSD style; EINVAL if the range wraps. */
  private pageRange(addr: number, len: number): [number, number] {
    const pageoff = addr % this.pageSize;
    const start = addr - pageoff;
    const end = start + this.up(len + pageoff);
    if (!Number.isFinite(end) || end < start || end > LEN_LIMIT) throw new Errno(E.EINVAL, 'range wraps');
    return [start, end];
  }

  /** FreeBSD munmap(2): unmapped parts are fine; outside the user map is EINVAL. */
  munmap(addr: number, len: number): void {
    this.log?.(`munmap: addr=0x${addr.toString(16)} len=0x${len.toString(16)}`);
    if (len === 0) throw new Errno(E.EINVAL, 'zero length');
    const [start, end] = this.pageRange(addr, len);
    if (!this.rangeValid(start, end)) throw new Errno(E.EINVAL, 'outside the address space');
    if (this.flags.isEmpty(start, end)) return;
    const released = this.removeRange(start, end);
    this.syncUc(start, end);
    this.releaseHost(released);
  }

  /**
   * FreeBSD mprotect(2): holes are skipped (vm_map_protect does not fail on them), guard pages keep
   * PROT_NONE, asking for more than a page's maximum protection is EACCES.
   */
  mprotect(addr: number, len: number, prot: number): void {
    this.log?.(`mprotect: addr=0x${addr.toString(16)} len=0x${len.toString(16)} prot=${protStr(prot)}`);
    if ((prot & ~(PROT.ALL | (PROT.ALL << PROT_MAX_SHIFT))) !== 0) throw new Errno(E.EINVAL, 'unknown PROT bits');
    const newMax = (prot >> PROT_MAX_SHIFT) & PROT.ALL;
    prot &= PROT.ALL;
    const [start, end] = this.pageRange(addr, len);
    if (start === end) return;
    if (newMax !== 0 && (prot & newMax) !== prot) throw new Errno(E.EOPNOTSUPP, 'prot is not subset of max_prot');
    const s = Math.max(start, this.minAddress);
    const e = Math.min(end, this.top);
    if (e <= s) return;
    const target = (f: number) => (f & PAGE.GUARD) === 0;
    for (const r of this.flags.ranges(s, e)) {
      if (!target(r.flags)) continue;
      const max = (r.flags & PAGE_MAXPROT_MASK) >> PAGE_MAXPROT_SHIFT;
      if ((prot & max) !== prot || (newMax & max) !== newMax) throw new Errno(E.EACCES, 'beyond max_prot');
    }
    this.invalidateWhere(s, e, (old) => target(old) &&
      ((prot & PROT.EXEC) === 0 || ((prot & PROT.WRITE) !== 0 && (old & PAGE.WRITE) === 0)));
    const clear = PAGE_PROT_MASK | (newMax !== 0 ? PAGE_MAXPROT_MASK : 0);
    const set = prot | (newMax << PAGE_MAXPROT_SHIFT);
    this.flags.updateMapped(s, e, set, clear, target);
    this.syncUc(s, e);
  }

  /** FreeBSD msync(2): ENOMEM for unmapped parts (vm_map_sync KERN_INVALID_ADDRESS). */
  msync(addr: number, len: number, flags: number): void {
    const [start, end] = this.pageRange(addr, len);
    if ((flags & (MS.ASYNC | MS.INVALIDATE)) === (MS.ASYNC | MS.INVALIDATE)) throw new Errno(E.EINVAL, 'MS_ASYNC|MS_INVALIDATE');
    const last = Math.max(end, start + this.pageSize);
    if (!this.flags.allHave(start, last, PAGE.VALID)) throw new Errno(E.ENOMEM, 'unmapped range');
    let host = (flags & MS.ASYNC) !== 0 ? HOST_MS.ASYNC : HOST_MS.SYNC;
    if (flags & MS.INVALIDATE) host |= HOST_MS.INVALIDATE;
    const H = this.hostPage;
    for (const seg of this.backing.range(start, end)) {
      const b = seg.value;
      if (b.kind !== 'file' || !b.shared) continue;
      const from = this.down(seg.start - b.guestBase, H);
      const to = Math.min(this.up(seg.end - b.guestBase, H), b.block.len);
      this.backend.msync(b.block.addr + from, to - from, host);
    }
  }

  /**
   * FreeBSD madvise(2). Only MADV_FREE acts: on private anonymous memory it hands whole host pages back
   * (they read as zero afterwards, which FreeBSD allows). MADV_DONTNEED keeps the data, as FreeBSD does;
   * the rest are hints. MADV_PROTECT needs privilege the guest does not have: EPERM.
   */
  madvise(addr: number, len: number, advice: number): void {
    if (advice === MADV.PROTECT) throw new Errno(E.EPERM, 'MADV_PROTECT');
    if (!(addr + len >= addr && addr >= this.minAddress && addr + len <= this.top)) throw new Errno(E.EINVAL, 'bad range');
    if (!Number.isInteger(advice) || advice < MADV.NORMAL || advice > MADV.CORE) throw new Errno(E.EINVAL, 'bad advice');
    const start = this.down(addr);
    const end = this.up(addr + len);
    if (advice !== MADV.FREE || start === end) return;
    const H = this.hostPage;
    for (const seg of this.backing.range(start, end)) {
      const b = seg.value;
      if (b.kind !== 'anon' || b.shared) continue;
      const from = this.up(seg.start - b.guestBase, H);
      const to = Math.min(this.down(seg.end - b.guestBase, H), b.block.len);
      if (to > from) this.backend.discard(b.block.addr + from, to - from);
    }
  }

  /** FreeBSD minherit(2): record the setting (fork uses it); guard pages never take INHERIT_ZERO. */
  minherit(addr: number, len: number, inherit: number): void {
    const [start, end] = this.pageRange(addr, len);
    if (!Object.values(INHERIT).includes(inherit as 0)) throw new Errno(E.EINVAL, 'bad inherit');
    const s = Math.max(start, this.minAddress);
    const e = Math.min(end, this.top);
    if (e <= s) return;
    this.flags.updateMapped(s, e, inherit << PAGE_INHERIT_SHIFT, PAGE_INHERIT_MASK,
      (f) => (f & PAGE.GUARD) === 0 || inherit !== INHERIT.ZERO);
  }

  /** FreeBSD mincore(2): one byte per page, MINCORE_INCORE for pages that hold memory; ENOMEM for holes. */
  mincore(addr: number, len: number): Uint8Array {
    const start = this.down(addr);
    const end = this.up(addr + len);
    if (end > this.top || end < start) throw new Errno(E.ENOMEM, 'outside the address space');
    if (!this.flags.allHave(start, end, PAGE.VALID)) throw new Errno(E.ENOMEM, 'unmapped range');
    const out = new Uint8Array((end - start) / this.pageSize);
    for (const r of this.flags.ranges(start, end)) {
      if (r.flags & UNMAPPABLE) continue;
      out.fill(MINCORE_INCORE, (r.start - start) / this.pageSize, (r.end - start) / this.pageSize);
    }
    return out;
  }

  /** PAGE flags of the page holding `addr`. */
  pageFlags(addr: number): number {
    return this.flags.get(this.down(addr));
  }

  /** The signal a guest fault at `addr` becomes (FreeBSD trap_pfault / vm_fault results). */
  faultKind(addr: number, _write: boolean, _exec: boolean): FaultKind {
    const f = this.pageFlags(addr);
    if ((f & PAGE.VALID) === 0 || (f & PAGE.GUARD) !== 0) return 'SEGV_MAPERR';
    if (f & PAGE.BEYOND_EOF) return 'BUS_OBJERR';
    // Any other fault on a mapped page is a protection failure, whatever the access was.
    return 'SEGV_ACCERR';
  }

  /** Is no page of [addr, addr+len) mapped? (loader, brk) */
  isFree(addr: number, len: number): boolean {
    return this.flags.isEmpty(this.down(addr), this.up(addr + len));
  }

  dump(): string {
    return this.flags.dump();
  }
}

function newBacking(block: Backing['block'], guestBase: number, kind: Backing['kind'], shared: boolean): Backing {
  return { block, guestBase, kind, shared, live: 0, views: new Map() };
}

function protStr(p: number): string {
  return (p & 1 ? 'r' : '-') + (p & 2 ? 'w' : '-') + (p & 4 ? 'x' : '-');
}
