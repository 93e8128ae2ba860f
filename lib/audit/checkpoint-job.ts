import "server-only";
import path from "node:path";
import type { Database } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { deliverCheckpoints, type SinkConfig } from "./checkpoint-sinks";
import { type CheckpointContext, checkpointHeads } from "./checkpoint-store";
import { flushAuditChains } from "./sequencer";
import { getAuditSigner } from "./signing-key";
import type { SignedCheckpoint } from "./verify-core.mjs";

export interface CheckpointSettings extends SinkConfig {
  /** How often every moved chain head is checkpointed; 0: only at start, shutdown and on demand. */
  intervalMinutes: number;
  /** How often queued checkpoints are retried. */
  retrySeconds?: number;
  context: CheckpointContext;
}

/** The checkpoint directory: AUDIT_CHECKPOINT_DIR, or `DATA_DIR/audit-checkpoints`. */
export function checkpointDir(): string {
  const env = getEnv();
  return path.resolve(env.AUDIT_CHECKPOINT_DIR ?? path.join(env.DATA_DIR, "audit-checkpoints"));
}

/** Settings from the environment: the directory sink always, the HTTP sink when configured. */
export function checkpointSettings(): CheckpointSettings {
  const env = getEnv();
  const url = env.AUDIT_CHECKPOINT_URL;
  return {
    intervalMinutes: env.AUDIT_CHECKPOINT_INTERVAL_MINUTES,
    dir: checkpointDir(),
    url,
    context: { signer: getAuditSigner(), sinks: url ? ["dir", "url"] : ["dir"] },
  };
}

/** Checkpoint every moved head now and push the queue out (on demand, on schedule, at shutdown). */
export async function checkpointNow(database: Database, settings: CheckpointSettings = checkpointSettings()): Promise<{ checkpoints: SignedCheckpoint[]; delivered: number; failed: number }> {
  // Sign the heads with every event committed so far linked (others' runs are waited out).
  await flushAuditChains(database, { timeoutMs: 5000 }).catch((err: unknown) => console.error("[audit] linking before a checkpoint failed", (err as Error).message));
  const checkpoints = await checkpointHeads(database, settings.context);
  const { delivered, failed } = await deliverCheckpoints(database.db, settings);
  return { checkpoints, delivered, failed };
}

/**
 * Checkpoint on a schedule and retry undelivered checkpoints; the returned function stops the
 * timers and writes a last checkpoint (call it at shutdown, before the database closes).
 * Timers are unref'd; failures are logged and retried on the next tick.
 */
export function startAuditCheckpoints(database: Database, settings: CheckpointSettings = checkpointSettings()): () => Promise<void> {
  let busy: Promise<unknown> = Promise.resolve();
  const serial = (what: string, fn: () => Promise<unknown>) => {
    busy = busy.then(fn).catch((err) => console.error(`[audit] checkpoint ${what} failed`, (err as Error).message));
    return busy;
  };
  const tick = () => serial("run", () => checkpointNow(database, settings));
  const retry = () => serial("delivery", () => deliverCheckpoints(database.db, settings));
  void tick();
  const timers = [setInterval(retry, (settings.retrySeconds ?? 30) * 1000)];
  if (settings.intervalMinutes > 0) timers.push(setInterval(tick, settings.intervalMinutes * 60_000));
  for (const t of timers) t.unref();
  return async () => {
    for (const t of timers) clearInterval(t);
    await tick();
  };
}
