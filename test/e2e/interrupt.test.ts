// Ctrl-C: a multi-threaded Go program (four goroutines computing without a pause) is sent SIGINT once it
// says "ready". Under bsdemu it must end as it does natively: killed by SIGINT (bsdemu exits 128+2,
// quietly, as a shell reports it), or, with signal.Notify, through its handler. Each runs on both
// guest architectures and natively for linux/amd64 as the reference.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertNoStackTrace, bsdemu, root } from '../helpers.js';

const goBuild = join(root, 'guest-binaries', 'build', 'go');

interface Ended { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null; afterMs: number }

/** Runs the command, sends SIGINT once stdout says "ready", and waits (at most 20 s) for the end. */
function interruptWhenReady(cmd: string, args: string[]): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let sentAt = 0;
    const limit = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!sentAt && stdout.includes('ready\n')) {
        sentAt = Date.now();
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(limit);
      resolve({ stdout, stderr, status, signal, afterMs: sentAt ? Date.now() - sentAt : -1 });
    });
  });
}

describe.each(['amd64', 'arm64'] as const)('Ctrl-C on a busy multi-threaded Go program (freebsd/%s)', (arch) => {
  const prog = join(goBuild, `freebsd-${arch}`, 'interrupt');
  const native = join(goBuild, 'linux-amd64', 'interrupt');

  it('no handler: the program dies of SIGINT', async () => {
    const n = await interruptWhenReady(native, []);
    expect(n.signal).toBe('SIGINT');
    const e = await interruptWhenReady(bsdemu, [prog]);
    assertNoStackTrace(e.stderr);
    expect(e.stdout).toBe(n.stdout);
    expect({ status: e.status, stderr: e.stderr }).toEqual({ status: 128 + 2, stderr: '' });
    expect(e.afterMs).toBeGreaterThanOrEqual(0);
  }, 90_000);

  it('signal.Notify(os.Interrupt): the handler runs, the program exits 3', async () => {
    const n = await interruptWhenReady(native, ['notify']);
    expect(n.status).toBe(3);
    const e = await interruptWhenReady(bsdemu, [prog, 'notify']);
    assertNoStackTrace(e.stderr);
    expect({ stdout: e.stdout, status: e.status }).toEqual({ stdout: n.stdout, status: 3 });
  }, 90_000);
});
