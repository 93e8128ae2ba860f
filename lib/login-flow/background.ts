import "server-only";

const running = new Set<Promise<void>>();

/**
 * Run work after the answer, off the request path, so a request's duration says nothing about what
 * the work found (e.g. whether an address has an account). The work keeps its own transaction and
 * audit event; a failure is logged. The server process is long-lived (scripts/server.ts).
 */
export function runInBackground(label: string, work: () => Promise<void>): void {
  // Started from the event loop's check phase, not a microtask: after the answer has been written,
  // so even the work's first synchronous part (building and sending a statement) is off the request path.
  const task: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(work)
    .catch((err) => console.error(`[background] ${label} failed`, err))
    .finally(() => running.delete(task));
  running.add(task);
}

/** Wait until every background task started so far has finished (tests, graceful shutdown). */
export async function backgroundSettled(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}
