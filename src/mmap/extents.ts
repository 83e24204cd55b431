// A sorted list of disjoint [start, end) extents, each carrying a value: the storage behind the page-flag
// table and the guest→host backing map. Ranges, not pages, so a 1 GiB reservation is one entry.
// Adjacent extents whose values are `eq` are merged, so the list stays as short as the mapping is simple.

export interface Extent<V> {
  start: number;
  end: number;
  value: V;
}

export class ExtentMap<V> {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly values: V[] = [];

  constructor(private readonly eq: (a: V, b: V) => boolean = (a, b) => a === b) {}

  get size(): number {
    return this.starts.length;
  }

  /** Index of the first extent whose end is above `addr` (it may start above `addr` too). */
  private firstEndingAfter(addr: number): number {
    let lo = 0;
    let hi = this.ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ends[mid] <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The extent containing `addr`, if any. */
  find(addr: number): Extent<V> | undefined {
    const i = this.firstEndingAfter(addr);
    if (i < this.starts.length && this.starts[i] <= addr) {
      return { start: this.starts[i], end: this.ends[i], value: this.values[i] };
    }
    return undefined;
  }

  /** The value of the one extent holding all of [start, end), or undefined (no iterator, no allocation). */
  covering(start: number, end: number): V | undefined {
    const i = this.firstEndingAfter(start);
    return i < this.starts.length && this.starts[i] <= start && this.ends[i] >= end ? this.values[i] : undefined;
  }

  get(addr: number): V | undefined {
    const i = this.firstEndingAfter(addr);
    return i < this.starts.length && this.starts[i] <= addr ? this.values[i] : undefined;
  }

  /** Extents overlapping [start, end), clipped to it, in address order. */
  *range(start: number, end: number): IterableIterator<Extent<V>> {
    for (let i = this.firstEndingAfter(start); i < this.starts.length && this.starts[i] < end; i++) {
      yield { start: Math.max(this.starts[i], start), end: Math.min(this.ends[i], end), value: this.values[i] };
    }
  }

  /** Every extent, unclipped. */
  *all(): IterableIterator<Extent<V>> {
    for (let i = 0; i < this.starts.length; i++) yield { start: this.starts[i], end: this.ends[i], value: this.values[i] };
  }

  /** Replace [start, end) with `value` (undefined: make it empty). */
  set(start: number, end: number, value: V | undefined): void {
    if (end <= start) return;
    let i = this.firstEndingAfter(start);
    const add: Extent<V>[] = [];
    // Keep the part of the first overlapping extent that lies below `start`.
    if (i < this.starts.length && this.starts[i] < start) {
      add.push({ start: this.starts[i], end: start, value: this.values[i] });
    }
    let j = i;
    while (j < this.starts.length && this.starts[j] < end) j++;
    // Keep the part of the last overlapping extent that lies above `end`.
    let tail: Extent<V> | undefined;
    if (j > i && this.ends[j - 1] > end) tail = { start: end, end: this.ends[j - 1], value: this.values[j - 1] };
    if (value !== undefined) add.push({ start, end, value });
    if (tail) add.push(tail);
    // Merge with the untouched neighbours when values are equal.
    if (i > 0 && add.length && this.ends[i - 1] === add[0].start && this.eq(this.values[i - 1], add[0].value)) {
      i--;
      add[0] = { start: this.starts[i], end: add[0].end, value: add[0].value };
    }
    const last = add[add.length - 1];
    if (j < this.starts.length && last && last.end === this.starts[j] && this.eq(this.values[j], last.value)) {
      add[add.length - 1] = { start: last.start, end: this.ends[j], value: last.value };
      j++;
    }
    // Merge inside the new pieces (e.g. kept head equal to the new value).
    const merged: Extent<V>[] = [];
    for (const e of add) {
      const m = merged[merged.length - 1];
      if (m && m.end === e.start && this.eq(m.value, e.value)) m.end = e.end;
      else merged.push({ ...e });
    }
    this.starts.splice(i, j - i, ...merged.map((e) => e.start));
    this.ends.splice(i, j - i, ...merged.map((e) => e.end));
    this.values.splice(i, j - i, ...merged.map((e) => e.value));
  }

  /** Rewrite the values of the present extents in [start, end) with `fn` (undefined result: remove). */
  map(start: number, end: number, fn: (v: V, s: number, e: number) => V | undefined): void {
    const parts = [...this.range(start, end)];
    for (const p of parts) this.set(p.start, p.end, fn(p.value, p.start, p.end));
  }

  /** Is no address of [start, end) covered? */
  isEmpty(start: number, end: number): boolean {
    const i = this.firstEndingAfter(start);
    return i >= this.starts.length || this.starts[i] >= end;
  }

  /** Is every address of [start, end) covered (by values satisfying `pred`, when given)? */
  covers(start: number, end: number, pred?: (v: V) => boolean): boolean {
    let at = start;
    for (const e of this.range(start, end)) {
      if (e.start > at) return false;
      if (pred && !pred(e.value)) return false;
      at = e.end;
    }
    return at >= end;
  }

  /**
   * Lowest address a ≥ from, a multiple of `align`, with [a, a+len) inside [from, to) and empty;
   * -1 when none.
   */
  findFree(from: number, to: number, len: number, align: number): number {
    const up = (x: number) => Math.ceil(x / align) * align;
    let a = up(from);
    let i = this.firstEndingAfter(a);
    while (a + len <= to) {
      if (i >= this.starts.length || this.starts[i] >= a + len) return a;
      a = up(this.ends[i]);
      i++;
      while (i < this.starts.length && this.ends[i] <= a) i++;
    }
    return -1;
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.values.length = 0;
  }
}
