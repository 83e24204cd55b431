// Descriptor and file-system syscalls end to end: the guest programs `files` and `fsprobe` through the
// real CLI, with exact stdout/stderr/status and the side effects checked from the host.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ARCHES, assertNoStackTrace, bsdemu, guestFor, hasGuest, root, run } from '../helpers.js';

const FILES_STDOUT = 'readlink: a.txt\ndir: a.txt:f b.txt:f d.txt:f inner:d link:l\ndir:\nPASS files\n';
function filesExpected(): string {
  const p = join(root, 'guest-binaries', 'expected', 'files.stdout');
  return existsSync(p) ? readFileSync(p, 'utf8') : FILES_STDOUT;
}

const dirs: string[] = [];
function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `bsdemu-${tag}-`));
  dirs.push(d);
  return d;
}
afterEach(() => {
  while (dirs.length) rmSync(dirs.pop()!, { recursive: true, force: true });
});

// Both architectures run the same programs.
for (const arch of ARCHES) {
  const guest = (name: string) => guestFor(arch, name);

  describe.runIf(hasGuest('files', arch))(`files (${arch})`, () => {
    it('passes every check and leaves its directory empty', () => {
      const dir = tempDir('files');
      const r = run([guest('files'), dir]);
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe(filesExpected());
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('--strace shows failures truss-style with FreeBSD errno numbers and texts', () => {
      const dir = tempDir('files-strace');
      const r = run(['--strace', guest('files'), dir]);
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe(filesExpected());
      expect(r.status).toBe(0);
      const lines = r.stderr.split('\n');
      const has = (re: RegExp) => expect(lines.some((l) => re.test(l)), `no line matching ${re}`).toBe(true);
      has(/^open\("sub\/missing",.*\) ERR#2 'No such file or directory'$/);
      has(/^mkdir\("sub",.*\) ERR#17 'File exists'$/);
      has(/^rmdir\("sub"\) ERR#66 'Directory not empty'$/);
      has(/^unlink\("sub\/inner"\) ERR#1 'Operation not permitted'$/);
      has(/^read\(\d+,.*\) ERR#21 'Is a directory'$/);
      has(/^read\(\d+,.*\) ERR#35 'Resource temporarily unavailable'$/);
      has(/^ioctl\(\d+,.*\) ERR#25 'Inappropriate ioctl for device'$/);
      has(/^lseek\(\d+,.*\) ERR#29 'Illegal seek'$/);
      has(/^close\(999\) ERR#9 'Bad file descriptor'$/);
      has(/^getdirentries\(.*\) = 0\b/);
      // Nothing else on stderr but trace lines.
      for (const l of lines.filter(Boolean)) expect(l).toMatch(/^[a-z_0-9]+\(.*\)( = .*| ERR#\d+ '.*')?/);
    });
  });

  describe.runIf(hasGuest('fsprobe', arch))(`fsprobe (${arch})`, () => {
    it('runs the *at family, locks, fcntl, ioctl, statfs and getdirentries; leaves its files behind', () => {
      const dir = tempDir('fsprobe');
      const r = run([guest('fsprobe'), dir]);
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe('first data.bin last linked\nPASS fsprobe\n');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      // Side effects, seen from the host.
      expect(readdirSync(dir)).toEqual(['keep']);
      const keep = join(dir, 'keep');
      expect(statSync(keep).mode & 0o7777).toBe(0o750); // mkdirat 0777 under umask 027
      expect(readdirSync(keep).sort()).toEqual(['data.bin', 'linked']);
      const data = join(keep, 'data.bin');
      const st = statSync(data); // before reading it: relatime would move atime
      expect(st.mode & 0o7777).toBe(0o640);
      expect(st.nlink).toBe(2);
      expect(statSync(join(keep, 'linked')).ino).toBe(st.ino);
      expect(lstatSync(join(keep, 'linked')).isFile()).toBe(true); // linkat followed the symlink
      expect(Math.floor(st.atimeMs / 1000)).toBe(1234567890); // futimens
      expect(Math.floor(st.mtimeMs / 1000)).toBe(1234567891);
      expect(readFileSync(data, 'utf8')).toBe('0123456789'); // written, pwritev'd, truncated to 10
    });

    it('answers TIOCGETA/TIOCSETA/TIOCGWINSZ from a real terminal', () => {
      const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
      if (!hasScript || process.platform !== 'linux') return;
      const cmd = `'${process.execPath}' '${bsdemu}' '${guest('fsprobe')}' tty`;
      const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = String(r.stdout).replace(/\r\n/g, '\n');
      assertNoStackTrace(out + String(r.stderr));
      // A fresh pty is "sane": canonical, echo, signals, 8 bits, ^C and ^D; VERASE2 has no Linux twin.
      expect(out).toBe('icanon=1 echo=1 isig=1 cs8=1 vintr=3 veof=4 verase2=255\nPASS fsprobe\n');
      expect(r.status).toBe(0);
    });
  });
}
