import "server-only";
import { type Db, getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { checkpointDir } from "./checkpoint-job";
import { type ExportFormat, exportAuditEvents } from "./export";
import type { AuditFilter } from "./filter";
import type { AuditFilterParams } from "./filter-params";
import { type AuditActor, recordAudit } from "./record";
import { type ChainReport, verifyChain } from "./verify";

interface Who {
  actor: AuditActor;
  context: RequestContext;
  /** The chain the event goes to: the org whose events are read, or null (platform). */
  eventOrgId: string | null;
  /** Extra detail for the event, e.g. the support reason. */
  metadata?: Record<string, unknown>;
}

/**
 * Record that an export starts (who, which filter, which format), then stream it. The event is
 * committed before the first byte, so an export can never happen unrecorded.
 */
export async function auditedExport(
  args: Who & { filter: AuditFilter; params: AuditFilterParams; format: ExportFormat; action: "audit.exported" | "support.audit_exported" },
  db: Db = getDb(),
): Promise<ReadableStream<Uint8Array>> {
  await db.transaction((tx) =>
    recordAudit(tx, {
      orgId: args.eventOrgId,
      actor: args.actor,
      action: args.action,
      context: args.context,
      target: args.eventOrgId ? { type: "org", id: args.eventOrgId } : null,
      metadata: { ...args.metadata, format: args.format, filter: args.params },
    }),
  );
  // On a server, a cursor on a connection of its own; on PGlite, keyset batches.
  return exportAuditEvents(args.filter, args.format);
}

/** Verify an org's chain and record that it was verified, with the result. */
export async function auditedVerify(args: Who & { orgId: string }, db: Db = getDb()): Promise<ChainReport> {
  const report = await verifyChain(db, args.orgId, { checkpointDir: checkpointDir() });
  await db.transaction((tx) =>
    recordAudit(tx, {
      orgId: args.eventOrgId,
      actor: args.actor,
      action: "audit.chain_verified",
      outcome: report.ok ? "success" : "failure",
      context: args.context,
      target: { type: "org", id: args.orgId },
      metadata: { ...args.metadata, checked: report.checked, ok: report.ok, breaks: report.breaks.length, firstBreak: report.firstBreak, lastHolding: report.lastHolding },
    }),
  );
  return report;
}
