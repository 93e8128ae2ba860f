import { eq } from "drizzle-orm";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, orgs, users } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";

// Route handlers run as whichever user the test says is signed in.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const tenantList = await import("@/app/api/orgs/[slug]/audit/route");
const tenantSummary = await import("@/app/api/orgs/[slug]/audit/summary/route");
const tenantExport = await import("@/app/api/orgs/[slug]/audit/export/route");
const tenantVerify = await import("@/app/api/orgs/[slug]/audit/verify/route");
const tenantChain = await import("@/app/api/orgs/[slug]/audit/chain/route");
const supportAccess = await import("@/app/api/audit/access/route");
const supportList = await import("@/app/api/audit/route");
const supportExport = await import("@/app/api/audit/export/route");

const getDb = useTestDatabase();
const ORIGIN = "http://localhost:3000";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;
async function call(h: Handler, path: string, init: { method?: string; params?: Record<string, string>; headers?: Record<string, string>; json?: unknown } = {}) {
  const req = new NextRequest(`${ORIGIN}${path}`, {
    method: init.method ?? "GET",
    headers: { origin: ORIGIN, host: "localhost:3000", ...(init.json ? { "content-type": "application/json" } : {}), ...init.headers },
    body: init.json ? JSON.stringify(init.json) : undefined,
  });
  return h(req, { params: Promise.resolve(init.params ?? {}) });
}

async function signIn(email: string) {
  const [u] = await getDb().db.select().from(users).where(eq(users.email, email));
  session.user = { id: u!.id, email: u!.email, name: u!.name, platformRole: u!.platformRole, emailVerified: true, sessionIdHash: "x" };
  return session.user;
}

let xcorp = "";
let techcorp = "";
let xcorpIds = new Set<string>();
let john: CurrentUser;

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  const all = await db.select().from(orgs);
  xcorp = all.find((o) => o.slug === "xcorp")!.id;
  techcorp = all.find((o) => o.slug === "techcorp")!.id;
  xcorpIds = new Set((await db.select({ id: auditEvents.id }).from(auditEvents).where(eq(auditEvents.orgId, xcorp))).map((r) => r.id));
  john = (await signIn("john@xcorp.example"))!;
});

// Filters a TechCorp admin might try, aimed at XCorp's events.
const PROBES = () => [
  "",
  "actor=john@xcorp.example",
  "obo=john@xcorp.example",
  `obo=${john.id}`,
  "client=demo-cursor-xcorp",
  "client=Cursor",
  "action=mcp.*",
  "actorType=agent",
  "outcome=denied",
  "q=XCorp",
  "q=Cursor",
  `target=${xcorp}`,
  "target=q3-revenue",
  "range=30d",
  `org=xcorp&orgId=${xcorp}`,
];

