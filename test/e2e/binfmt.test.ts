// binfmt_misc (scripts/binfmt.mjs): a host program executes a FreeBSD binary directly and the kernel runs
// it through bsdemu; signals the host program ignored (nohup) stay ignored for the guest. Needs root and
// a mounted /proc/sys/fs/binfmt_misc; skipped otherwise.
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { guestFor } from '../helpers.js';
// @ts-expect-error: a plain ES module script without types
import { binfmtUsable, register, unregister } from '../../scripts/binfmt.mjs';

const usable = binfmtUsable() as boolean;
const names: string[] = usable ? register(`bsdemu-test-${process.pid}`) : [];
afterAll(() => unregister(names));

describe.skipIf(!usable)('binfmt_misc: host programs run FreeBSD executables through bsdemu', () => {
  it.each(['amd64', 'aarch64'] as const)('/bin/sh -c <FreeBSD %s hello>', (arch) => {
    const r = spawnSync('/bin/sh', ['-c', `${guestFor(arch, 'hello')} one two`], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: 'hello, FreeBSD\nargs: one two\n' });
  });

  it('nohup: a SIGHUP the host program ignored stays ignored in the guest (execve keeps SIG_IGN)', () => {
    const prog = guestFor('amd64', 'killself');
    const plain = spawnSync('/bin/sh', ['-c', `${prog} hup`], { encoding: 'utf8' });
    expect({ status: plain.status, stdout: plain.stdout }).toEqual({ status: 128 + 1, stdout: 'still alive\n' });
    const r = spawnSync('/usr/bin/nohup', [prog, 'hup'], { encoding: 'utf8' });
    expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 0, stdout: 'still alive\nnot reached\n' });
  });
});
