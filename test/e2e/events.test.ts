// Waiting on events end to end: kqueue/kevent (both ABIs), poll/ppoll/select/pselect through the `events`
// guest; blocking reads that park the thread (the emulator sleeps in host poll) through `blockread`.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ARCHES, assertNoStackTrace, bsdemu, expectedStdout, guestFor, hasGuest, run } from '../helpers.js';


interface Spawned { stdout: string; stderr: string; status: number | null; ms: number }

/** Runs bsdemu with a stdin pipe that `feed` writes to (asynchronously), collecting the output. */
function runFed(args: string[], feed: (w: NodeJS.WritableStream) => void): Promise<Spawned> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [bsdemu, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdin.on('error', () => { /* the guest may exit first */ });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, ms: Date.now() - t0 });
    });
    feed(child.stdin);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Both architectures run the same programs.
for (const arch of ARCHES) {
  const guest = (name: string) => guestFor(arch, name);

  describe.runIf(hasGuest('events', arch))(`events (${arch})`, () => {
    it('kqueue, kevent 560 and 363, poll, ppoll, select, pselect', () => {
      const r = run([guest('events')]);
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe(expectedStdout('events', arch));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    });
  });

  describe.runIf(hasGuest('blockread', arch))(`blocking reads (${arch})`, () => {
    it('a read from an empty pipe waits for a writer that writes after 300 ms', async () => {
      const r = await runFed([guest('blockread')], async (w) => {
        await sleep(300);
        w.write('hello\n');
        await sleep(200);
        w.write('wor');
        await sleep(50);
        w.write('ld\n');
        w.end();
      });
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe('got: hello\ngot: world\neof\n');
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.ms).toBeGreaterThanOrEqual(500);
    });

    it('with O_NONBLOCK an empty pipe gives EAGAIN (35)', async () => {
      let stdin: NodeJS.WritableStream | undefined;
      const r = await runFed([guest('blockread'), 'nonblock'], (w) => { stdin = w; });
      stdin?.end();
      assertNoStackTrace(r.stderr);
      expect(r.stdout).toBe('nonblock read: -1 errno=35\n');
      expect(r.status).toBe(0);
    });
  });
}
