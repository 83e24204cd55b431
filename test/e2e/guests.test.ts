// Every freestanding guest program through the real CLI, on both architectures: stdout compared byte for
// byte with guest-binaries/expected/[<arch>/]<name>.stdout, exit status and stderr exactly, side effects
// checked.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARCHES, assertNoStackTrace, expectedStdout, guestFor, run, type GuestArch } from '../helpers.js';

interface Case {
  name: string;
  args?: string[];
  env?: Record<string, string>;
  /** Pass an empty temporary directory as argv[1]; the program must leave it empty. */
  dir?: boolean;
  status: number;
  /** Expected stderr (regexp for lines with addresses); empty when omitted. */
  stderr?: RegExp;
}

const cases = (arch: GuestArch): Case[] => [
  { name: 'hello', status: 0 },
  { name: 'exit42', status: 42 },
  { name: 'startup', args: ['alpha', 'beta gamma'], env: { BSDEMU_TEST: '42' }, status: 0 },
  { name: 'mmap', dir: true, status: 0 },
  { name: 'smc', dir: true, status: 0 },
  { name: 'files', dir: true, status: 0 },
  { name: 'syscalls2', dir: true, status: 0 },
  { name: 'libcstart', status: 0 },
  { name: 'signals', status: 0 },
  { name: 'itimer', status: 0 },
  { name: 'getpid_loop', args: ['1000'], status: 0 },
  { name: 'threads', status: 0 },
  { name: 'sockets', dir: true, status: 0 },
  { name: 'spawn', status: 0 },
  { name: 'fault', status: 139, stderr: /^bsdemu: guest terminated by signal 11 \(SIGSEGV\) at pc 0x[0-9a-f]+\n$/ },
  { name: 'ill', status: 132, stderr: /^bsdemu: guest terminated by signal 4 \(SIGILL\) at pc 0x[0-9a-f]+\n$/ },
  // arm64 integer division does not trap: the quotient is 0 and the program goes on.
  arch === 'amd64'
    ? { name: 'divzero', status: 136, stderr: /^bsdemu: guest terminated by signal 8 \(SIGFPE\) at pc 0x[0-9a-f]+\n$/ }
    : { name: 'divzero', status: 0 },
];

describe.each(ARCHES)('guest programs (%s)', (arch) => {
  const guest = (name: string) => guestFor(arch, name);
  for (const c of cases(arch)) {
    it(c.name, () => {
      const dir = c.dir ? mkdtempSync(join(tmpdir(), `bsdemu-${c.name}-`)) : undefined;
      try {
        const args = [guest(c.name), ...(dir ? [dir] : []), ...(c.args ?? [])];
        const r = run(args, { env: { ...process.env, ...c.env } });
        assertNoStackTrace(r.stderr);
        expect(r.stdout).toBe(expectedStdout(c.name, arch));
        if (c.stderr) expect(r.stderr).toMatch(c.stderr);
        else expect(r.stderr).toBe('');
        expect(r.status).toBe(c.status);
        if (dir) expect(readdirSync(dir)).toEqual([]);
      } finally {
        if (dir) rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('an ITIMER_REAL alarm with the default action ends the guest (exit 142)', () => {
    const r = run([guest('itimer'), 'die']);
    expect(r.stdout).toBe('waiting for the alarm\n');
    expect(r.stderr).toMatch(/^bsdemu: guest terminated by signal 14 \(SIGALRM\) at pc 0x[0-9a-f]+\n$/);
    expect(r.status).toBe(142);
  });

  it('the fault line names the faulting instruction', () => {
    const r = run([guest('fault')]);
    const pc = /at pc (0x[0-9a-f]+)/.exec(r.stderr)?.[1];
    // The store to 0x10 is inside the program's text (loaded at 0x200000; lld puts arm64 text 64 KiB on).
    expect(Number(pc)).toBeGreaterThanOrEqual(0x200000);
    expect(Number(pc)).toBeLessThan(0x300000);
  });

  it('the SIGSYS line names the syscall instruction', () => {
    const r = run([guest('nosys')]);
    const pc = Number(/at pc (0x[0-9a-f]+)/.exec(r.stderr)?.[1]);
    expect(r.status).toBe(140);
    // amd64 `syscall` is 0f 05; arm64 `svc #0` is d4000001 (the pc must not be past it).
    const text = readElfWord(guest('nosys'), pc, arch === 'amd64' ? 2 : 4);
    expect(text).toBe(arch === 'amd64' ? 0x050f : 0xd4000001);
  });
});

/** The bytes at virtual address `va` of a static ELF (little-endian word of `len` bytes). */
function readElfWord(path: string, va: number, len: number): number {
  const b = readFileSync(path);
  const phoff = Number(b.readBigUInt64LE(32)), phnum = b.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * 56;
    if (b.readUInt32LE(p) !== 1) continue;
    const off = Number(b.readBigUInt64LE(p + 8)), vaddr = Number(b.readBigUInt64LE(p + 16)), filesz = Number(b.readBigUInt64LE(p + 32));
    if (va >= vaddr && va + len <= vaddr + filesz) return len === 2 ? b.readUInt16LE(off + va - vaddr) : b.readUInt32LE(off + va - vaddr);
  }
  return -1;
}

// Emulated credentials (src/syscalls/cred.ts): the guest starts with the host's ids, so the full
// root → unprivileged walk only runs when the tests run as root.
describe.each(ARCHES)('credentials (%s)', (arch) => {
  it.skipIf(process.geteuid?.() !== 0)('creds: set*id rules, setgroups, setlogin, EPERM once unprivileged', () => {
    const r = run([guestFor(arch, 'creds')]);
    assertNoStackTrace(r.stderr);
    expect(r.stdout).toBe(expectedStdout('creds', arch));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
