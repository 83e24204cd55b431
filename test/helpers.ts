// Runs the real CLI (bin/bsdemu, compiled dist/) the way a user does.
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const bsdemu = join(root, 'bin', 'bsdemu');
export const guestDir = join(root, 'guest-binaries', 'build', 'amd64');
export const guest = (name: string) => join(guestDir, name);
export const hasGuest = (name: string) => existsSync(guest(name));

export interface RunResult { stdout: string; stderr: string; status: number | null; signal: NodeJS.Signals | null }

export function run(args: string[], opts: SpawnSyncOptions = {}): RunResult {
  const r = spawnSync(process.execPath, [bsdemu, ...args], { encoding: 'utf8', timeout: 60_000, ...opts });
  return { stdout: String(r.stdout), stderr: String(r.stderr), status: r.status, signal: r.signal };
}

/** No JavaScript stack trace may ever reach the user. */
export function assertNoStackTrace(stderr: string): void {
  if (/\n\s+at .+\(.+:\d+:\d+\)|node:internal|TypeError|ReferenceError/.test(stderr)) {
    throw new Error(`stack trace on stderr:\n${stderr}`);
  }
}
