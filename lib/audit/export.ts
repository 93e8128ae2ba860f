import "server-only";
import { type Database, type Executor, getDatabase, getDb } from "@/lib/db";
import { csvRow } from "./csv";
import type { AuditCursor } from "./cursor";
import * as batches from "./export-batch";
import { openCursor } from "./export-cursor";
import type { AuditFilter } from "./filter";

export { CSV_COLUMNS, type ExportFormat } from "./export-batch";

export interface ExportOptions {
  batchSize?: number;
  /** Read through keyset batches on this handle (PGlite, or a transaction). */
  db?: Executor;
  /** Read through a server-side cursor on a connection of its own (PostgreSQL server). */
  database?: Database;
  /** Called once the stream has finished or was cancelled, with the rows sent. */
  onDone?: (rows: number, cancelled: boolean) => void;
}

/**
 * Stream every event matching the filter, newest first, as CSV or NDJSON. Pull-based keyset
 * batches: one batch is in memory at a time, the next is read only when the consumer asks, and a
 * cancel (the client went away) stops before the next query. Postgres formats the lines.
 */
export function exportAuditEvents(filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const database = opts.database ?? (opts.db ? null : getDatabase());
  if (database?.kind === "postgres") return cursorExport(database, filter, format, opts);
  return keysetExport(opts.db ?? getDb(), filter, format, opts);
}

const eolOf = (format: batches.ExportFormat) => (format === "csv" ? "\r\n" : "\n");
const headOf = (format: batches.ExportFormat) => (format === "csv" ? csvRow([...batches.CSV_COLUMNS]) : "");

/** PostgreSQL server: one pass through a server-side cursor; cancel rolls it back at once. */
function cursorExport(database: Database, filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions): ReadableStream<Uint8Array> {
  const batchSize = opts.batchSize ?? 5000;
  const encoder = new TextEncoder();
  const eol = eolOf(format);
  let cursor: Awaited<ReturnType<typeof openCursor>> | null = null;
  let rows = 0;
  let done = false;
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
        if (!cursor) {
          cursor = await openCursor(database, batches.exportQuery(filter, format), batchSize);
          head = headOf(format);
        }
        const lines = await cursor.next();
        if (done) return;
        rows += lines.length;
        const body = lines.length ? lines.join(eol) + eol : "";
        if (head || body) controller.enqueue(encoder.encode(head + body));
        if (lines.length < batchSize) {
          finish(false);
          controller.close();
        }
      },
      async cancel() {
        finish(true);
        await cursor?.close();
      },
    },
    { highWaterMark: 0 },
  );
}

/** Keyset batches: for PGlite (one connection, no transaction held open) or an explicit handle. */
function keysetExport(db: Executor, filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions): ReadableStream<Uint8Array> {
  const batchSize = opts.batchSize ?? 5000;
  const encoder = new TextEncoder();
  let after: AuditCursor | null = null;
  let started = false;
  let done = false;
  let rows = 0;
  const finish = (cancelled: boolean) => {
    if (done) return;
    done = true;
    opts.onDone?.(rows, cancelled);
  };
  const eol = eolOf(format);
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        let head = "";
        if (!started) {
          started = true;
          head = headOf(format);
        }
        const batch = await batches.fetchExportBatch(db, filter, format, after, batchSize);
        if (done) return; // cancelled while the batch was being read
        rows += batch.lines.length;
        const body = batch.lines.length ? batch.lines.join(eol) + eol : "";
        if (head || body) controller.enqueue(encoder.encode(head + body));
        after = batch.next;
        if (!after) {
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
