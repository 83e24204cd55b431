// The page-flag table: PAGE bits per target page, stored as ranges (QEMU keeps an interval tree for the
// same reason: a guest may reserve gigabytes it never touches). Addresses given to it are page-aligned
// by the caller; an address with no entry has flags 0 (not VALID).
import { ExtentMap, type Extent } from './extents.js';
import { PAGE, PAGE_MAXPROT_SHIFT, PAGE_PROT_MASK } from './api.js';

export interface FlagRange {
  start: number;
  end: number;
  flags: number;
}

export class PageFlags {
  private readonly map = new ExtentMap<number>();

  /** Flags of the page holding `addr` (0 when unmapped). */
  get(addr: number): number {
    return this.map.get(addr) ?? 0;
  }

  /** Flags of [start, end) when one range holds all of it (the common case of a syscall buffer), else undefined. */
  covering(start: number, end: number): number | undefined {
    return this.map.covering(start, end);
  }

  /** Replace the flags of [start, end); 0 unmaps. */
  set(start: number, end: number, flags: number): void {
    this.map.set(start, end, flags === 0 ? undefined : flags);
  }

  /** flags = (flags & ~clear) | set for every page of [start, end), mapped or not; a 0 result unmaps. */
  update(start: number, end: number, set: number, clear: number): void {
    let at = start;
    const parts: FlagRange[] = [];
    for (const e of this.map.range(start, end)) {
      if (e.start > at) parts.push({ start: at, end: e.start, flags: set });
      parts.push({ start: e.start, end: e.end, flags: (e.value & ~clear) | set });
      at = e.end;
    }
    if (at < end) parts.push({ start: at, end, flags: set });
    for (const p of parts) this.set(p.start, p.end, p.flags);
  }

  /** Like `update`, but only pages that are mapped and pass `filter` change. */
  updateMapped(start: number, end: number, set: number, clear: number, filter?: (flags: number) => boolean): void {
    this.map.map(start, end, (v) => (filter && !filter(v) ? v : (v & ~clear) | set || undefined));
  }

  /** No page of [start, end) is mapped. */
  isEmpty(start: number, end: number): boolean {
    return this.map.isEmpty(start, end);
  }

  /** Every page of [start, end) is mapped and has all of `flags`. */
  allHave(start: number, end: number, flags: number): boolean {
    return this.map.covers(start, end, (v) => (v & flags) === flags);
  }

  /** Lowest `align`-aligned a ≥ from with [a, a+len) free and inside [from, to); -1 when none. */
  findFree(from: number, to: number, len: number, align: number): number {
    return this.map.findFree(from, to, len, align);
  }

  /** Mapped ranges overlapping [start, end) (clipped), or all of them. */
  *ranges(start = 0, end = Number.MAX_SAFE_INTEGER): IterableIterator<FlagRange> {
    for (const e of this.map.range(start, end)) yield toRange(e);
  }

  [Symbol.iterator](): IterableIterator<FlagRange> {
    return this.ranges();
  }

  /** Table for `-d page`, one line per range: start, end, size, rwx (maximum protection) and markers. */
  dump(): string {
    const hex = (n: number) => n.toString(16).padStart(12, '0');
    const rwx = (p: number) => (p & 1 ? 'r' : '-') + (p & 2 ? 'w' : '-') + (p & 4 ? 'x' : '-');
    const lines = [`${'start'.padEnd(12)} ${'end'.padEnd(12)} ${'size'.padEnd(12)} prot max  notes`];
    for (const r of this.ranges()) {
      const notes = [r.flags & PAGE.GUARD ? 'guard' : '', r.flags & PAGE.BEYOND_EOF ? 'beyond-eof' : '']
        .filter(Boolean)
        .join(',');
      lines.push(
        `${hex(r.start)} ${hex(r.end)} ${hex(r.end - r.start)} ${rwx(r.flags & PAGE_PROT_MASK)}  ` +
          `${rwx(r.flags >> PAGE_MAXPROT_SHIFT)}  ${notes}`.trimEnd(),
      );
    }
    return lines.join('\n') + '\n';
  }
}

function toRange(e: Extent<number>): FlagRange {
  return { start: e.start, end: e.end, flags: e.value };
}
