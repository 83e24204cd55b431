#!/usr/bin/env node
// Lets the host kernel run FreeBSD executables through bsdemu, as Debian's qemu-user-binfmt does for
// foreign Linux ones: a binfmt_misc entry per architecture matches the ELF header of a FreeBSD
// executable (64-bit little-endian, EI_OSABI 9, ET_EXEC or ET_DYN, e_machine x86-64 or AArch64) and
// names bin/bsdemu as its interpreter. Then a host program (a shell, nohup, make) that executes a
// FreeBSD binary runs it under bsdemu. Needs root and a mounted /proc/sys/fs/binfmt_misc.
//
//   node scripts/binfmt.mjs register [--name PREFIX]   (npm run binfmt -- register)
//   node scripts/binfmt.mjs unregister [--name PREFIX]
//   node scripts/binfmt.mjs status [--name PREFIX]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';
const MACHINES = { amd64: 0x3e, arm64: 0xb7 }; // EM_X86_64, EM_AARCH64

const hex = (bytes) => bytes.map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');

/** The register line for one architecture (Documentation/admin-guide/binfmt-misc.rst). */
function entry(name, machine) {
  // e_ident: magic, ELFCLASS64, ELFDATA2LSB, EV_CURRENT, ELFOSABI_FREEBSD; e_type (2 or 3), e_machine.
  const magic = [0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, machine, 0];
  const mask = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff];
  return `:${name}:M::${hex(magic)}:${hex(mask)}:${path.join(root, 'bin', 'bsdemu-binfmt')}:`;
}

/** Whether this process can register entries (root, binfmt_misc mounted). */
export function binfmtUsable() {
  try {
    fs.accessSync(path.join(BINFMT_DIR, 'register'), fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export function registered(prefix = 'bsdemu-freebsd') {
  return Object.keys(MACHINES).filter((a) => fs.existsSync(path.join(BINFMT_DIR, `${prefix}-${a}`)));
}

/** Registers the entries that are missing; returns the names it added. */
export function register(prefix = 'bsdemu-freebsd') {
  const added = [];
  for (const [arch, machine] of Object.entries(MACHINES)) {
    const name = `${prefix}-${arch}`;
    if (fs.existsSync(path.join(BINFMT_DIR, name))) continue;
    fs.writeFileSync(path.join(BINFMT_DIR, 'register'), entry(name, machine));
    added.push(name);
  }
  return added;
}

export function unregister(names) {
  for (const n of names) {
    try { fs.writeFileSync(path.join(BINFMT_DIR, n), '-1'); } catch { /* already gone */ }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd = 'status', ...rest] = process.argv.slice(2);
  const i = rest.indexOf('--name');
  const prefix = i >= 0 ? rest[i + 1] : 'bsdemu-freebsd';
  if (!fs.existsSync(path.join(BINFMT_DIR, 'register'))) {
    console.error(`binfmt: ${BINFMT_DIR} is not mounted (mount -t binfmt_misc binfmt_misc ${BINFMT_DIR})`);
    process.exit(1);
  }
  if (cmd === 'status') {
    const have = registered(prefix);
    console.log(have.length ? `binfmt: FreeBSD executables run through bsdemu (${have.join(', ')})` : 'binfmt: not registered');
  } else if (cmd === 'register') {
    if (!binfmtUsable()) { console.error('binfmt: registering needs root'); process.exit(1); }
    const added = register(prefix);
    console.log(added.length ? `binfmt: registered ${added.map((a) => `${prefix}-${a.split('-').pop()}`).join(', ')}` : 'binfmt: already registered');
  } else if (cmd === 'unregister') {
    unregister(Object.keys(MACHINES).map((a) => `${prefix}-${a}`));
    console.log('binfmt: unregistered');
  } else {
    console.error('usage: node scripts/binfmt.mjs register|unregister|status [--name PREFIX]');
    process.exit(2);
  }
}
