// PLACEHOLDER: descriptor I/O (a teammate is writing the full set).
import { writeSync } from 'node:fs';
import { sys, type SyscallDef } from './types.js';
import { int, ptr, size } from './args.js';

export const fileSyscalls: SyscallDef[] = [
  sys(4, 'write', 'fd buf:2 size', (c, a) => {
    const f = c.proc.fds.file(int(a[0]));
    return writeSync(f.hostFd, c.mem.read(ptr(a[1]), size(a[2])));
  }),
];
