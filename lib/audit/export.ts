import "server-only";
import { type Executor, getDb } from "@/lib/db";
import { csvRow } from "./csv";
import type { AuditCursor } from "./cursor";
import * as batches from "./export-batch";
import type { AuditFilter } from "./filter";

export { CSV_COLUMNS, type ExportFormat } from "./export-batch";

export interface ExportOptions {
  batchSize?: number;
  db?: Executor;
  /** Called once the stream has finished or was cancelled, with the rows sent. */
  onDone?: (rows: number, cancelled: boolean) => void;
}

/**
 * Stream every event matching the filter, newest first, as CSV or NDJSON. Pull-based keyset
 * batches: one batch is in memory at a time, the next is read only when the consumer asks, and a
 * cancel (the client went away) stops before the next query. Postgres formats the lines.
 */
export function exportAuditEvents(filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const db = opts.db ?? getDb();
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
  const eol = format === "csv" ? "\r\n" : "\n";
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        let head = "";
        if (!started) {
          started = true;
          if (format === "csv") head = csvRow([...batches.CSV_COLUMNS]);
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
