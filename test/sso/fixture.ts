import { randomUUID } from "node:crypto";
import { and, asc, eq, gt } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { auditEvents, memberships, orgs, roles, users } from "@/drizzle/schema";
import type { RequestContext } from "@/lib/http/request-context";
import { currentFlow, snapshot } from "@/lib/login-flow/flow";
import { seedDemo } from "@/lib/seed/demo";
import { idpRedirectForFlow, startSsoSignIn } from "@/lib/sso/sign-in";
import { useTestDatabase } from "@/test/db";
import { failure } from "@/test/expect-failure";

// The setup the OIDC and SAML SSO tests share: their own database with the demo data, the demo people
// and orgs they act as, and the reads their assertions make.

/** The demo people the SSO tests act as. */
const PEOPLE = ["owner@xcorp.example", "admin@xcorp.example", "member@xcorp.example", "owner@techcorp.example", "admin@gatehouse.example"];

export const ctx = (): RequestContext => ({ ip: "127.0.0.1", userAgent: "vitest", requestId: randomUUID() });

export async function expectFailure(p: Promise<unknown>, status: number, code?: string) {
  const err = await failure(p);
  expect(err.status, err.message).toBe(status);
  if (code) expect(err.code).toBe(code);
}

/** Inside `inBrowser`: type the address at /login, be routed to SSO, and get the IdP's URL. */
export async function redirectToIdp(email: string): Promise<URL> {
  await startSsoSignIn({ email }, ctx());
  expect((await snapshot(await currentFlow())).state).toBe("SSO_REDIRECT");
  return idpRedirectForFlow();
}

/**
 * Give this test file a database seeded with the demo data (in a `beforeAll` that runs before the
 * file's own). `world` is filled there: the demo people by email, and XCorp's and TechCorp's ids.
 */
export function useSsoWorld() {
  const getDb = useTestDatabase();
  const world = { people: {} as Record<string, { id: string; email: string }>, xcorp: "", techcorp: "" };

  /** The user with this email, or undefined. */
  async function person(email: string) {
    const [u] = await getDb().db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, email));
    return u;
  }

  /** The key of the user's role in the org, or null when not a member. */
  async function roleOf(email: string, orgId: string) {
    const [row] = await getDb()
      .db.select({ key: roles.key })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .innerJoin(roles, eq(roles.id, memberships.roleId))
      .where(and(eq(users.email, email), eq(memberships.orgId, orgId)));
    return row?.key ?? null;
  }

  /** The org's audit events after `since`, oldest first. */
  async function eventsSince(since: Date, orgId: string) {
    return getDb()
      .db.select({ action: auditEvents.action, outcome: auditEvents.outcome, metadata: auditEvents.metadata })
      .from(auditEvents)
      .where(and(eq(auditEvents.orgId, orgId), gt(auditEvents.occurredAt, since)))
      .orderBy(asc(auditEvents.occurredAt));
  }

  beforeAll(async () => {
    await seedDemo(getDb().db);
    for (const e of PEOPLE) world.people[e] = (await person(e))!;
    const all = await getDb().db.select({ id: orgs.id, slug: orgs.slug }).from(orgs);
    world.xcorp = all.find((o) => o.slug === "xcorp")!.id;
    world.techcorp = all.find((o) => o.slug === "techcorp")!.id;
  });

  return { getDb, world, person, roleOf, eventsSince };
}
