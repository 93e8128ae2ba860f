import "server-only";
import { type Database, type Executor, getDatabase, getDb } from "@/lib/db";
import type { CopyOut } from "@/lib/db/client";
import { csvRow } from "./csv";
import type { AuditCursor } from "./cursor";
import * as batches from "./export-batch";
import { CopyLineReader, CsvRowCounter, copyStatement } from "./export-copy";
import type { AuditFilter } from "./filter";

export { CSV_COLUMNS, type ExportFormat } from "./export-batch";

export interface ExportOptions {
  batchSize?: number;
  /** Read through keyset batches on this handle (PGlite, or a transaction). */
  db?: Executor;
  /** Stream through COPY on a connection of its own (PostgreSQL server). */
  database?: Database;
  /** Called once the stream has finished or was cancelled, with the rows sent. */
  onDone?: (rows: number, cancelled: boolean) => void;
}

/**
 * Stream every event matching the filter, newest first, as CSV or NDJSON; Postgres formats the
 * lines. On a server, one COPY streamed chunk by chunk as the consumer asks; elsewhere, pull-based
 * keyset batches (one batch in memory at a time). Either way memory stays flat and a cancel (the
 * client went away) stops the database work at once.
 */
export function exportAuditEvents(filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions = {}): ReadableStream<Uint8Array> {
  const database = opts.database ?? (opts.db ? null : getDatabase());
  if (database?.copyOut) return copyExport(database, filter, format, opts);
  return keysetExport(opts.db ?? getDb(), filter, format, opts);
}

/** Both formats end lines with LF, as COPY writes them. */
const EOL = "\n";
const headOf = (format: batches.ExportFormat) => (format === "csv" ? csvRow([...batches.CSV_COLUMNS]) : "");

/**
 * PostgreSQL server: one `COPY (…) TO STDOUT` streamed to the consumer a chunk per pull. CSV comes
 * from Postgres' own CSV writer, passed through as it is; NDJSON is a binary COPY of the lines
 * Postgres built. Cancel destroys the connection, so the server stops the COPY at once.
 */
function copyExport(database: Database, filter: AuditFilter, format: batches.ExportFormat, opts: ExportOptions): ReadableStream<Uint8Array> {
  const lines = format === "ndjson" ? new CopyLineReader(Buffer.from("\n")) : null;
  const csvRows = format === "csv" ? new CsvRowCounter() : null;
  const rows = () => lines?.rows ?? csvRows!.rows;
  let copy: CopyOut | null = null;
  let chunks: AsyncIterator<Buffer> | null = null;
  let done = false;
  const finish = (cancelled: boolean) => {
    if (done) return;
    done = true;
    opts.onDone?.(rows(), cancelled);
  };
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return;
        try {
          let head: Buffer | null = null;
          if (!copy) {
            const query = batches.exportQuery(filter, format);
            copy = await database.copyOut!(copyStatement(query, format === "csv" ? "csv" : "binary"));
            chunks = (copy.stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
            head = Buffer.from(headOf(format));
          }
          for (;;) {
            const next = await chunks!.next();
            if (done) return; // cancelled while waiting
            if (next.done) {
              if (lines && !lines.ended) throw new Error("the export ended early");
              await copy.close(false);
              finish(false);
              if (head?.length) controller.enqueue(head);
              controller.close();
              return;
            }
            let body: Buffer = next.value;
            if (lines) body = lines.push(body);
            else csvRows!.push(body);
            if (body.length || head?.length) {
              controller.enqueue(head?.length ? Buffer.concat([head, body]) : body);
              return;
            }
          }
        } catch (err) {
          finish(true);
          await copy?.close(true);
          throw err;
        }
      },
      async cancel() {
        finish(true);
        await copy?.close(true);
      },
    },
    // One chunk at a time: the socket's own backpressure reaches Postgres.
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
  const eol = EOL;
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
