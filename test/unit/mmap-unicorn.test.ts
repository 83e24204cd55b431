// AddressSpace over the real UnicornBackend: host memory through libc, regions through libunicorn.
import { afterEach, describe, expect, it } from 'vitest';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Unicorn, UC_ARCH, UC_MODE, UcErr } from '../../src/cpu/unicorn.js';
import { AddressSpace } from '../../src/mmap/mmap.js';
import { UnicornBackend } from '../../src/mmap/backend.js';
import { MAP, MS, PROT } from '../../src/mmap/consts.js';

const RAX = 35;
const RDI = 39;
const T = 0x1000;
const ANON = MAP.ANON | MAP.PRIVATE;

function vmRssKiB(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  while (cleanup.length) cleanup.pop()!();
});

function setup() {
  const uc = new Unicorn(UC_ARCH.X86, UC_MODE.MODE_64);
  const as = new AddressSpace({ backend: new UnicornBackend(uc), minAddress: 0x1000, maxAddress: 0x800000000000, mmapBase: 0x800000000 });
  cleanup.push(() => uc.close());
  return { uc, as };
}

function tempFile(data: Buffer): { path: string; fd: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bsdemu-mmap-'));
  const path = join(dir, 'f');
  writeFileSync(path, data);
  const fd = openSync(path, 'r+');
  cleanup.push(() => {
    closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  });
  return { path, fd };
}

