// A MemBackend without a host or a CPU: host blocks are JS Buffers at made-up host addresses, files are
// read into them, and every call is recorded so tests can check what the AddressSpace asked for.
import { readSync } from 'node:fs';
import type { HostBlock, MemBackend } from '../../src/mmap/backend.js';

export type Call =
  | { op: 'allocAnon'; len: number; shared: boolean }
  | { op: 'mapFile'; fd: number; off: number; len: number; shared: boolean; writable: boolean }
  | { op: 'release'; addr: number; off: number; len: number }
  | { op: 'ucMap'; addr: number; len: number; perms: number; host: number }
  | { op: 'ucUnmap'; addr: number; len: number }
  | { op: 'invalidate'; start: number; end: number }
  | { op: 'msync'; host: number; len: number; flags: number }
  | { op: 'discard'; host: number; len: number };

export class FakeBackend implements MemBackend {
  readonly calls: Call[] = [];
  readonly files = new Map<number, Buffer>();
  private nextHost = 0x7f0000000000;
  private readonly mem = new Map<number, Buffer>();

  constructor(readonly hostPageSize: number) {}

  private block(len: number, writable: boolean): HostBlock & { buf: Buffer } {
    if (len % this.hostPageSize !== 0) throw new Error(`host block length 0x${len.toString(16)} not host-page aligned`);
    const addr = this.nextHost;
    this.nextHost += len + this.hostPageSize * 16;
    const buf = Buffer.alloc(len);
    this.mem.set(addr, buf);
    return { addr, len, writable, buf };
  }

  allocAnon(len: number, shared = false): HostBlock {
    this.calls.push({ op: 'allocAnon', len, shared });
    return this.block(len, true);
  }

  mapFile(fd: number, off: number, len: number, shared: boolean, writable: boolean): HostBlock {
    if (off % this.hostPageSize !== 0) throw new Error('file offset not host-page aligned');
    this.calls.push({ op: 'mapFile', fd, off, len, shared, writable });
    const b = this.block(len, writable);
    const data = this.files.get(fd);
    if (data) data.copy(b.buf, 0, off, Math.min(data.length, off + len));
    else if (fd >= 0) readSync(fd, b.buf, 0, len, off);
    return b;
  }

  fileId(fd: number): string {
    return `fake:${fd}`;
  }

  fileSize(fd: number): number {
    return this.files.get(fd)?.length ?? 0;
  }

  release(block: HostBlock, off: number, len: number): void {
    if (off % this.hostPageSize || len % this.hostPageSize) throw new Error('release not host-page aligned');
    if (off + len > block.len) throw new Error('release beyond block');
    this.calls.push({ op: 'release', addr: block.addr, off, len });
  }

  ucMap(addr: number, len: number, perms: number, host: number): void {
    if (addr % 4096 || len % 4096) throw new Error('ucMap not page aligned');
    this.calls.push({ op: 'ucMap', addr, len, perms, host });
  }

  ucUnmap(addr: number, len: number): void {
    this.calls.push({ op: 'ucUnmap', addr, len });
  }

  invalidate(start: number, end: number): void {
    this.calls.push({ op: 'invalidate', start, end });
  }

  msync(host: number, len: number, flags: number): void {
    this.calls.push({ op: 'msync', host, len, flags });
  }

  discard(host: number, len: number): void {
    this.calls.push({ op: 'discard', host, len });
  }

  view(block: HostBlock, offset: number, len: number): Buffer {
    return this.mem.get(block.addr)!.subarray(offset, offset + len);
  }

  take<K extends Call['op']>(op: K): Extract<Call, { op: K }>[] {
    return this.calls.filter((c) => c.op === op) as Extract<Call, { op: K }>[];
  }

  reset(): void {
    this.calls.length = 0;
  }
}
