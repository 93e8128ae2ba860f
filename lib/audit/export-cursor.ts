import "server-only";
import { type SQL, sql } from "drizzle-orm";
import type { Database, Db } from "@/lib/db";

/**
 * Read a query through a server-side cursor on one connection of its own, `batch` rows per call.
 * One pass over the data (no re-planning per batch); `close()` rolls back, which ends the cursor
 * and frees the connection at once. A client that stops reading is cut off by
 * idle_in_transaction_session_timeout, so a stalled download never pins a snapshot for long.
 */
export async function openCursor(database: Database, query: SQL, batch: number) {
  let release!: () => void;
  let failed: unknown = null;
  const conn = await new Promise<Db>((resolve, reject) => {
    database
      .withConnection((db) => {
        resolve(db);
        return new Promise<void>((r) => (release = r));
      })
      .catch((err) => {
        failed = err;
        reject(err);
      });
  });
  let open = true;
  const finish = async (how: "commit" | "rollback") => {
    if (!open) return;
    open = false;
    try {
      await conn.execute(sql.raw(how));
    } finally {
      release();
    }
  };
  try {
    await conn.execute(sql`begin read only`);
    await conn.execute(sql`set local idle_in_transaction_session_timeout = '60s'`);
    await conn.execute(sql`declare audit_export no scroll cursor for ${query}`);
  } catch (err) {
    await finish("rollback").catch(() => {});
    throw err;
  }
  return {
    /** The next rows; fewer than `batch` means the end (the cursor is then closed). */
    async next(): Promise<string[]> {
      if (failed) throw failed;
      const res = await conn.execute(sql.raw(`fetch forward ${Math.trunc(batch)} from audit_export`));
      const lines = (res as unknown as { rows: { line: string }[] }).rows.map((r) => r.line);
      if (lines.length < batch) await finish("commit");
      return lines;
    },
    close: () => finish("rollback"),
  };
}