describe('AddressSpace on Unicorn', () => {
  it('a 1 GiB PROT_NONE reservation costs no host RSS', () => {
    const { uc, as } = setup();
    const before = vmRssKiB();
    const a = as.mmap(0, 2 ** 30, PROT.NONE, ANON, null, 0);
    expect(vmRssKiB() - before).toBeLessThan(16 * 1024);
    // a piece made usable and touched costs only that piece
    as.mprotect(a + 2 ** 29, 16 * T, PROT.READ | PROT.WRITE);
    as.fill(a + 2 ** 29, 16 * T, 1);
    expect(vmRssKiB() - before).toBeLessThan(16 * 1024);
    expect(uc.memRead(a + 2 ** 29, 4)).toEqual(Buffer.from([1, 1, 1, 1]));
    as.munmap(a, 2 ** 30);
  });

  it('host memory given back from inside a block stays reserved until the whole block goes', () => {
    // Go's heap: a big PROT_NONE reservation, MAP_FIXED read-write pieces over it one after another.
    // Host pages handed back from the middle of the reservation's block must never be handed out again
    // while the block lives: its final release unmaps the block's whole host range.
    const uc = new Unicorn(UC_ARCH.X86, UC_MODE.MODE_64);
    cleanup.push(() => uc.close());
    const backend = new UnicornBackend(uc);
    const holes: [number, number][] = [];
    const alloc = backend.allocAnon.bind(backend);
    const release = backend.release.bind(backend);
    let reused = 0;
    backend.allocAnon = (len, shared) => {
      const b = alloc(len, shared);
      if (holes.some(([s, e]) => b.addr < e && s < b.addr + len)) reused++;
      return b;
    };
    backend.release = (block, off, len) => {
      if (off !== 0 || len < block.len) holes.push([block.addr + off, block.addr + off + len]);
      release(block, off, len);
    };
    const as = new AddressSpace({ backend, minAddress: 0x1000, maxAddress: 0x800000000000, mmapBase: 0x800000000 });
    const M = 0x400000;
    const res = as.mmap(0, 16 * M, PROT.NONE, ANON, null, 0);
    for (let i = 0; i < 8; i++) as.mmap(res + i * M, M, PROT.READ | PROT.WRITE, ANON | MAP.FIXED, null, 0);
    // Enough new blocks of the holes' size that the host would have used a hole if it were free.
    const more: number[] = [];
    for (let i = 0; i < 256; i++) {
      more.push(as.mmap(0, M, PROT.READ | PROT.WRITE, ANON, null, 0));
      as.fill(more[i], 1, i & 0xff);
    }
    expect(reused).toBe(0);
    as.munmap(res + 8 * M, 8 * M); // the rest of the reservation: its block goes
    for (let i = 0; i < 256; i++) expect(uc.memRead(more[i], 1)[0]).toBe(i & 0xff);
    for (const a of more) as.munmap(a, M);
  });

  it('MAP_SHARED file: guest writes reach the file, later file writes reach the guest', () => {
    const { uc, as } = setup();
    const { path, fd } = tempFile(Buffer.alloc(2 * T, 0x2e));
    const a = as.mmap(0, 2 * T, PROT.READ | PROT.WRITE, MAP.SHARED, { hostFd: fd, readable: true, writable: true }, 0);
    as.write(a + 10, Buffer.from('guest'));
    uc.memWrite(a + T, Buffer.from('cpu'));
    as.msync(a, 2 * T, MS.SYNC);
    const disk = readFileSync(path);
    expect(disk.subarray(10, 15).toString()).toBe('guest');
    expect(disk.subarray(T, T + 3).toString()).toBe('cpu');
    writeSync(fd, Buffer.from('host'), 0, 4, 100);
    expect(as.read(a + 100, 4).toString()).toBe('host');
    expect(uc.memRead(a + 100, 4).toString()).toBe('host');
  });

  it('private file mapping at a nonzero offset: file contents, writes stay private, beyond EOF unmapped', () => {
    const { uc, as } = setup();
    const data = Buffer.from(Array.from({ length: 3 * T + 100 }, (_, i) => i & 0xff));
    const { path, fd } = tempFile(data);
    const a = as.mmap(0, 3 * T, PROT.READ | PROT.WRITE, MAP.PRIVATE, { hostFd: fd, readable: true, writable: true }, 2 * T + 16);
    expect(a % T).toBe(16);
    expect(as.read(a, 64).equals(data.subarray(2 * T + 16, 2 * T + 80))).toBe(true);
    expect(uc.memRead(a, 8).equals(data.subarray(2 * T + 16, 2 * T + 24))).toBe(true);
    as.write(a, Buffer.from('private'));
    expect(readFileSync(path).subarray(2 * T + 16, 2 * T + 23).equals(data.subarray(2 * T + 16, 2 * T + 23))).toBe(true);
    // file ends 100 bytes into the second page of the mapping: the rest of that page reads zero,
    // the third page is past EOF and not in Unicorn
    const page2 = a - 16 + T;
    expect(as.read(page2 + 100, 16).every((b) => b === 0)).toBe(true);
    expect(as.faultKind(page2 + T, false, false)).toBe('BUS_OBJERR');
    expect(() => uc.memRead(page2 + T, 1)).toThrow(/READ_UNMAPPED|unmapped/i);
  });

  it('mprotect makes Unicorn refuse a guest store', () => {
    const { uc, as } = setup();
    const code = as.mmap(0, T, PROT.READ | PROT.EXEC, ANON, null, 0);
    const data = as.mmap(0, T, PROT.READ | PROT.WRITE, ANON, null, 0);
    as.writeForce(code, Buffer.from([0xc6, 0x07, 0x01])); // mov byte ptr [rdi], 1
    uc.regWrite(RDI, BigInt(data));
    expect(uc.emuStart(BigInt(code), BigInt(code + 3))).toBe(UcErr.OK);
    expect(as.readU8(data)).toBe(1);
    as.mprotect(data, T, PROT.READ);
    expect(uc.emuStart(BigInt(code), BigInt(code + 3))).toBe(UcErr.WRITE_PROT);
    // PROT_NONE pages are not in Unicorn at all; the page flags still say SEGV_ACCERR.
    as.mprotect(data, T, PROT.NONE);
    expect(uc.emuStart(BigInt(code), BigInt(code + 3))).toBe(UcErr.WRITE_UNMAPPED);
    expect(as.faultKind(data, true, false)).toBe('SEGV_ACCERR');
    as.mprotect(data, T, PROT.READ | PROT.WRITE);
    expect(uc.emuStart(BigInt(code), BigInt(code + 3))).toBe(UcErr.OK);
    as.munmap(data, T);
    expect(uc.emuStart(BigInt(code), BigInt(code + 3))).toBe(UcErr.WRITE_UNMAPPED);
  });

  it('code rewritten through writeForce runs anew', () => {
    const { uc, as } = setup();
    const code = as.mmap(0, T, PROT.READ | PROT.EXEC, ANON, null, 0);
    as.writeForce(code, Buffer.from([0xb8, 1, 0, 0, 0])); // mov eax, 1
    expect(uc.emuStart(BigInt(code), BigInt(code + 5))).toBe(UcErr.OK);
    expect(uc.regRead(RAX)).toBe(1n);
    as.writeForce(code + 1, Buffer.from([2]));
    expect(uc.emuStart(BigInt(code), BigInt(code + 5))).toBe(UcErr.OK);
    expect(uc.regRead(RAX)).toBe(2n);
    // and after MAP_FIXED replaces the page with other code
    as.mmap(code, T, PROT.READ | PROT.WRITE, ANON | MAP.FIXED, null, 0);
    as.write(code, Buffer.from([0xb8, 3, 0, 0, 0]));
    as.mprotect(code, T, PROT.READ | PROT.EXEC);
    expect(uc.emuStart(BigInt(code), BigInt(code + 5))).toBe(UcErr.OK);
    expect(uc.regRead(RAX)).toBe(3n);
  });
});
