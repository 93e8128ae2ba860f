import "server-only";

const running = new Set<Promise<void>>();

/**
 * Run work after the answer, off the request path, so a request's duration says nothing about what
 * the work found (e.g. whether an address has an account). The work keeps its own transaction and
 * audit event; a failure is logged. The server process is long-lived (scripts/server.ts).
 */
export function runInBackground(label: string, work: () => Promise<void>): void {
  const task: Promise<void> = Promise.resolve()
    .then(work)
    .catch((err) => console.error(`[background] ${label} failed`, err))
    .finally(() => running.delete(task));
  running.add(task);
}

/** Wait until every background task started so far has finished (tests, graceful shutdown). */
export async function backgroundSettled(): Promise<void> {
  while (running.size) await Promise.all([...running]);
}
