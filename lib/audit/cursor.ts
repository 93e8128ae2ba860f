import "server-only";
import { invalidInput } from "@/lib/errors";

/** A position in (occurred_at desc, id desc) order. `ts` keeps Postgres' microseconds. */
export interface AuditCursor {
  ts: string;
  id: string;
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of the last row's exact time and id. */
export function encodeCursor(c: AuditCursor): string {
  return Buffer.from(`${c.ts}|${c.id}`, "utf8").toString("base64url");
}

/** Parse a cursor from the outside; anything malformed is a 400, never a query. */
export function decodeCursor(raw: string): AuditCursor {
  const [ts, id, extra] = Buffer.from(raw, "base64url").toString("utf8").split("|");
  if (!ts || !id || extra !== undefined || !TS.test(ts) || !UUID.test(id)) {
    throw invalidInput("The page cursor is not valid.", { cursor: "invalid" });
  }
  return { ts, id };
}
