import "server-only";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { AuditActorType, AuditOutcome } from "@/drizzle/schema";
import { preparedRows, type Tx } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { GENESIS_HASH, type HashedFields, hashEvent } from "./hash";

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

/**
 * Append one event to its org's hash chain, inside the caller's transaction, so the event commits
 * or rolls back with the change it describes. Locking the chain head row serializes writers of one
 * org, so concurrent transactions never fork the chain.
 */
export async function recordAudit(tx: Tx, input: AuditEventInput): Promise<{ id: string; hash: string }> {
  if (!ACTION.test(input.action)) throw new Error(`Invalid audit action "${input.action}"`);
  const chainKey = input.orgId ?? PLATFORM_CHAIN;

  // Creates the head at seq 1, or bumps it; either way the row stays locked until commit.
  // RETURNING gives the new seq and the still-unchanged previous hash.
  // A new head starts at the epoch; a bumped one still holds the previous event's time.
  const [head] = await preparedRows<{ seq: string | number; prev_hash: string; prev_at: Date | string }>(
    tx,
    "gh_audit_chain_advance",
    sql`insert into audit_chain_heads (chain_key, last_seq, last_hash, updated_at)
        values (${chainKey}, 1, ${GENESIS_HASH}, 'epoch')
        on conflict (chain_key) do update set last_seq = audit_chain_heads.last_seq + 1
        returning last_seq as seq, last_hash as prev_hash, updated_at as prev_at`,
  );
  if (!head) throw new Error("audit chain head not returned");

  // Strictly after the previous event of the chain (timestamps are stored to the millisecond),
  // so time order and chain order agree within an org even for events in the same millisecond.
  const occurredAt = input.occurredAt ?? new Date(Math.max(Date.now(), new Date(head.prev_at).getTime() + 1));
  const row: HashedFields = {
    id: randomUUID(),
    occurredAt,
    orgId: input.orgId,
    chainSeq: Number(head.seq),
    actorType: input.actor.type,
    actorId: input.actor.id ?? null,
    actorName: input.actor.name ?? null,
    onBehalfOfUserId: input.onBehalfOf?.userId ?? null,
    onBehalfOfName: input.onBehalfOf?.name ?? null,
    clientId: input.clientId ?? null,
    grantId: input.grantId ?? null,
    action: input.action,
    targetType: input.target?.type ?? null,
    targetId: input.target?.id ?? null,
    targetName: input.target?.name ?? null,
    outcome: input.outcome ?? "success",
    ip: input.context?.ip ?? null,
    userAgent: input.context?.userAgent ?? null,
    requestId: input.context?.requestId ?? null,
    metadata: input.metadata ?? {},
  };
  const hash = hashEvent(head.prev_hash, row);
  // The event and the head's new hash in one statement: a hot path (every mutation writes one),
  // so hand-written SQL rather than the query builder, and one round trip fewer.
  const at = occurredAt.toISOString();
  await preparedRows(
    tx,
    "gh_audit_append",
    sql`
    with event as (
      insert into audit_events (id, occurred_at, org_id, chain_seq, prev_hash, hash, actor_type, actor_id,
        actor_name, on_behalf_of_user_id, on_behalf_of_name, client_id, grant_id, action, target_type,
        target_id, target_name, outcome, ip, user_agent, request_id, metadata)
      values (${row.id}, ${at}::timestamptz, ${row.orgId}, ${row.chainSeq}, ${head.prev_hash}, ${hash},
        ${row.actorType}, ${row.actorId}, ${row.actorName}, ${row.onBehalfOfUserId}, ${row.onBehalfOfName},
        ${row.clientId}, ${row.grantId}, ${row.action}, ${row.targetType}, ${row.targetId}, ${row.targetName},
        ${row.outcome}, ${row.ip}, ${row.userAgent}, ${row.requestId}, ${JSON.stringify(row.metadata)}::jsonb)
    )
    update audit_chain_heads set last_hash = ${hash}, updated_at = ${at}::timestamptz where chain_key = ${chainKey}`,
  );
  return { id: row.id, hash };
}
