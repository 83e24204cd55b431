// Maps an ELF image's PT_LOAD segments into the address space with their exact protections, zeroes bss,
// and sets the program break (sys/kern/imgact_elf.c: __elfN(load_sections), __elfN(map_insert)).
import type { AddressSpaceApi } from '../mmap/api.js';
import { ET_DYN, PF_R, PF_W, PF_X, PT_LOAD, PT_PHDR, type ElfImage } from './elf.js';

// sys/sys/mman.h
const PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
const MAP_PRIVATE = 0x2, MAP_FIXED = 0x10, MAP_ANON = 0x1000;

export interface LoadedImage {
  /** Load bias: 0 for ET_EXEC, etDynBase for a static PIE. */
  bias: number;
  entry: number;
  /** AT_PHDR: where the program headers are in guest memory. */
  phdr: number;
  /** First address past the highest segment: the initial program break. */
  brk: number;
  /** Start of the data segment (vm_daddr): the last writable segment's first page. */
  dataStart: number;
}

export const segmentProt = (flags: number): number =>
  (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);

export function loadImage(img: ElfImage, vm: AddressSpaceApi, pageSize: number, etDynBase: number): LoadedImage {
  const bias = img.type === ET_DYN ? etDynBase : 0;
  const down = (x: number) => Math.floor(x / pageSize) * pageSize;
  const up = (x: number) => Math.ceil(x / pageSize) * pageSize;
  let brk = 0;
  let phdr = 0;

  const loads = img.segments.filter((s) => s.type === PT_LOAD && s.memsz > 0);
  // Page ranges of the segments, merged where they touch or share a page, mapped writable first so the
  // file bytes can be copied in.
  const ranges = loads.map((s) => [down(bias + s.vaddr), up(bias + s.vaddr + s.memsz)]).sort((x, y) => x[0] - y[0]);
  const merged: number[][] = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([...r]);
  }
  for (const [start, end] of merged) {
    vm.mmap(start, end - start, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED | MAP_ANON, null, 0);
    brk = Math.max(brk, end);
  }
  for (const s of loads) {
    const bytes = img.data.subarray(s.offset, s.offset + s.filesz);
    if (bytes.length) vm.writeForce(bias + s.vaddr, bytes);
  }
  // Then each segment's protection; a page two segments share gets both (the union).
  const pageProt = new Map<number, number>();
  for (const s of loads) {
    for (let p = down(bias + s.vaddr); p < up(bias + s.vaddr + s.memsz); p += pageSize) {
      pageProt.set(p, (pageProt.get(p) ?? 0) | segmentProt(s.flags));
    }
  }
  for (const s of loads) {
    const start = down(bias + s.vaddr), end = up(bias + s.vaddr + s.memsz);
    const first = pageProt.get(start)!, last = pageProt.get(end - pageSize)!;
    vm.mprotect(start, end - start, segmentProt(s.flags));
    if (first !== segmentProt(s.flags)) vm.mprotect(start, pageSize, first);
    if (last !== segmentProt(s.flags)) vm.mprotect(end - pageSize, pageSize, last);
  }

  const pt = img.segments.find((s) => s.type === PT_PHDR);
  if (pt) phdr = bias + pt.vaddr;
  else {
    // The headers are inside the segment that maps file offset e_phoff.
    const s = img.segments.find((x) => x.type === PT_LOAD && x.offset <= img.phoff && img.phoff < x.offset + x.filesz);
    if (s) phdr = bias + s.vaddr + (img.phoff - s.offset);
  }
  // imgact_elf's enforce_limits takes the last non-text segment as the data segment.
  const data = loads.filter((s) => s.flags & PF_W).pop();
  const dataStart = data ? down(bias + data.vaddr) : brk;
  return { bias, entry: bias + img.entry, phdr, brk, dataStart };
}
