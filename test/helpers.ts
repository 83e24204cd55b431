// Runs the real CLI (bin/bsdemu, compiled dist/) the way a user does.
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bsdemu = join(root, 'bin', 'bsdemu');
/** Every guest architecture: scripts/build-guests.mjs builds each C guest for both. */
export const ARCHES = ['amd64', 'aarch64'] as const;
export type GuestArch = (typeof ARCHES)[number];
export const guestDirFor = (arch: GuestArch) => join(root, 'guest-binaries', 'build', arch);
export const guestFor = (arch: GuestArch, name: string) => join(guestDirFor(arch), name);
export const guestDir = guestDirFor('amd64');
export const guest = (name: string) => guestFor('amd64', name);
export const hasGuest = (name: string, arch: GuestArch = 'amd64') => existsSync(guestFor(arch, name));

/** guest-binaries/expected/<name>.stdout, or expected/<arch>/<name>.stdout where the arch differs. */
export function expectedStdout(name: string, arch: GuestArch = 'amd64'): string {
  const own = join(root, 'guest-binaries', 'expected', arch, `${name}.stdout`);
  return readFileSync(existsSync(own) ? own : join(root, 'guest-binaries', 'expected', `${name}.stdout`), 'utf8');
}

export interface RunResult { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null }

export function run(args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [bsdemu, ...args], { encoding: 'utf8', timeout: 60_000, ...opts });
  return { stdout: String(r.stdout), stderr: String(r.stderr), status: r.status, signal: r.signal };
}

/**
 * Like run, without blocking the test worker while the guest runs (long runs that block it make vitest's
 * worker RPC time out). Takes the same env, input, timeout and killSignal options.
 */
export function runAsync(args: string[], opts: SpawnSyncOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bsdemu, ...args], { env: opts.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.stdin.on('error', () => { /* the guest may exit without reading */ });
    const timer = setTimeout(() => child.kill((opts.killSignal as NodeJS.Signals | undefined) ?? 'SIGTERM'), opts.timeout ?? 60_000);
    child.on('error', reject);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, status, signal });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** No JavaScript stack trace may ever reach the user. */
export function assertNoStackTrace(stderr: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)|node:internal|TypeError|ReferenceError/.test(stderr)) {
    throw new Error(`stack trace on stderr:\n${stderr}`);
  }
}
