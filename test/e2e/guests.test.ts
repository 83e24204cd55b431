// Every freestanding guest program through the real CLI: stdout compared byte for byte with
// guest-binaries/expected/<name>.stdout, exit status and stderr exactly, side effects checked.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoStackTrace, guest, root, run } from '../helpers.js';

const expected = (name: string) => readFileSync(join(root, 'guest-binaries', 'expected', `${name}.stdout`), 'utf8');

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

const cases: Case[] = [
  { name: 'hello', status: 0 },
  { name: 'exit42', status: 42 },
  { name: 'startup', args: ['alpha', 'beta gamma'], env: { BSDEMU_TEST: '42' }, status: 0 },
  { name: 'mmap', dir: true, status: 0 },
  { name: 'smc', dir: true, status: 0 },
  { name: 'files', dir: true, status: 0 },
  { name: 'libcstart', status: 0 },
  { name: 'signals', status: 0 },
  { name: 'itimer', status: 0 },
  { name: 'getpid_loop', args: ['1000'], status: 0 },
  { name: 'fault', status: 139, stderr: /^bsdemu: guest terminated by signal 11 \(SIGSEGV\) at pc 0x[0-9a-f]+\n$/ },
  { name: 'ill', status: 132, stderr: /^bsdemu: guest terminated by signal 4 \(SIGILL\) at pc 0x[0-9a-f]+\n$/ },
  { name: 'divzero', status: 136, stderr: /^bsdemu: guest terminated by signal 8 \(SIGFPE\) at pc 0x[0-9a-f]+\n$/ },
];

describe('guest programs', () => {
  for (const c of cases) {
    it(c.name, () => {
      const dir = c.dir ? mkdtempSync(join(tmpdir(), `bsdemu-${c.name}-`)) : undefined;
      try {
        const args = [guest(c.name), ...(dir ? [dir] : []), ...(c.args ?? [])];
        const r = run(args, { env: { ...process.env, ...c.env } });
        assertNoStackTrace(r.stderr);
        expect(r.stdout).toBe(expected(c.name));
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
    // The store to 0x10 is inside the program's text (loaded at 0x200000).
    expect(Number(pc)).toBeGreaterThanOrEqual(0x200000);
    expect(Number(pc)).toBeLessThan(0x300000);
  });
});
