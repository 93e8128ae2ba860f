import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { accessRefusals, auditEvents } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { systemContext } from "@/lib/http/request-context";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { BASE, call, orgBySlug, userByEmail } from "@/test/oauth";
import { routePattern } from "./refusals";

const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { GET: orgAudit } = await import("@/app/api/orgs/[slug]/audit/route");
const { DELETE: removeMemberRoute } = await import("@/app/api/orgs/[slug]/members/[userId]/route");
const { revokeOrgGrants } = await import("@/lib/oauth/connected-apps");

const getDb = useTestDatabase();
let xcorp: { id: string };
let techcorp: { id: string };

beforeAll(async () => {
  await seedDemo(getDb().db);
  xcorp = await orgBySlug(getDb().db, "xcorp");
  techcorp = await orgBySlug(getDb().db, "techcorp");
});

const eventsOf = (orgId: string, action: string) =>
  getDb().db.select().from(auditEvents).where(and(eq(auditEvents.orgId, orgId), eq(auditEvents.action, action)));

describe("refusals are evidence, aggregated per actor, route and minute", () => {
  it("a Member refused 3 times on the audit API: one access.denied event in the org's log, count 3", async () => {
    const john = await userByEmail(getDb().db, "john@xcorp.example");
    session.user = john;
    for (let i = 0; i < 3; i++) {
      const res = await call(orgAudit, "/api/orgs/xcorp/audit", { params: { slug: "xcorp" } });
      expect(res.status).toBe(403);
    }
    const events = (await eventsOf(xcorp.id, "access.denied")).filter((e) => e.actorId === john.id);
    const counters = await getDb()
      .db.select()
      .from(accessRefusals)
      .where(and(eq(accessRefusals.orgId, xcorp.id), eq(accessRefusals.actorKey, `user:${john.id}`)));
    // One event and one counter per minute (two only if the calls straddled a minute boundary).
    expect(events).toHaveLength(counters.length);
    expect(counters.reduce((n, c) => n + c.count, 0)).toBe(3);
    expect(events[0]).toMatchObject({ outcome: "denied", targetId: "GET /api/orgs/[slug]/audit" });
    expect(events[0]!.metadata).toMatchObject({ status: 403 });
  });

  it("a non-member gets 404 and leaves nothing in that org's log", async () => {
    session.user = await userByEmail(getDb().db, "john@xcorp.example");
    const res = await call(orgAudit, "/api/orgs/techcorp/audit", { params: { slug: "techcorp" } });
    expect(res.status).toBe(404);
    expect(await eventsOf(techcorp.id, "access.denied")).toHaveLength(0);
  });

  it("names routes by pattern, so enumerating ids is still one route", () => {
    expect(routePattern("DELETE", "/api/orgs/xcorp/members/5c424fce-527c-4789-9fe9-593a8c07c21c")).toBe(
      "DELETE /api/orgs/[slug]/members/[id]",
    );
  });
});

describe("ids outside the org are 404 before anything is done or recorded", () => {
  it("removing another org's user: 404, recorded only as a refusal", async () => {
    const owner = await userByEmail(getDb().db, "owner@techcorp.example");
    const john = await userByEmail(getDb().db, "john@xcorp.example");
    session.user = owner;
    const res = await call(removeMemberRoute, `/api/orgs/techcorp/members/${john.id}`, {
      method: "DELETE",
      headers: { origin: BASE },
      params: { slug: "techcorp", userId: john.id },
    });
    expect(res.status).toBe(404);
    expect(await eventsOf(techcorp.id, "member.removed")).toHaveLength(0);
    expect((await eventsOf(techcorp.id, "access.denied")).map((e) => e.targetId)).toContain(
      "DELETE /api/orgs/[slug]/members/[id]",
    );
  });

  it("revoke-grants with a foreign user or client id: 404 and no event naming it", async () => {
    const owner = await userByEmail(getDb().db, "owner@techcorp.example");
    const john = await userByEmail(getDb().db, "john@xcorp.example");
    const actor = { user: owner, context: systemContext() };
    await expect(revokeOrgGrants(techcorp.id, { userId: john.id }, actor)).rejects.toMatchObject({ status: 404 });
    await expect(revokeOrgGrants(techcorp.id, { clientId: "no-such-client" }, actor)).rejects.toMatchObject({ status: 404 });
    const events = await eventsOf(techcorp.id, "oauth.grants_revoked");
    expect(events.filter((e) => e.targetId === john.id)).toHaveLength(0);
    // Its own member still works (nothing to revoke is fine).
    expect(await revokeOrgGrants(techcorp.id, { userId: owner.id }, actor)).toBe(0);
  });
});
