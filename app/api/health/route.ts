import { sql } from "drizzle-orm";
import { connection } from "next/server";
import { getDatabase } from "@/lib/db";

// GET /api/health — app and database status, for load balancers and test runners
export async function GET() {
  await connection();
  const started = performance.now();
  try {
    const database = getDatabase();
    await database.db.execute(sql`select 1`);
    return Response.json(
      { status: "ok", database: { status: "ok", kind: database.kind, latencyMs: Math.round(performance.now() - started) } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    console.error("[health] database check failed", (err as Error).message);
    return Response.json(
      { status: "error", database: { status: "unavailable" } },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
