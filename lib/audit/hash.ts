import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/** JSON with object keys sorted at every level, so the same content always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The fields a row's hash covers, besides the previous hash. */
export interface HashedFields {
  id: string;
  occurredAt: Date;
  orgId: string | null;
  chainSeq: number;
  actorType: string;
  actorId: string | null;
  actorName: string | null;
  onBehalfOfUserId: string | null;
  onBehalfOfName: string | null;
  clientId: string | null;
  grantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  targetName: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}

/** hash = SHA-256(previous hash, newline, canonical content). */
export function hashEvent(prevHash: string, row: HashedFields): string {
  const content: HashedFields = {
    id: row.id,
    occurredAt: row.occurredAt,
    orgId: row.orgId,
    chainSeq: Number(row.chainSeq),
    actorType: row.actorType,
    actorId: row.actorId,
    actorName: row.actorName,
    onBehalfOfUserId: row.onBehalfOfUserId,
    onBehalfOfName: row.onBehalfOfName,
    clientId: row.clientId,
    grantId: row.grantId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    targetName: row.targetName,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.userAgent,
    requestId: row.requestId,
    metadata: row.metadata ?? {},
  };
  return createHash("sha256").update(prevHash).update("\n").update(canonicalJson(content)).digest("hex");
}
