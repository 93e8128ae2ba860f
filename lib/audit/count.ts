import "server-only";
import { and, sql } from "drizzle-orm";
import { auditEvents } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { type AuditFilter, auditWhere } from "./filter";

export const COUNT_CAP = 10_000;

/** Count matching events exactly up to `cap`; past it, `capped` says "cap+" (the scan stops there). */
export async function countAuditEvents(filter: AuditFilter, db: Executor = getDb(), cap = COUNT_CAP): Promise<{ count: number; capped: boolean }> {
  const inner = db
    .select({ one: sql`1` })
    .from(auditEvents)
    .where(and(...auditWhere(filter)))
    .limit(cap + 1)
    .as("capped");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner);
  const n = Number(row?.n ?? 0);
  return n > cap ? { count: cap, capped: true } : { count: n, capped: false };
}
