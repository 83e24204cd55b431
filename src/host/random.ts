// Random bytes from the host kernel (/dev/urandom), without node:crypto: loading that module costs 5–20 ms
// of start-up (measured for issue 5), and every run needs 16 bytes for the loader's AT_RANDOM canary.
import { closeSync, openSync, readSync } from 'node:fs';

/** Fills `buf` with random bytes and returns it (the semantics of crypto.randomFillSync for one buffer). */
export function hostRandomFill<T extends Uint8Array>(buf: T): T {
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let at = 0; at < buf.length;) {
      const n = readSync(fd, buf, at, buf.length - at, null);
      if (n <= 0) throw new Error('short read from /dev/urandom');
      at += n;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
}

/** `n` random bytes (crypto.randomBytes without the module). */
export function hostRandomBytes(n: number): Buffer {
  return hostRandomFill(Buffer.alloc(n));
}
