import "server-only";
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { type AuditActorType, type AuditOutcome, auditChainHeads, auditEvents } from "@/drizzle/schema";
import type { Tx } from "@/lib/db";
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
  const [head] = await tx
    .insert(auditChainHeads)
    .values({ chainKey, lastSeq: 1, lastHash: GENESIS_HASH })
    .onConflictDoUpdate({
      target: auditChainHeads.chainKey,
      set: { lastSeq: sql`${auditChainHeads.lastSeq} + 1` },
    })
    .returning({ seq: auditChainHeads.lastSeq, prevHash: auditChainHeads.lastHash });
  if (!head) throw new Error("audit chain head not returned");

  const row: HashedFields = {
    id: randomUUID(),
    occurredAt: input.occurredAt ?? new Date(),
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
  const hash = hashEvent(head.prevHash, row);
  await tx.insert(auditEvents).values({
    ...row,
    actorType: input.actor.type,
    outcome: row.outcome as AuditOutcome,
    prevHash: head.prevHash,
    hash,
  });
  await tx
    .update(auditChainHeads)
    .set({ lastHash: hash, updatedAt: row.occurredAt })
    .where(eq(auditChainHeads.chainKey, chainKey));
  return { id: row.id, hash };
}
