// Shared between the run loop and the watchdog thread: a Float64Array of [deadline, quit]. The deadline
// is a Date.now() value (the same clock in both threads); 0 means no run in progress.
export const F = { DEADLINE: 0, QUIT: 1 } as const;
/** How often the watchdog looks at the clock. */
export const TICK_MS = 1;
