import "server-only";
import { sql } from "drizzle-orm";
import type { AuditActorType, AuditOutcome } from "@/drizzle/schema";
import { afterCommit, preparedRows, type Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { nextEventStamp } from "./event-stamp";
import { wakeSequencer } from "./sequencer-wake";

export interface AuditActor {
  type: AuditActorType;
  id?: string | null;
  name?: string | null;
}

export interface AuditEventInput {
  /** The tenant the event belongs to; null for platform-level events. */
  orgId: string | null;
  actor: AuditActor;
  /** Dotted, e.g. `member.role_changed`. */
  action: string;
  outcome?: AuditOutcome;
  onBehalfOf?: { userId: string; name?: string | null } | null;
  clientId?: string | null;
  grantId?: string | null;
  target?: { type: string; id?: string | null; name?: string | null } | null;
  context?: RequestContext | null;
  /** Extra detail, e.g. `{ before: {...}, after: {...} }`. */
  metadata?: Record<string, unknown>;
  /** When it happened, for backfills and demo data only; defaults to now. */
  occurredAt?: Date;
}

const ACTION = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;
export const PLATFORM_CHAIN = "platform";

/** The chain an org's events go to (null: the platform chain). */
export const chainKeyOf = (orgId: string | null) => orgId ?? PLATFORM_CHAIN;

/**
 * Write one event inside the caller's transaction, so it commits or rolls back with the change it
 * describes. One statement, and no lock shared with the org's other writers: the event and its
 * queue row are plain inserts. The sequencer (lib/audit/sequencer.ts) links it into the org's hash
 * chain after commit; it is woken when this transaction commits.
 */
export async function recordAudit(tx: Tx, input: AuditEventInput): Promise<{ id: string; occurredAt: Date }> {
  if (!ACTION.test(input.action)) throw new Error(`Invalid audit action "${input.action}"`);
  const chainKey = chainKeyOf(input.orgId);
  // Time and id from one monotonic source (event-stamp.ts): (occurred_at, id) is the order recorded.
  const stamp = nextEventStamp();
  const id = stamp.id;
  const occurredAt = input.occurredAt ?? stamp.occurredAt;
  const at = occurredAt.toISOString();
  // A hot path (every mutation writes one): hand-written SQL, one round trip, a prepared statement.
  await preparedRows(
    tx,
    "gh_audit_record",
    sql`
    with event as (
      insert into audit_events (id, occurred_at, org_id, actor_type, actor_id, actor_name, on_behalf_of_user_id,
        on_behalf_of_name, client_id, grant_id, action, target_type, target_id, target_name, outcome, ip,
        user_agent, request_id, metadata)
      values (${id}, ${at}::timestamptz, ${input.orgId}, ${input.actor.type}, ${input.actor.id ?? null},
        ${input.actor.name ?? null}, ${input.onBehalfOf?.userId ?? null}, ${input.onBehalfOf?.name ?? null},
        ${input.clientId ?? null}, ${input.grantId ?? null}, ${input.action}, ${input.target?.type ?? null},
        ${input.target?.id ?? null}, ${input.target?.name ?? null}, ${input.outcome ?? "success"},
        ${input.context?.ip ?? null}, ${input.context?.userAgent ?? null}, ${input.context?.requestId ?? null},
        ${JSON.stringify(input.metadata ?? {})}::jsonb)
      returning id
    )
    insert into audit_unchained (event_id, chain_key, occurred_at) select id, ${chainKey}, ${at}::timestamptz from event`,
  );
  afterCommit(tx, () => wakeSequencer(chainKey));
  return { id, occurredAt };
}
