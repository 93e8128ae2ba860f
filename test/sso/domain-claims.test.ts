import { randomUUID } from "node:crypto";
import { and, count, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, orgs, ssoDomains, users } from "@/drizzle/schema";
import { AppError } from "@/lib/errors";
import { seedDemo } from "@/lib/seed/demo";
import { claimDomain, verifyDomainByDns } from "@/lib/sso/domains";
import { useTestDatabase } from "@/test/db";

const getDb = useTestDatabase();
const ctx = () => ({ ip: "127.0.0.1", userAgent: "vitest", requestId: randomUUID() });
const owners: Record<string, { id: string; email: string; orgId: string }> = {};

beforeAll(async () => {
  await seedDemo(getDb().db);
  for (const slug of ["xcorp", "techcorp"]) {
    const [org] = await getDb().db.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
    const [u] = await getDb().db.select({ id: users.id, email: users.email }).from(users).where(eq(users.email, `owner@${slug}.example`));
    owners[slug] = { ...u!, orgId: org!.id };
  }
});

describe("domain claims", () => {
  it("50 parallel claims of one domain by XCorp and TechCorp → exactly one wins, 49 get 409, one event", async () => {
    const domain = "contested.example";
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => {
        const o = owners[i % 2 ? "techcorp" : "xcorp"]!;
        return claimDomain(o.orgId, o, domain, ctx());
      }),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(refused).toHaveLength(49);
    for (const r of refused) expect(r.reason).toMatchObject({ status: 409, code: "domain_taken" });
    const rows = await getDb().db.select().from(ssoDomains).where(eq(ssoDomains.domain, domain));
    expect(rows).toHaveLength(1);
    const [events] = await getDb()
      .db.select({ n: count() })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sso.domain_claimed"), inArray(auditEvents.orgId, [owners.xcorp!.orgId, owners.techcorp!.orgId])));
    expect(events!.n).toBe(1);
  });

  it("DNS TXT verification goes through the resolver: a wrong record is a 409 (audited), the right one verifies", async () => {
    const o = owners.xcorp!;
    const { id } = await claimDomain(o.orgId, o, "dns-proof.example", ctx());
    const [row] = await getDb().db.select().from(ssoDomains).where(eq(ssoDomains.id, id));
    const asked: string[] = [];
    const wrong = { resolveTxt: async (name: string) => (asked.push(name), [["gatehouse-domain-verification=someone-else"]]) };
    await expect(verifyDomainByDns(o.orgId, o, id, ctx(), wrong)).rejects.toBeInstanceOf(AppError);
    expect(asked).toEqual(["_gatehouse.dns-proof.example"]);
    // Another org cannot verify XCorp's claim through its own URL.
    const t = owners.techcorp!;
    await expect(verifyDomainByDns(t.orgId, t, id, ctx(), wrong)).rejects.toMatchObject({ status: 404 });
    const right = { resolveTxt: async () => [["gatehouse-domain-", `verification=${row!.verificationToken}`]] };
    await verifyDomainByDns(o.orgId, o, id, ctx(), right);
    const [after] = await getDb().db.select().from(ssoDomains).where(eq(ssoDomains.id, id));
    expect(after!.verifiedAt).not.toBeNull();
    expect(after!.verifiedBy).toBe("dns");
    const actions = await getDb()
      .db.select({ outcome: auditEvents.outcome })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "sso.domain_verified"), eq(auditEvents.orgId, o.orgId)));
    expect(actions.map((a) => a.outcome).sort()).toEqual(["failure", "success"]);
  });
});