describe("tenant explorer API", () => {
  it("shows an admin their own org's agent activity by agent, on-behalf-of user and time", async () => {
    await signIn("admin@xcorp.example");
    const res = await call(tenantList.GET as Handler, `/api/orgs/xcorp/audit?client=Cursor&obo=john@xcorp.example&range=7d&limit=100`, { params: { slug: "xcorp" } });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.events.length).toBeGreaterThanOrEqual(10);
    expect(body.events.length).toBeLessThanOrEqual(14);
    for (const e of body.events) {
      expect(e).toMatchObject({ orgId: xcorp, clientId: "demo-cursor-xcorp", onBehalfOf: { userId: john.id }, actor: { type: "agent", name: "Cursor" } });
      expect(Date.parse(e.occurredAt)).toBeGreaterThan(Date.now() - 7 * 86_400_000);
    }
  });

  it("never shows a tenant admin another org's events, by any filter, page or export", async () => {
    await signIn("owner@techcorp.example");
    for (const probe of PROBES()) {
      const res = await call(tenantList.GET as Handler, `/api/orgs/techcorp/audit?${probe}&limit=200`, { params: { slug: "techcorp" } });
      expect(res.status, probe).toBe(200);
      const { events } = await res.json();
      for (const e of events) {
        expect(e.orgId, probe).toBe(techcorp);
        expect(xcorpIds.has(e.id), probe).toBe(false);
      }
      const sum = await call(tenantSummary.GET as Handler, `/api/orgs/techcorp/audit/summary?${probe}`, { params: { slug: "techcorp" } });
      const s = await sum.json();
      expect(s.count, probe).toBe(events.length);
      expect(s.histogram.buckets.reduce((n: number, b: { count: number }) => n + b.count, 0), probe).toBe(events.length);

      const exp = await call(tenantExport.POST as Handler, `/api/orgs/techcorp/audit/export?format=ndjson&${probe}`, { method: "POST", params: { slug: "techcorp" } });
      expect(exp.status).toBe(200);
      const lines = (await exp.text()).split("\n").filter(Boolean).map((l) => JSON.parse(l));
      for (const e of lines) {
        expect(e.orgId, probe).toBe(techcorp);
        expect(xcorpIds.has(e.id)).toBe(false);
      }
    }
  });

  it("answers another org's routes with 404 and a member without audit::read with 403", async () => {
    await signIn("owner@techcorp.example");
    expect((await call(tenantList.GET as Handler, "/api/orgs/xcorp/audit", { params: { slug: "xcorp" } })).status).toBe(404);
    expect((await call(tenantExport.POST as Handler, "/api/orgs/xcorp/audit/export", { method: "POST", params: { slug: "xcorp" } })).status).toBe(404);
    expect((await call(tenantChain.GET as Handler, "/api/orgs/xcorp/audit/chain?seq=1", { params: { slug: "xcorp" } })).status).toBe(404);
    await signIn("member@xcorp.example");
    expect((await call(tenantList.GET as Handler, "/api/orgs/xcorp/audit", { params: { slug: "xcorp" } })).status).toBe(403);
    session.user = null;
    expect((await call(tenantList.GET as Handler, "/api/orgs/xcorp/audit", { params: { slug: "xcorp" } })).status).toBe(401);
  });

  it("rejects bad filters and cursors with 400, not 500", async () => {
    await signIn("admin@xcorp.example");
    for (const q of ["action=DROP", "outcome=maybe", "from=yesterday", "cursor=zzz", "limit=100000", "range=custom&from=2026-02-01&to=2026-01-01"]) {
      const res = await call(tenantList.GET as Handler, `/api/orgs/xcorp/audit?${q}`, { params: { slug: "xcorp" } });
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe("invalid_input");
    }
  });

  it("records exports and verifications in the org's log", async () => {
    const admin = await signIn("admin@xcorp.example");
    const exp = await call(tenantExport.POST as Handler, "/api/orgs/xcorp/audit/export?format=csv&action=mcp.*", { method: "POST", params: { slug: "xcorp" } });
    const csv = await exp.text();
    expect(exp.headers.get("content-type")).toContain("text/csv");
    expect(csv.split("\n")[0]).toMatch(/^occurred_at_utc,org,chain_seq,/);
    expect(csv.split("\n").filter(Boolean)).toHaveLength(1 + 18);
    const verify = await call(tenantVerify.POST as Handler, "/api/orgs/xcorp/audit/verify", { method: "POST", params: { slug: "xcorp" } });
    expect(await verify.json()).toMatchObject({ ok: true, firstBreak: null });
    const res = await call(tenantList.GET as Handler, "/api/orgs/xcorp/audit?action=audit.*", { params: { slug: "xcorp" } });
    const { events } = await res.json();
    expect(events.map((e: { action: string }) => e.action)).toEqual(["audit.chain_verified", "audit.exported"]);
    expect(events[1]).toMatchObject({ actor: { id: admin.id }, metadata: { format: "csv", filter: { action: "mcp.*" } } });
  });
});

describe("support explorer API", () => {
  it("needs platform staff and a stated reason; the view is recorded in the viewed org's log", async () => {
    await signIn("admin@techcorp.example");
    expect((await call(supportAccess.POST as Handler, "/api/audit/access", { method: "POST", json: { org: "xcorp", reason: "SUP-1" } })).status).toBe(404);
    expect((await call(supportList.GET as Handler, "/api/audit")).status).toBe(404);

    const support = await signIn("support@gatehouse.example");
    expect((await call(supportList.GET as Handler, "/api/audit")).status).toBe(403);
    expect((await call(supportAccess.POST as Handler, "/api/audit/access", { method: "POST", json: { org: "xcorp", reason: "" } })).status).toBe(400);
    const granted = await call(supportAccess.POST as Handler, "/api/audit/access", { method: "POST", json: { org: "xcorp", reason: "SUP-1234 agent question" } });
    expect(granted.status).toBe(201);
    const { token } = await granted.json();
    const headers = { "x-audit-access": token };

    // The grant decides the org: a query parameter cannot widen it.
    const res = await call(supportList.GET as Handler, `/api/audit?org=techcorp&orgId=${techcorp}&limit=200`, { headers });
    const { events } = await res.json();
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e: { orgId: string }) => e.orgId === xcorp)).toBe(true);
    expect(events[0]).toMatchObject({ action: "support.audit_viewed", actor: { type: "support", id: support.id }, metadata: { reason: "SUP-1234 agent question" } });

    const exp = await call(supportExport.POST as Handler, "/api/audit/export?format=ndjson&client=Cursor", { method: "POST", headers });
    // 18 tool calls by the agent and the consent John gave it.
    expect((await exp.text()).split("\n").filter(Boolean).length).toBe(19);

    // A token is bound to the staff member who stated the reason.
    await signIn("admin@gatehouse.example");
    expect((await call(supportList.GET as Handler, "/api/audit", { headers })).status).toBe(403);

    // The tenant admin sees that support looked, and why.
    await signIn("admin@xcorp.example");
    const mine = await (await call(tenantList.GET as Handler, "/api/orgs/xcorp/audit?action=support.*", { params: { slug: "xcorp" } })).json();
    expect(mine.events.map((e: { action: string }) => e.action)).toEqual(["support.audit_exported", "support.audit_viewed"]);
  });
});
