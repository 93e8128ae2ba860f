import "server-only";
import type { SQL } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";

const dialect = new PgDialect();

/**
 * `COPY (query) TO STDOUT` text for a query whose values are written inline (COPY takes no bind
 * parameters). Strings are quoted by drizzle ('' for '); the COPY runs with
 * standard_conforming_strings on, so a backslash is only ever a backslash.
 */
export function copyStatement(query: SQL, format: "csv" | "binary"): string {
  const { sql: text, params } = dialect.sqlToQuery(query.inlineParams());
  if (params.length) throw new Error("COPY query still has bind parameters");
  return `copy (${text}) to stdout with (format ${format})`;
}

const SIGNATURE = Buffer.from("PGCOPY\n\xff\r\n\0", "latin1");

/**
 * Reads PostgreSQL's binary COPY format for a one-column text result and hands back each value's
 * bytes followed by `eol`, as chunks ready to send. The values are the export lines Postgres already
 * formatted, so nothing is escaped or unescaped here: bytes in, bytes out.
 */
export class CopyLineReader {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  /** Rows read so far. */
  rows = 0;
  /** The trailer was seen: the COPY is complete. */
  ended = false;

  constructor(private readonly eol: Buffer) {}

  /** Feed one chunk of COPY data; returns the complete lines it finished, joined. */
  push(chunk: Buffer): Buffer {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    let at = 0;
    if (!this.headerDone) {
      if (buf.length < 19) return this.keep(buf, 0);
      if (!buf.subarray(0, 11).equals(SIGNATURE)) throw new Error("not a binary COPY stream");
      const extension = buf.readUInt32BE(15);
      if (buf.length < 19 + extension) return this.keep(buf, 0);
      at = 19 + extension;
      this.headerDone = true;
    }
    const out: Buffer[] = [];
    while (!this.ended) {
      if (buf.length - at < 2) break;
      const fields = buf.readInt16BE(at);
      if (fields === -1) {
        this.ended = true;
        at += 2;
        break;
      }
      if (fields !== 1) throw new Error(`expected one column, got ${fields}`);
      if (buf.length - at < 6) break;
      const length = buf.readInt32BE(at + 2);
      if (length < 0) throw new Error("export line is null");
      if (buf.length - at < 6 + length) break;
      out.push(buf.subarray(at + 6, at + 6 + length), this.eol);
      this.rows++;
      at += 6 + length;
    }
    this.keep(buf, at);
    return out.length === 1 ? out[0]! : Buffer.concat(out);
  }

  private keep(buf: Buffer, from: number): Buffer {
    // Copy the tail: the chunk it came from may be reused by the socket.
    this.pending = from < buf.length ? Buffer.from(buf.subarray(from)) : Buffer.alloc(0);
    return Buffer.alloc(0);
  }
}

/**
 * Counts the rows of a CSV byte stream (LF ends a row unless it is inside quotes), across chunk
 * boundaries, for the "rows sent" of an export that was stopped part way.
 */
export class CsvRowCounter {
  rows = 0;
  private quoted = false;

  push(chunk: Uint8Array): void {
    let i = 0;
    for (;;) {
      const quote = chunk.indexOf(34, i);
      if (this.quoted) {
        if (quote === -1) return;
        this.quoted = false;
        i = quote + 1;
        continue;
      }
      const lf = chunk.indexOf(10, i);
      if (lf !== -1 && (quote === -1 || lf < quote)) {
        this.rows++;
        i = lf + 1;
      } else if (quote !== -1) {
        this.quoted = true;
        i = quote + 1;
      } else return;
    }
  }
}
