// Converting raw 64-bit argument words to what the kernel's prototype declares. `int` arguments are
// truncated to 32 bits (Go on arm64 passes fd -1 with garbage in the upper half).
import { Errno, E } from '../abi/errno.js';

export const int = (x: bigint): number => Number(BigInt.asIntN(32, x));
export const uint = (x: bigint): number => Number(x & 0xffffffffn);
/** An address; values past 2^53 are not user addresses and fail any access with EFAULT. */
export const ptr = (x: bigint): number => (x < 0x20000000000000n ? Number(x) : 0x1fffffffffffff);
/** size_t: lengths past what a host can address are EINVAL (FreeBSD: > SSIZE_MAX). */
export const size = (x: bigint): number => {
  if (x > 0x7fffffffffffffffn) throw new Errno(E.EINVAL);
  return x < 0x20000000000000n ? Number(x) : 0x1fffffffffffff;
};
/** off_t (signed 64-bit) as a number; offsets past 2^53 are EFBIG/EINVAL territory anyway. */
export const off = (x: bigint): number => Number(BigInt.asIntN(64, x));
export const long = (x: bigint): bigint => BigInt.asIntN(64, x);
