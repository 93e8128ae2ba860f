import "server-only";
import { type Executor, getDb } from "@/lib/db";
import { csvRow } from "./csv";
import type { AuditFilter } from "./filter";
import { type AuditEventDto, searchAuditEvents } from "./query";

export type ExportFormat = "csv" | "ndjson";

export const CSV_COLUMNS = [
  "occurred_at",
  "org",
  "chain_seq",
  "actor_type",
  "actor_id",
  "actor_name",
  "on_behalf_of_user_id",
  "on_behalf_of_name",
  "client_id",
  "grant_id",
  "action",
  "target_type",
  "target_id",
  "target_name",
  "outcome",
  "ip",
  "user_agent",
  "request_id",
  "metadata",
  "id",
  "hash",
] as const;

function csvLine(e: AuditEventDto): string {
  return csvRow([
    e.occurredAt,
    e.orgSlug ?? e.orgId,
    e.chainSeq,
    e.actor.type,
    e.actor.id,
    e.actor.name,
    e.onBehalfOf?.userId,
    e.onBehalfOf?.name,
    e.clientId,
    e.grantId,
    e.action,
    e.target?.type,
    e.target?.id,
    e.target?.name,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.metadata,
    e.id,
    e.hash,
  ]);
}

export interface ExportOptions {
  batchSize?: number;
  db?: Executor;
  /** Called once the stream has finished or was cancelled, with the rows sent. */
  onDone?: (rows: number, cancelled: boolean) => void;
}

/**
 * Stream every event matching the filter, newest first, as CSV or NDJSON. Pull-based keyset
 * batches: one batch is in memory at a time, the next is read only when the consumer asks, and a
 * cancel (the client went away) stops before the next query.
 */
export function exportAuditEvents(filter: AuditFilter, format: ExportFormat, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const db = opts.db ?? getDb();
  const batchSize = opts.batchSize ?? 1000;
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  let done = false;
  let rows = 0;
  const finish = (cancelled: boolean) => {
    if (done) return;
    done = true;
    opts.onDone?.(rows, cancelled);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        let head = "";
        if (!started) {
          started = true;
          if (format === "csv") head = csvRow([...CSV_COLUMNS]);
        }
        const page = await searchAuditEvents(filter, { limit: batchSize, cursor }, db);
        if (done) return; // cancelled while the batch was being read
        rows += page.events.length;
        const body = page.events.map((e) => (format === "csv" ? csvLine(e) : `${JSON.stringify(e)}\n`)).join("");
        if (head || body) controller.enqueue(encoder.encode(head + body));
        cursor = page.nextCursor;
        if (!cursor) {
          finish(false);
          controller.close();
        }
      },
      cancel() {
        finish(true);
      },
    },
    // Ask for one batch at a time: backpressure keeps memory flat.
    { highWaterMark: 0 },
  );
}
