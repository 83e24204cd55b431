// Guest path → host path. With --sysroot, an absolute guest path is looked up under the sysroot first
// and used from there if it exists (like qemu -L); otherwise the host's own path is used. Relative paths
// resolve against the host working directory, which is the guest's.
import { lstatSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class PathMap {
  readonly root?: string;

  constructor(sysroot?: string) {
    this.root = sysroot ? resolve(sysroot) : undefined;
  }

  toHost(guestPath: string): string {
    if (!this.root || !guestPath.startsWith('/')) return guestPath;
    const inRoot = join(this.root, guestPath);
    try {
      lstatSync(inRoot);
      return inRoot;
    } catch {
      return guestPath;
    }
  }

  /** A host path as the guest should see it (getcwd, kern.proc.pathname): strip the sysroot prefix. */
  toGuest(hostPath: string): string {
    if (this.root && (hostPath === this.root || hostPath.startsWith(this.root + '/'))) {
      return hostPath.slice(this.root.length) || '/';
    }
    return hostPath;
  }
}
