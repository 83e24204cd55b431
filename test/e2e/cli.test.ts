// The CLI as a user meets it: bad input, exit codes, options.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoStackTrace, guest, guestFor, root, run } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'bsdemu-cli-'));
const hello = guest('hello');
const helloBytes = readFileSync(hello);

function badFile(name: string, content: Buffer | string): string {
  const p = join(tmp, name);
  writeFileSync(p, content);
  chmodSync(p, 0o755);
  return p;
}

/** A copy of the hello guest with one ELF header field changed. */
function patched(name: string, patch: (b: Buffer) => void): string {
  const b = Buffer.from(helloBytes);
  patch(b);
  return badFile(name, b);
}

describe('bad input: one line on stderr, the shell exit code, never a stack trace', () => {
  const cases: [string, () => string, number, RegExp][] = [
    ['missing file', () => join(tmp, 'does-not-exist'), 127, /does-not-exist: No such file or directory$/],
    ['a directory', () => { const d = join(tmp, 'dir'); mkdirSync(d, { recursive: true }); return d; }, 126, /dir: Is a directory$/],
    ['a text file', () => badFile('text', 'just some text\n'), 126, /not an ELF executable/],
    ['an empty file', () => badFile('empty', ''), 126, /empty file/],
    ['a truncated header', () => badFile('trunc-header', helloBytes.subarray(0, 40)), 126, /truncated ELF file/],
    ['truncated segments', () => badFile('trunc-seg', helloBytes.subarray(0, 300)), 126, /truncated ELF file/],
    ['a Linux ELF', () => patched('linux', (b) => { b[7] = 3; stripNote(b); }), 126, /Linux executable, not a FreeBSD one/],
    ['a System V ELF (the host /bin/true)', () => { const p = join(tmp, 'true'); copyFileSync('/bin/true', p); return p; }, 126, /not a FreeBSD one/],
    ['a wrong-arch ELF', () => patched('riscv', (b) => b.writeUInt16LE(243, 18)), 126, /riscv executable/],
    ['a 32-bit ELF', () => patched('elf32', (b) => { b[4] = 1; }), 126, /32-bit ELF/],
    ['a relocatable object', () => patched('reloc', (b) => b.writeUInt16LE(1, 16)), 126, /relocatable object/],
    ['a #! script', () => badFile('script', '#!/bin/sh\necho hi\n'), 126, /scripts \(#!\) are not supported/],
  ];
  for (const [what, make, code, msg] of cases) {
    it(what, () => {
      const r = run([make()]);
      expect(r.status).toBe(code);
      expect(r.stdout).toBe('');
      const lines = r.stderr.trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^bsdemu: /);
      expect(lines[0]).toMatch(msg);
      assertNoStackTrace(r.stderr);
    });
  }
});

/** Removes the FreeBSD ABI note by renaming its owner, so only EI_OSABI could brand the file. */
function stripNote(b: Buffer): void {
  const i = b.indexOf('FreeBSD\0');
  if (i >= 0) b.write('LinuxXX\0', i);
}

describe('options and exit status', () => {
  it('runs hello and passes arguments', () => {
    const r = run([hello, 'one', 'two words']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello, FreeBSD\nargs: one two words\n');
    expect(r.status).toBe(0);
  });

  it('exits with the guest status', () => {
    expect(run([guest('exit42')]).status).toBe(42);
  });

  it('stops option parsing at the program', () => {
    const r = run([hello, '--strace', '-E', 'X=1']);
    expect(r.stdout).toBe('hello, FreeBSD\nargs: --strace -E X=1\n');
    expect(r.stderr).toBe('');
  });

  it('--version and --help', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
    const v = run(['--version']);
    expect(v.stdout.trim()).toBe(pkg.version);
    expect(v.status).toBe(0);
    const h = run(['--help']);
    expect(h.status).toBe(0);
    for (const opt of ['--sysroot', '--env', '--unset', '--argv0', '--strace', '--debug', '--stack-size', 'Examples:']) {
      expect(h.stdout).toContain(opt);
    }
  });

  it('no program is a usage error', () => {
    const r = run([]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'program'/);
  });

  it('--strace traces to stderr and --strace=FILE to a file', () => {
    const r = run(['--strace', hello, 'x']);
    expect(r.stdout).toBe('hello, FreeBSD\nargs: x\n');
    expect(r.stderr).toMatch(/^write\(1,"hello, FreeBSD\\n",15\)\s+= 15 \(0xf\)$/m);
    expect(r.stderr).toMatch(/^exit\(0x0\)$|^exit\(0\)$/m);
    const f = join(tmp, 'trace.txt');
    const r2 = run([`--strace=${f}`, hello]);
    expect(r2.stderr).toBe('');
    expect(readFileSync(f, 'utf8')).toMatch(/^write\(1,/m);
  });

  it('unknown -d item is a usage error', () => {
    const r = run(['-d', 'nonsense', hello]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/unknown debug item 'nonsense'/);
  });
});

describe('guest environment and argv', () => {
  const printenv = guest('printenv');

  it('passes the host environment, with -E set and -U removed', () => {
    const r = run(['-E', 'FOO=bar baz', '-E', 'EMPTY=', '-U', 'DROPME', printenv, 'x'], {
      env: { PATH: '/usr/bin:/bin', DROPME: '1', KEEP: 'yes' },
    });
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([`argv[0]=${printenv}`, 'argv[1]=x']);
    const env = lines.filter((l) => l.startsWith('env ')).map((l) => l.slice(4)).sort();
    expect(env).toEqual(['EMPTY=', 'FOO=bar baz', 'KEEP=yes', 'PATH=/usr/bin:/bin']);
  });

  it('-0 sets argv[0]', () => {
    const r = run(['-0', 'renamed', printenv], { env: {} });
    expect(r.stdout).toBe('argv[0]=renamed\n');
  });

  it('-E without = is a usage error', () => {
    const r = run(['-E', 'NOEQUALS', printenv]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^bsdemu: -E expects VAR=VALUE/);
  });
});

describe('syscalls bsdemu or FreeBSD lacks', () => {
  const nosys = guest('nosys');

  it('a number FreeBSD does not have raises SIGSYS (default: the guest dies, exit 140)', () => {
    const r = run([nosys]);
    expect(r.stdout).toBe('before nosys\n');
    expect(r.stderr).toMatch(/^bsdemu: guest terminated by signal 12 \(SIGSYS\) at pc 0x[0-9a-f]+\n$/);
    expect(r.status).toBe(140);
  });

  it('with SIGSYS ignored it returns ENOSYS', () => {
    const r = run([nosys, 'ignore']);
    expect(r.stdout).toBe('ENOSYS with SIGSYS ignored\nPASS nosys\n');
    expect(r.status).toBe(0);
  });

  it('-d unimp names an unknown number once, --strace shows it', () => {
    const r = run(['-d', 'unimp', '--strace', nosys, 'ignore']);
    expect(r.status).toBe(0);
    expect(r.stderr.match(/^bsdemu: unimplemented syscall #9999 \(9999\)$/gm)).toHaveLength(1);
    expect(r.stderr).toMatch(/^#9999\(.*\)\s+ERR#78 'Function not implemented'$/m);
  });
});

describe('kill(2) of the process itself', () => {
  it.each([['usr1', 30, 'SIGUSR1'], ['term', 15, 'SIGTERM'], ['abrt', 6, 'SIGABRT']])('%s: default action ends it', (arg, n, name) => {
    const r = run([guest('killself'), arg as string]);
    expect(r.stdout).toBe('still alive\n');
    expect(r.stderr).toMatch(new RegExp(`^bsdemu: guest terminated by signal ${n} \\(${name}\\) at pc 0x[0-9a-f]+\\n$`));
    expect(r.status).toBe(128 + (n as number));
  });
});

describe('loader paths', () => {
  it('runs a static PIE (ET_DYN without PT_INTERP) at the load bias', () => {
    const r = run([guest('hello-pie'), 'pie']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello, FreeBSD\nargs: pie\n');
    expect(r.status).toBe(0);
  });

  it('a dynamically linked program without --sysroot names its interpreter', () => {
    // Turn hello's PT_NOTE into a PT_INTERP that points at a path appended to the file.
    const b = Buffer.from(helloBytes);
    const interp = Buffer.from('/libexec/ld-elf.so.1\0');
    const phoff = Number(b.readBigUInt64LE(32)), phnum = b.readUInt16LE(56);
    let done = false;
    for (let i = 0; i < phnum && !done; i++) {
      const p = phoff + i * 56;
      if (b.readUInt32LE(p) !== 4) continue;
      b.writeUInt32LE(3, p);
      b.writeBigUInt64LE(BigInt(b.length), p + 8);
      b.writeBigUInt64LE(BigInt(interp.length), p + 32);
      b.writeBigUInt64LE(BigInt(interp.length), p + 40);
      done = true;
    }
    expect(done).toBe(true);
    const r = run([badFile('dynamic', Buffer.concat([b, interp]))]);
    expect(r.status).toBe(126);
    expect(r.stderr).toMatch(/^bsdemu: .*dynamic: dynamically linked \(interpreter \/libexec\/ld-elf\.so\.1\); run it with --sysroot/);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--sysroot: absolute guest paths are looked up under the sysroot first, then on the host', () => {
    const root = join(tmp, 'sysroot');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'motd.bsdemu-test'), 'from the sysroot\n');
    const hostOnly = join(tmp, 'host-only.txt');
    writeFileSync(hostOnly, 'from the host\n');
    const r = run(['-L', root, guest('cat'), '/etc/motd.bsdemu-test', hostOnly]);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('from the sysroot\nfrom the host\n');
    const without = run([guest('cat'), '/etc/motd.bsdemu-test']);
    expect(without.status).toBe(1);
    expect(without.stderr).toBe('cat: /etc/motd.bsdemu-test: errno 2\n');
  });

  it('-d page logs mappings as the loader and the guest make them', () => {
    const r = run(['-d', 'page', hello]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^mmap: addr=0x200000 len=0x[0-9a-f]+ prot=rw- flags=0x1012 fd=-1 off=0x0 = 0x200000$/m);
    expect(r.stderr).toMatch(/^mprotect: addr=0x201000 len=0x[0-9a-f]+ prot=r-x$/m);
    expect(r.stderr).toMatch(/^mmap: addr=0x7ffffffff000 len=0x1000 /m);
  });

  it('reads stdin', () => {
    const r = run([guest('cat')], { input: 'line one\nline two\n' });
    expect(r.stdout).toBe('line one\nline two\n');
    expect(r.status).toBe(0);
  });
});

describe('aarch64 executables: the ELF machine picks the architecture', () => {
  const arm = (name: string) => guestFor('aarch64', name);

  it('runs the committed arm64 demo', () => {
    const r = run([join(root, 'guest-binaries', 'demo', 'hello-aarch64'), 'x']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('hello, FreeBSD\nargs: x\n');
    expect(r.status).toBe(0);
  });

  it('loads segments aligned to 64 KiB (p_align 0x10000, like Go) on 4 KiB pages', () => {
    const b = readFileSync(arm('hello'));
    const phoff = Number(b.readBigUInt64LE(32)), phnum = b.readUInt16LE(56);
    const aligns = Array.from({ length: phnum }, (_, i) => phoff + i * 56)
      .filter((p) => b.readUInt32LE(p) === 1).map((p) => Number(b.readBigUInt64LE(p + 48)));
    expect(aligns.length).toBeGreaterThan(1);
    for (const a of aligns) expect(a).toBe(0x10000);
    const r = run(['-d', 'page', arm('hello')]);
    expect(r.status).toBe(0);
    // The shared page (signal trampoline) sits at the top of the 44-bit space Unicorn's arm64 models reach.
    expect(r.stderr).toMatch(/^mmap: addr=0xffffffff000 len=0x1000 /m);
  });

  it('runs a static PIE at the arm64 load bias (ET_DYN_LOAD_ADDR 0x100000)', () => {
    const r = run(['-d', 'page', arm('hello-pie'), 'pie']);
    expect(r.stdout).toBe('hello, FreeBSD\nargs: pie\n');
    expect(r.stderr).toMatch(/^mmap: addr=0x100000 /m);
    expect(r.status).toBe(0);
  });

  it('kill(getpid(), SIGUSR1) with the default action ends it (exit 158)', () => {
    const r = run([arm('killself'), 'usr1']);
    expect(r.stdout).toBe('still alive\n');
    expect(r.stderr).toMatch(/^bsdemu: guest terminated by signal 30 \(SIGUSR1\) at pc 0x[0-9a-f]+\n$/);
    expect(r.status).toBe(158);
  });

  it('--strace shows svc syscalls truss-style, with errors from the C flag', () => {
    const r = run(['--strace', arm('nosys'), 'ignore']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^write\(1,"ENOSYS with SIGSYS ignored\\n",\d+\)\s+= \d+ \(0x[0-9a-f]+\)$/m);
    expect(r.stderr).toMatch(/^#9999\(.*\)\s+ERR#78 'Function not implemented'$/m);
  });
});
