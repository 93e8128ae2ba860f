import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { auditEvents, users } from "@/drizzle/schema";
import type { CurrentUser } from "@/lib/auth/current-user";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { COVERAGE_CASES, type CoverageCase, type CoverageContext } from "./cases";
import { discoverMutations } from "./discover";
import { callRoute, loadEntry } from "./harness";

// Wrapped handlers and actions see this user; Auth.js routes use their real cookies and tokens.
const session = vi.hoisted(() => ({ user: null as CurrentUser | null, jar: new Map<string, string>() }));
vi.mock("@/lib/auth/current-user", async () => (await import("@/test/current-user")).currentUserMock(() => session.user));
vi.mock("next/headers", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/headers")>()),
  headers: async () => new Headers({ "user-agent": "coverage-test", origin: "http://localhost:3000", host: "localhost:3000" }),
  // One cookie jar for the login-flow steps that set and read their cookie through next/headers.
  cookies: async () => ({
    get: (name: string) => (session.jar.has(name) ? { name, value: session.jar.get(name)! } : undefined),
    getAll: () => [...session.jar].map(([name, value]) => ({ name, value })),
    has: (name: string) => session.jar.has(name),
    set: (name: string | { name: string; value: string }, value?: string) =>
      typeof name === "string" ? session.jar.set(name, value ?? "") : session.jar.set(name.name, name.value),
    delete: (name: string | { name: string }) => session.jar.delete(typeof name === "string" ? name : name.name),
  }),
}));
vi.mock("next/server", async (importOriginal) => ({ ...(await importOriginal<typeof import("next/server")>()), connection: async () => {} }));

const getDb = useTestDatabase();

beforeAll(async () => {
  await seedDemo(getDb().db);
});

async function as(email: string | null) {
  if (!email) {
    session.user = null;
    return;
  }
  const [u] = await getDb().db.select().from(users).where(eq(users.email, email));
  if (!u) throw new Error(`no demo user ${email}`);
  session.user = { id: u.id, email: u.email, name: u.name, platformRole: u.platformRole, emailVerified: true, sessionIdHash: "coverage" };
}

const discovered = discoverMutations();

describe("audit coverage of mutating entry points", () => {
  it("finds the mutating routes and server actions", () => {
    expect(discovered.length).toBeGreaterThanOrEqual(10);
    expect(discovered).toContain("app/api/orgs/[slug]/route.ts PATCH");
    expect(discovered).toContain("app/(console)/account/actions.ts signOutOtherSessionsAction");
  });

  it("has a case for every one of them (add one in test/audit-coverage/cases.ts)", () => {
    const missing = discovered.filter((k) => !(k in COVERAGE_CASES));
    expect(missing, "mutating entry points without an audit coverage case").toEqual([]);
    const stale = Object.keys(COVERAGE_CASES).filter((k) => !discovered.includes(k));
    expect(stale, "cases for entry points that no longer exist").toEqual([]);
  });

  const pending = discovered.filter((k) => "pending" in (COVERAGE_CASES[k] ?? {}));
  for (const key of pending) it.todo(`${key} (pending: ${(COVERAGE_CASES[key] as { pending: string }).pending})`);

  it.each(discovered.filter((k) => k in COVERAGE_CASES && !pending.includes(k)))("%s leaves exactly one audit event", async (key) => {
    const c = COVERAGE_CASES[key] as CoverageCase;
    session.jar.clear();
    const ctx: CoverageContext = { entry: await loadEntry(key), as, call: callRoute, state: {}, jar: session.jar };
    expect(ctx.entry, `${key} is not exported`).toBeTypeOf("function");
    await as(null);
    await c.setup?.(ctx);
    const { db } = getDb();
    const [{ n: n0 } = { n: 0 }] = await db.select({ n: count() }).from(auditEvents);
    // By id, not by time: the setup's own event can carry the same millisecond as the run's start.
    const before = new Set((await db.select({ id: auditEvents.id }).from(auditEvents)).map((e) => e.id));
    await c.run(ctx);
    const [{ n: n1 } = { n: 0 }] = await db.select({ n: count() }).from(auditEvents);
    const fresh = (await db.select({ id: auditEvents.id, action: auditEvents.action }).from(auditEvents)).filter((e) => !before.has(e.id));
    expect(fresh.map((e) => e.action)).toEqual(c.action ? [c.action] : []);
    expect(n1 - n0).toBe(c.action ? 1 : 0);
  });
});
