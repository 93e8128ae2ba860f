import "server-only";
import { and, eq } from "drizzle-orm";
import { ssoConnections, ssoRequests } from "@/drizzle/schema";
import { getDb } from "@/lib/db";

export type TestResultDto =
  | { state: "missing" }
  | { state: "ok"; connection: string; claims: Record<string, unknown>; mfa: boolean }
  | { state: "failed"; connection: string; reason: string; message: string };

/** A test sign-in's outcome, for the admin who started it (anyone else: missing). */
export async function testResult(orgId: string, userId: string, id: string): Promise<TestResultDto> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return { state: "missing" };
  const [row] = await getDb()
    .select({ result: ssoRequests.result, startedBy: ssoRequests.startedBy, name: ssoConnections.name })
    .from(ssoRequests)
    .innerJoin(ssoConnections, eq(ssoConnections.id, ssoRequests.connectionId))
    .where(and(eq(ssoRequests.id, id), eq(ssoRequests.orgId, orgId), eq(ssoRequests.purpose, "test")));
  if (!row || row.startedBy !== userId || !row.result) return { state: "missing" };
  const r = row.result as { ok: boolean; claims?: Record<string, unknown>; mfa?: boolean; reason?: string; message?: string };
  return r.ok
    ? { state: "ok", connection: row.name, claims: r.claims ?? {}, mfa: Boolean(r.mfa) }
    : { state: "failed", connection: row.name, reason: r.reason ?? "failed", message: r.message ?? "" };
}
