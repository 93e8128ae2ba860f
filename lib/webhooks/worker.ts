import "server-only";
import { sql } from "drizzle-orm";
import { recordAudit } from "@/lib/audit/record";
import { decryptSecret } from "@/lib/crypto";
import { type Db, type Executor, queryRows } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { systemContext } from "@/lib/http/request-context";
import { getPlatformSetting } from "@/lib/platform/settings";
import { sendWebhook } from "./deliver";
import { signWebhook } from "./sign";

interface Claimed {
  id: number;
  endpoint_id: string;
  event_id: string;
  attempts: number;
  age_seconds: number;
  url: string;
  secret_sealed: string;
  payload: unknown;
}

export interface WorkerOptions {
  /** First retry after this many seconds; each next one doubles. */
  retryBaseSeconds: number;
  /** Give up on a delivery this long after its event. */
  retryMaxSeconds: number;
  timeoutMs: number;
  /** Consecutive failed attempts after which an endpoint is switched off (with a notice). */
  disableAfterFailures: number;
  batchSize?: number;
}

export function workerOptionsFromEnv(): WorkerOptions {
  const env = getEnv();
  return {
    retryBaseSeconds: env.WEBHOOK_RETRY_BASE_SECONDS,
    retryMaxSeconds: env.WEBHOOK_RETRY_MAX_HOURS * 3600,
    timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    disableAfterFailures: env.WEBHOOK_DISABLE_AFTER_FAILURES,
  };
}

/**
 * Claim due deliveries with a lease (SKIP LOCKED: several app nodes never take the same one), only
 * the oldest pending delivery of each (endpoint, object) so an object's events arrive in order.
 */
async function claim(db: Executor, batchSize: number, leaseSeconds: number): Promise<Claimed[]> {
  return queryRows<Claimed>(
    db,
    sql`with due as (
        select d.id from webhook_deliveries d
        join webhook_endpoints w on w.id = d.endpoint_id and w.enabled
        where d.status = 'pending' and d.next_attempt_at <= now() and (d.lease_until is null or d.lease_until < now())
          and not exists (select 1 from webhook_deliveries e
            where e.endpoint_id = d.endpoint_id and e.object_key = d.object_key and e.status = 'pending' and e.id < d.id)
        order by d.id
        limit ${batchSize}
        for update of d skip locked
      ), leased as (
        update webhook_deliveries d set lease_until = now() + make_interval(secs => ${leaseSeconds})
        from due where d.id = due.id
        returning d.id, d.endpoint_id, d.event_id, d.attempts, extract(epoch from (now() - d.created_at))::float8 as age_seconds
      )
      select l.id, l.endpoint_id, l.event_id, l.attempts, l.age_seconds, w.url, w.secret_sealed, ev.payload
      from leased l join webhook_endpoints w on w.id = l.endpoint_id join webhook_events ev on ev.id = l.event_id
      order by l.id`,
  );
}

/** One pass: claim, send (different objects in parallel), record each attempt. Returns how many were sent. */
export async function runWebhookDeliveries(db: Db, opts: WorkerOptions): Promise<number> {
  const leaseSeconds = Math.ceil(opts.timeoutMs / 1000) + 30;
  const batch = await claim(db, opts.batchSize ?? 20, leaseSeconds);
  if (!batch.length) return 0;
  const allowPrivate = await getPlatformSetting("webhooks_allow_private_addresses", db);
  await Promise.all(
    batch.map(async (d) => {
      const body = typeof d.payload === "string" ? d.payload : JSON.stringify(d.payload);
      const timestamp = Math.floor(Date.now() / 1000);
      let signature: string;
      try {
        signature = signWebhook(decryptSecret(d.secret_sealed), d.event_id, timestamp, body);
      } catch {
        await settle(db, d, { statusCode: null, error: "The endpoint secret cannot be decrypted (ENCRYPTION_KEY changed?).", latencyMs: 0 }, opts);
        return;
      }
      const result = await sendWebhook(d.url, { "webhook-id": d.event_id, "webhook-timestamp": String(timestamp), "webhook-signature": signature }, body, {
        allowPrivate,
        timeoutMs: opts.timeoutMs,
      });
      await settle(db, d, result, opts);
    }),
  );
  return batch.length;
}

async function settle(db: Db, d: Claimed, result: { statusCode: number | null; error: string | null; latencyMs: number }, opts: WorkerOptions) {
  const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
  const attempts = d.attempts + 1;
  const delay = Math.min(opts.retryBaseSeconds * 2 ** (attempts - 1), 6 * 3600);
  const giveUp = !ok && d.age_seconds + delay > opts.retryMaxSeconds;
  const error = ok ? null : (result.error ?? `HTTP ${result.statusCode}`);
  await db.transaction(async (tx) => {
    await tx.execute(sql`insert into webhook_attempts (delivery_id, status_code, error, latency_ms) values (${d.id}, ${result.statusCode}, ${error}, ${result.latencyMs})`);
    await tx.execute(sql`update webhook_deliveries set attempts = ${attempts}, lease_until = null,
        last_status_code = ${result.statusCode}, last_error = ${error},
        status = ${ok ? "succeeded" : giveUp ? "failed" : "pending"},
        delivered_at = ${ok ? sql`now()` : sql`null`},
        next_attempt_at = ${ok || giveUp ? sql`next_attempt_at` : sql`now() + make_interval(secs => ${delay})`}
      where id = ${d.id}`);
    const [endpoint] = await queryRows<{ consecutive_failures: number; enabled: boolean }>(
      tx,
      sql`update webhook_endpoints set consecutive_failures = ${ok ? sql`0` : sql`consecutive_failures + 1`}
        where id = ${d.endpoint_id} returning consecutive_failures, enabled`,
    );
    if (!ok && endpoint?.enabled && (giveUp || endpoint.consecutive_failures >= opts.disableAfterFailures)) {
      const reason = giveUp
        ? `A delivery failed for ${Math.round(opts.retryMaxSeconds / 3600)} h (last: ${error}). Fix the receiver and switch the endpoint on again.`
        : `${endpoint.consecutive_failures} attempts in a row failed (last: ${error}). Fix the receiver and switch the endpoint on again.`;
      await tx.execute(sql`update webhook_endpoints set enabled = false, disabled_at = now(), disabled_reason = ${reason}, updated_at = now() where id = ${d.endpoint_id}`);
      await recordAudit(tx, {
        orgId: null,
        actor: { type: "system", id: "webhooks", name: "Webhook delivery" },
        action: "webhook.endpoint_auto_disabled",
        outcome: "failure",
        target: { type: "webhook_endpoint", id: d.endpoint_id, name: d.url },
        context: systemContext(),
        metadata: { reason, consecutiveFailures: endpoint.consecutive_failures },
      });
    }
  });
}

/** Run deliveries every `intervalMs` on this node (every node may run it: claims never overlap). */
export function startWebhookWorker(db: Db, intervalMs: number, opts: WorkerOptions = workerOptionsFromEnv()): () => Promise<void> {
  let stopped = false;
  let running: Promise<void> | null = null;
  const tick = async () => {
    try {
      // Drain while there is work, then wait for the next tick.
      while (!stopped && (await runWebhookDeliveries(db, opts)) > 0) {
        // next batch
      }
    } catch (err) {
      console.error("[webhooks] delivery pass failed", (err as Error).message);
    }
  };
  const timer = setInterval(() => {
    if (running) return; // the previous pass is still draining
    running = tick().finally(() => {
      running = null;
    });
  }, intervalMs);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
