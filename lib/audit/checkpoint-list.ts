import "server-only";
import { asc, eq } from "drizzle-orm";
import { auditCheckpoints } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

/** One chain's signed checkpoints, oldest first, as the exact lines the sinks received. */
export async function checkpointLines(chainKey: string, db: Executor = getDb()): Promise<string[]> {
  const rows = await db
    .select({ line: auditCheckpoints.line })
    .from(auditCheckpoints)
    .where(eq(auditCheckpoints.chainKey, chainKey))
    .orderBy(asc(auditCheckpoints.n));
  return rows.map((r) => r.line);
}
