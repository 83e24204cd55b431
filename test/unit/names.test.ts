// The syscall name table (src/syscalls/names.ts) against facts from sys/kern/syscalls.master.
import { describe, expect, it } from 'vitest';
import { allSyscalls, COMPAT_43_NAMES, freebsdSyscallName, LAST_SYSCALL, syscallNumber } from '../../src/syscalls/names.js';
import { buildTable } from '../../src/syscalls/table.js';

describe('FreeBSD syscall names', () => {
  it('knows the common numbers', () => {
    const want: [number, string][] = [
      [0, 'syscall'], [1, 'exit'], [3, 'read'], [4, 'write'], [5, 'open'], [20, 'getpid'], [53, 'sigaltstack'],
      [54, 'ioctl'], [165, 'sysarch'], [198, '__syscall'], [202, '__sysctl'], [232, 'clock_gettime'],
      [240, 'nanosleep'], [340, 'sigprocmask'], [416, 'sigaction'], [454, '_umtx_op'], [455, 'thr_new'],
      [477, 'mmap'], [487, 'cpuset_getaffinity'], [542, 'pipe2'], [551, 'fstat'], [560, 'kevent'],
      [563, 'getrandom'], [570, '__sysctlbyname'], [573, 'sigfastblock'], [580, 'fspacectl'], [588, 'kcmp'],
    ];
    for (const [nr, name] of want) expect(freebsdSyscallName(nr), `#${nr}`).toBe(name);
  });

  it('names compat entries the way the kernel does', () => {
    expect(freebsdSyscallName(42)).toBe('freebsd10_pipe');
    expect(freebsdSyscallName(363)).toBe('freebsd11_kevent');
    expect(freebsdSyscallName(188)).toBe('freebsd11_stat');
    expect(freebsdSyscallName(197)).toBe('freebsd6_mmap');
    expect(freebsdSyscallName(342)).toBe('freebsd4_sigaction');
    expect(freebsdSyscallName(482)).toBe('freebsd12_shm_open');
    expect(freebsdSyscallName(424)).toBe('freebsd13_swapoff');
    expect(freebsdSyscallName(220)).toBe('freebsd7___semctl');
  });

  it('leaves OBSOL, RESERVED, lkmnosys, COMPAT_43 and post-14.1 numbers unknown', () => {
    for (const nr of [11, 67, 69, 91, 94, 119, 139, 151, 167, 177, 184, 193, 208, 210, 219, 245, 249, 258, 271,
      273, 281, 291, 313, 322, 339, 364, 370, 375, 377, 399, 418, 440, 467, 514, 521, 548, 549]) {
      expect(freebsdSyscallName(nr), `#${nr}`).toBeUndefined();
    }
    for (const nr of [8, 64, 71, 84]) expect(freebsdSyscallName(nr), `#${nr}`).toBeUndefined();
    expect(COMPAT_43_NAMES[64]).toBe('ogetpagesize');
    expect(LAST_SYSCALL).toBe(588);
    for (const nr of [589, 590, 600, 1000, -1]) expect(freebsdSyscallName(nr)).toBeUndefined();
  });

  it('maps names back to numbers, one number per name', () => {
    expect(syscallNumber('getrandom')).toBe(563);
    expect(syscallNumber('__sysctlbyname')).toBe(570);
    expect(syscallNumber('ogetpagesize')).toBeUndefined();
    const all = allSyscalls();
    expect(new Set(all.map(([, n]) => n)).size).toBe(all.length);
    expect(all.length).toBeGreaterThan(430);
    expect(all.every(([nr]) => nr >= 0 && nr <= LAST_SYSCALL)).toBe(true);
  });

  it('every implemented syscall is a number FreeBSD has, under its name (compat prefix aside)', () => {
    const table = buildTable();
    table.forEach((def, nr) => {
      if (!def) return;
      const name = freebsdSyscallName(nr);
      expect(name, `#${nr} ${def.name}`).toBeDefined();
      expect(name!.replace(/^freebsd\d+_/, ''), `#${nr} ${def.name}`).toBe(def.name.replace(/^freebsd\d+_/, ''));
    });
  });
});
