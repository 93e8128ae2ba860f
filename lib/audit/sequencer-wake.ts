// The wake-up line from recordAudit to the sequencer of this process, kept apart so record.ts does
// not import the sequencer. On globalThis: Next.js may load this module in several bundles
// (instrumentation starts the sequencer, routes record events), and they must share the line.
const KEY = Symbol.for("gatehouse.audit.sequencer-wake");
type Holder = { [KEY]?: ((chainKey: string) => void) | null };

/** Tell the running sequencer (if this process runs one) that `chainKey` has a newly committed event. */
export function wakeSequencer(chainKey: string): void {
  (globalThis as Holder)[KEY]?.(chainKey);
}

/** Install the sequencer's wake-up handler (the last one started wins). */
export function setSequencerWakeHandler(fn: (chainKey: string) => void): void {
  (globalThis as Holder)[KEY] = fn;
}

/** Remove a handler, if it is still the installed one. */
export function clearSequencerWakeHandler(fn: (chainKey: string) => void): void {
  const g = globalThis as Holder;
  if (g[KEY] === fn) g[KEY] = null;
}
