// The watchdog thread: when a run outlasts its deadline, it swaps the preemption hook's callback to
// uc_emu_stop, so the emulating thread stops itself at its next block (see Unicorn.addPreemptHook).
import { parentPort, workerData } from 'node:worker_threads';
import koffi from 'koffi';
import { F, TICK_MS } from './watchdog-shared.js';

const { slot, stop, sab } = workerData as { slot: bigint; stop: bigint; sab: SharedArrayBuffer };
const f = new Float64Array(sab);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
const callback = new BigUint64Array(koffi.view(slot, 8));
parentPort?.postMessage('ready');

while (!f[F.QUIT]) {
  Atomics.wait(sleeper, 0, 0, TICK_MS);
  const d = f[F.DEADLINE];
  if (d !== 0 && Date.now() >= d) {
    callback[0] = stop; // an aligned 8-byte store: the emulating thread sees the old or the new pointer
    f[F.DEADLINE] = 0;
  }
}
