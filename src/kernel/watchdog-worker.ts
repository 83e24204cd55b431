// The watchdog's worker thread (hosts where bsdemu writes no machine code): when a run outlasts its
// deadline, it swaps the preemption hook's callback to uc_emu_stop, so the emulating thread stops itself
// at its next block (see Unicorn.addPreemptHook).
import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';
import { writeSync } from 'node:fs';
import { F, TICK_MS } from './watchdog-shared.js';

const { slot, stop, sab, debug } = workerData as { slot: bigint; stop: bigint; sab: SharedArrayBuffer; debug?: boolean };
const f = new Float64Array(sab);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const callback = new BigUint64Array(koffi.view(slot, 8));
parentPort?.postMessage('ready');

let swapped = 0;
while (!f[F.QUIT]) {
  Atomics.wait(sleeper, 0, 0, TICK_MS);
  const d = f[F.DEADLINE];
  if (d !== 0 && Date.now() >= d) {
    callback[0] = stop; // an aligned 8-byte store: the emulating thread sees the old or the new pointer
    f[F.DEADLINE] = 0;
    if (debug) swapped = Date.now();
  }
  if (debug && swapped && f[F.DEADLINE] === 0 && Date.now() - swapped > 1000) {
    writeSync(2, `[watchdog] stop requested ${Date.now() - swapped} ms ago; callback ${callback[0] === stop ? 'is' : 'is not'} uc_emu_stop\n`);
    swapped = Date.now();
  } else if (f[F.DEADLINE] !== 0) swapped = 0;
}
