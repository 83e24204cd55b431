// Where guest memory really lives: host memory blocks (one per guest mapping) and the Unicorn regions that
// expose them to the CPU. The AddressSpace decides; a MemBackend only carries out. Tests substitute a fake
// that records calls, so the mapping logic can be checked with 4 KiB and 16 KiB host pages.
import koffi from 'koffi';
import { fstatSync } from 'node:fs';
import { HOST_MADV_DISCARD, HOST_MAP, HOST_PROT, hostMadvise, hostMmap, hostMsync, hostMunmap, hostPageSize } from '../host/hostmem.js';
import type { Unicorn } from '../cpu/unicorn.js';
import { Errno, nodeErrno } from '../abi/errno.js';

/** A host memory block: host pages [addr, addr+len), len a multiple of the host page size. */
export interface HostBlock {
  readonly addr: number;
  readonly len: number;
  /** Host memory may be written (false only for MAP_SHARED of a read-only descriptor). */
  readonly writable: boolean;
}

export interface MemBackend {
  readonly hostPageSize: number;
  /** Fresh zeroed host memory, reserved lazily (no RSS until touched). `shared` survives a later fork. */
  allocAnon(len: number, shared?: boolean): HostBlock;
  /** Host mapping of a file from `hostOffset` (host-page aligned). Throws Errno (FreeBSD errno). */
  mapFile(hostFd: number, hostOffset: number, len: number, shared: boolean, writable: boolean): HostBlock;
  /** Size in bytes of the file behind a host descriptor (for pages past end-of-file). */
  fileSize(hostFd: number): number;
  /** Identity of the file behind a descriptor (device and inode), to find its mappings again. */
  fileId(hostFd: number): string;
  /** Give back whole host pages [offsetInBlock, offsetInBlock+len) of a block. */
  release(block: HostBlock, offsetInBlock: number, len: number): void;
  /** Expose host memory at guest [guestAddr, guestAddr+len) with Unicorn perms (UC_PROT bits). */
  ucMap(guestAddr: number, len: number, perms: number, hostAddr: number): void;
  ucUnmap(guestAddr: number, len: number): void;
  /** Drop translated code for guest [start, end). */
  invalidate(start: number, end: number): void;
  /** Host msync with host flags. */
  msync(hostAddr: number, len: number, hostFlags: number): void;
  /** Discard the contents of host pages (they read back as zero). */
  discard(hostAddr: number, len: number): void;
  /** A Buffer aliasing block bytes [offset, offset+len) (len ≤ 2 GiB). */
  view(block: HostBlock, offset: number, len: number): Buffer;
}

export class UnicornBackend implements MemBackend {
  readonly hostPageSize = hostPageSize();

  constructor(private readonly uc: Unicorn) {}

  allocAnon(len: number, shared = false): HostBlock {
    const flags = (shared ? HOST_MAP.SHARED : HOST_MAP.PRIVATE) | HOST_MAP.ANON | HOST_MAP.NORESERVE;
    const addr = hostMmap(0, len, HOST_PROT.READ | HOST_PROT.WRITE, flags, -1, 0);
    return { addr, len, writable: true };
  }

  mapFile(hostFd: number, hostOffset: number, len: number, shared: boolean, writable: boolean): HostBlock {
    const prot = HOST_PROT.READ | (writable ? HOST_PROT.WRITE : 0);
    const addr = hostMmap(0, len, prot, shared ? HOST_MAP.SHARED : HOST_MAP.PRIVATE, hostFd, hostOffset);
    return { addr, len, writable };
  }

  fileSize(hostFd: number): number {
    try {
      return fstatSync(hostFd).size;
    } catch (e) {
      throw new Errno(nodeErrno(e));
    }
  }

  fileId(hostFd: number): string {
    const st = fstatSync(hostFd, { bigint: true });
    return `${st.dev}:${st.ino}`;
  }

  release(block: HostBlock, offsetInBlock: number, len: number): void {
    if (len <= 0) return;
    if (offsetInBlock === 0 && len >= block.len) {
      hostMunmap(block.addr, block.len);
      return;
    }
    // Part of a block: free its memory but keep the host addresses reserved (inaccessible, no commit).
    // Were they unmapped, the host could hand them to a later block, and the final release of this
    // block, which unmaps its whole range, would take that block's memory away from under the guest.
    hostMmap(block.addr + offsetInBlock, len, HOST_PROT.NONE,
      HOST_MAP.PRIVATE | HOST_MAP.ANON | HOST_MAP.NORESERVE | HOST_MAP.FIXED, -1, 0);
  }

  ucMap(guestAddr: number, len: number, perms: number, hostAddr: number): void {
    // koffi 3 passes a number where the C signature says `void *`.
    this.uc.memMapPtr(guestAddr, len, perms, hostAddr);
  }

  ucUnmap(guestAddr: number, len: number): void {
    this.uc.memUnmap(guestAddr, len);
  }

  invalidate(start: number, end: number): void {
    this.uc.removeCache(BigInt(start), BigInt(end));
  }

  msync(hostAddr: number, len: number, hostFlags: number): void {
    hostMsync(hostAddr, len, hostFlags);
  }

  discard(hostAddr: number, len: number): void {
    hostMadvise(hostAddr, len, HOST_MADV_DISCARD);
  }

  view(block: HostBlock, offset: number, len: number): Buffer {
    // koffi.view aliases native memory without copying; Buffer.from(ArrayBuffer) aliases it again.
    return Buffer.from(koffi.view(block.addr + offset, len));
  }
}
