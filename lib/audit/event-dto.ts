// Client-safe: the shape of one audit event as the API answers it. The explorer's client code (and the
// "audit-explorer" registry item) imports it from here, never from the server's query module.

/** Who acted (drizzle/schema AUDIT_ACTOR_TYPES; lib/audit/query.ts fails to compile if they drift). */
export type AuditEventActorType = "user" | "agent" | "api_key" | "system" | "support";
/** How it ended (drizzle/schema AUDIT_OUTCOMES). */
export type AuditEventOutcome = "success" | "failure" | "denied";

/** One event as the explorer, exports and the MCP tool see it. */
export interface AuditEventDto {
  id: string;
  /** ISO 8601, UTC, microsecond precision. */
  occurredAt: string;
  orgId: string | null;
  orgSlug: string | null;
  orgName: string | null;
  /** The event's place in its org's hash chain; null until the sequencer has linked it (within ~1 s). */
  chainSeq: number | null;
  hash: string | null;
  prevHash: string | null;
  actor: { type: AuditEventActorType; id: string | null; name: string | null };
  onBehalfOf: { userId: string; name: string | null } | null;
  clientId: string | null;
  grantId: string | null;
  action: string;
  target: { type: string; id: string | null; name: string | null } | null;
  outcome: AuditEventOutcome;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  metadata: Record<string, unknown>;
}
