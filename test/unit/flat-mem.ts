// A flat guest memory for unit tests of code that reads syscall arguments: [base, base+size), EFAULT
// outside, no host views.
import { Errno, E } from '../../src/abi/errno.js';

export class FlatMem {
  readonly buf: Buffer;
  constructor(readonly base = 0x10000, size = 0x10000) { this.buf = Buffer.alloc(size); }
  private off(addr: number, len: number): number {
    const o = addr - this.base;
    if (addr === 0 || o < 0 || o + len > this.buf.length) throw new Errno(E.EFAULT);
    return o;
  }
  read(addr: number, len: number): Buffer { const o = this.off(addr, len); return Buffer.from(this.buf.subarray(o, o + len)); }
  readInto(addr: number, out: Uint8Array): void { out.set(this.read(addr, out.length)); }
  write(addr: number, data: Uint8Array): void { this.buf.set(data, this.off(addr, data.length)); }
  writeForce(addr: number, data: Uint8Array): void { this.write(addr, data); }
  fill(addr: number, len: number, byte: number): void { this.buf.fill(byte, this.off(addr, len), this.off(addr, len) + len); }
  readU8(a: number): number { return this.buf.readUInt8(this.off(a, 1)); }
  readU16(a: number): number { return this.buf.readUInt16LE(this.off(a, 2)); }
  readU32(a: number): number { return this.buf.readUInt32LE(this.off(a, 4)); }
  readI32(a: number): number { return this.buf.readInt32LE(this.off(a, 4)); }
  readU64(a: number): bigint { return this.buf.readBigUInt64LE(this.off(a, 8)); }
  readI64(a: number): bigint { return this.buf.readBigInt64LE(this.off(a, 8)); }
  readPtr(a: number): number { return Number(this.readU64(a)); }
  writeU8(a: number, v: number): void { this.buf.writeUInt8(v, this.off(a, 1)); }
  writeU16(a: number, v: number): void { this.buf.writeUInt16LE(v, this.off(a, 2)); }
  writeU32(a: number, v: number): void { this.buf.writeUInt32LE(v >>> 0, this.off(a, 4)); }
  writeU64(a: number, v: bigint | number): void { this.buf.writeBigUInt64LE(BigInt(v), this.off(a, 8)); }
  readCStringBytes(addr: number, max = 1024): Buffer {
    const o = this.off(addr, 1);
    const z = this.buf.indexOf(0, o);
    if (z < 0) throw new Errno(E.EFAULT);
    if (z - o > max) throw new Errno(E.ENAMETOOLONG);
    return Buffer.from(this.buf.subarray(o, z));
  }
  readCString(addr: number, max = 1024): string { return this.readCStringBytes(addr, max).toString('utf8'); }
  hostAddress(): number { return -1; }
  hostView(): Buffer | null { return null; }
  accessible(addr: number, len: number): boolean { try { this.off(addr, len); return true; } catch { return false; } }
  wrote(): void { /* nothing cached */ }
  /** Put bytes at an address and return the address. */
  put(addr: number, data: Uint8Array | string): number {
    this.write(addr, typeof data === 'string' ? Buffer.from(data + '\0', 'latin1') : data);
    return addr;
  }
}
