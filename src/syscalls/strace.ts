// PLACEHOLDER formatting for --strace (a teammate is writing the full decoders).
import { errnoMessage } from '../abi/errno.js';
import type { GuestMemory } from '../mmap/api.js';
import type { SyscallDef } from './types.js';
export function formatCall(def: SyscallDef, a: BigUint64Array, _mem: GuestMemory): string {
  return `${def.name}(${def.args.map((_, i) => '0x' + a[i].toString(16)).join(',')})`;
}
export function formatResult(_def: SyscallDef, v: bigint): string {
  return ` = ${BigInt.asIntN(64, v)} (0x${v.toString(16)})`;
}
export function formatError(errno: number): string {
  return ` ERR#${errno} '${errnoMessage(errno)}'`;
}
