import "server-only";
import { sql } from "drizzle-orm";
import { randomToken } from "@/lib/crypto";
import type { Executor } from "@/lib/db";
import type { WebhookEventType } from "./events";

/**
 * Put an event in the webhook outbox, inside the caller's transaction (next to its recordAudit), so
 * an event exists exactly when its change committed. One statement: the event and one delivery per
 * enabled endpoint subscribed to `type` (nothing is written when no endpoint wants it). Deliveries of
 * one `objectKey` (e.g. `user:<id>`) reach each endpoint in the order they were written.
 */
export async function emitWebhookEvent(tx: Executor, type: WebhookEventType, objectKey: string, data: Record<string, unknown>): Promise<void> {
  const id = `msg_${randomToken(18)}`;
  const payload = JSON.stringify({ type, timestamp: new Date().toISOString(), data });
  await tx.execute(sql`with wanted as (
      select w.id from webhook_endpoints w where w.enabled and (${type} = any(w.event_types) or '*' = any(w.event_types))
    ), e as (
      insert into webhook_events (id, type, object_key, payload)
      select ${id}, ${type}, ${objectKey}, ${payload}::jsonb where exists (select 1 from wanted)
      returning id
    )
    insert into webhook_deliveries (endpoint_id, event_id, object_key)
    select wanted.id, e.id, ${objectKey} from wanted cross join e order by wanted.id`);
}
