import { and, asc, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditChainLinks, auditEvents, invitations, memberships, roles, users } from "@/drizzle/schema";
import { flushAuditChains } from "@/lib/audit/sequencer";
import { getDb as appDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { acceptInvitation } from "@/lib/invitations/accept";
import { createInvitation } from "@/lib/invitations/create";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { changeMemberRole, leaveOrg, removeMember, transferOwnership } from "./members";
import { countOwners } from "./authority";
import { findMembershipBySlug, type MembershipDto } from "./queries";

// Races must run on the PostgreSQL server to mean anything (PGlite runs one query at a time);
// on PGlite they pass trivially and still check the outcomes.
const getDb = useTestDatabase();
const ctx = systemContext();
type Person = { id: string; email: string; name: string | null };
let xcorpId: string;
let roleIds: Record<string, string>;

beforeAll(async () => {
  const { db } = getDb();
  await seedDemo(db);
  xcorpId = (await findMembershipBySlug((await person("owner@xcorp.example")).id, "xcorp"))!.org.id;
  roleIds = Object.fromEntries((await db.select().from(roles)).map((r) => [r.key, r.id]));
});

async function person(email: string): Promise<Person> {
  const [u] = await getDb().db.select().from(users).where(eq(users.email, email));
  return u!;
}

/** A fresh org-less set of users, made members of XCorp with `role`. */
async function members(prefix: string, n: number, role: string): Promise<Person[]> {
  const { db } = getDb();
  const rows = await db
    .insert(users)
    .values(Array.from({ length: n }, (_, i) => ({ email: `${prefix}${i}@xcorp.example`, name: `${prefix} ${i}` })))
    .returning();
  await db.insert(memberships).values(rows.map((u) => ({ orgId: xcorpId, userId: u.id, roleId: roleIds[role]! })));
  return rows;
}

const membership = async (p: Person) => (await findMembershipBySlug(p.id, "xcorp")) as MembershipDto;

async function roleOf(p: Person): Promise<string | null> {
  const [row] = await getDb()
    .db.select({ key: roles.key })
    .from(memberships)
    .innerJoin(roles, eq(roles.id, memberships.roleId))
    .where(and(eq(memberships.orgId, xcorpId), eq(memberships.userId, p.id)));
  return row?.key ?? null;
}

describe("authority changes are serialized per org", () => {
  it("20 concurrent cross-demotions among 20 Owners always leave at least 1 Owner", async () => {
    const { db } = getDb();
    const owners = await members("ring", 20, "owner");
    // Everyone else steps down first, so these 20 are the only Owners.
    await db
      .update(memberships)
      .set({ roleId: roleIds.admin! })
      .where(and(eq(memberships.orgId, xcorpId), eq(memberships.userId, (await person("owner@xcorp.example")).id)));
    const views = await Promise.all(owners.map(membership)); // each read before the race, as a request would
    const results = await Promise.allSettled(
      owners.map((o, i) => changeMemberRole(o, views[i]!, owners[(i + 1) % 20]!.id, { roleKey: "admin" }, ctx)),
    );
    expect(await countOwners(db, xcorpId)).toBeGreaterThanOrEqual(1);
    const ok = results.filter((r) => r.status === "fulfilled").length;
    expect(ok).toBeLessThan(20);
    expect(await countOwners(db, xcorpId)).toBe(20 - ok);
    // Restore: the demo owner is Owner again, the ring leaves.
    await db.update(memberships).set({ roleId: roleIds.owner! }).where(eq(memberships.userId, (await person("owner@xcorp.example")).id));
    await db.delete(memberships).where(inArray(memberships.userId, owners.map((o) => o.id)));
  });

  it("two Owners removing each other at once: one stays", async () => {
    const { db } = getDb();
    for (let round = 0; round < 5; round++) {
      const [a, b] = await members(`pair${round}-`, 2, "owner");
      await db.delete(memberships).where(and(eq(memberships.orgId, xcorpId), eq(memberships.userId, (await person("owner@xcorp.example")).id)));
      const [ma, mb] = await Promise.all([membership(a!), membership(b!)]);
      await Promise.allSettled([removeMember(a!, ma, b!.id, ctx), removeMember(b!, mb, a!.id, ctx)]);
      expect(await countOwners(db, xcorpId)).toBe(1);
      await db.delete(memberships).where(inArray(memberships.userId, [a!.id, b!.id]));
      await db.insert(memberships).values({ orgId: xcorpId, userId: (await person("owner@xcorp.example")).id, roleId: roleIds.owner! });
    }
  });

  it("a demotion racing an invitation's acceptance never lets the invitee join with authority the inviter no longer had", async () => {
    const { db } = getDb();
    const owner = await person("owner@xcorp.example");
    for (let round = 0; round < 8; round++) {
      const [inviter] = await members(`inviter${round}-`, 1, "admin");
      const [invitee] = await db.insert(users).values({ email: `invitee${round}@xcorp.example`, name: "Invitee" }).returning();
      const { invitation } = await createInvitation(inviter!, await membership(inviter!), { email: invitee!.email, roleKey: "admin" }, ctx);
      const ownerView = await membership(owner);
      const [demoted, accepted] = await Promise.allSettled([
        changeMemberRole(owner, ownerView, inviter!.id, { roleKey: "member" }, ctx),
        appDb().transaction((tx) => acceptInvitation(tx, invitee!, { id: invitation.id }, ctx)),
      ]);
      expect(demoted.status).toBe("fulfilled");
      await flushAuditChains(db);
      const events = await db
        .select({ action: auditEvents.action, seq: auditChainLinks.seq })
        .from(auditEvents)
        .innerJoin(auditChainLinks, eq(auditChainLinks.eventId, auditEvents.id))
        .where(and(eq(auditEvents.orgId, xcorpId), inArray(auditEvents.targetId, [inviter!.id, invitee!.id])))
        .orderBy(asc(auditChainLinks.seq));
      if (accepted.status === "fulfilled") {
        // Joined as Admin only if the acceptance came first, while the inviter was still an Admin.
        expect(await roleOf(invitee!)).toBe("admin");
        expect(events.map((e) => e.action)).toEqual(["org.joined", "member.role_changed"]);
      } else {
        expect(await roleOf(invitee!)).toBeNull();
        const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
        expect(row!.revokedAt).not.toBeNull();
      }
    }
  });
});

describe("invitations carry their inviter's authority", () => {
  it("an Admin demoted to Member: their Admin invitation is withdrawn and cannot be accepted", async () => {
    const owner = await person("owner@xcorp.example");
    const [inviter] = await members("demoted", 1, "admin");
    const [invitee] = await getDb().db.insert(users).values({ email: "late@xcorp.example", name: "Late" }).returning();
    const { invitation } = await createInvitation(inviter!, await membership(inviter!), { email: invitee!.email, roleKey: "admin" }, ctx);
    await changeMemberRole(owner, await membership(owner), inviter!.id, { roleKey: "member" }, ctx);
    const err = await appDb()
      .transaction((tx) => acceptInvitation(tx, invitee!, { id: invitation.id }, ctx))
      .catch((e) => e);
    expect(err).toMatchObject({ status: 410 });
    expect(await roleOf(invitee!)).toBeNull();
  });

  it("is refused at use when the inviter lost the right to grant the role some other way", async () => {
    const { db } = getDb();
    const [inviter] = await members("lost", 1, "admin");
    const [invitee] = await db.insert(users).values({ email: "other@xcorp.example", name: "Other" }).returning();
    const { invitation } = await createInvitation(inviter!, await membership(inviter!), { email: invitee!.email, roleKey: "admin" }, ctx);
    // The inviter's rank drops without the usual path (e.g. a direct data fix): checked at acceptance.
    await db.update(memberships).set({ roleId: roleIds.member! }).where(eq(memberships.userId, inviter!.id));
    const err = await appDb()
      .transaction((tx) => acceptInvitation(tx, invitee!, { id: invitation.id }, ctx))
      .catch((e) => e);
    expect(err).toMatchObject({ status: 410, code: "invitation_unavailable" });
  });

  it("an Admin cannot revoke or resend an Owner-level invitation; an Owner can", async () => {
    const { revokeInvitation, resendInvitation } = await import("@/lib/invitations/manage");
    const owner = await person("owner@xcorp.example");
    const admin = await person("admin@xcorp.example");
    const { invitation } = await createInvitation(owner, await membership(owner), { email: "boss@xcorp.example", roleKey: "owner" }, ctx);
    await expect(revokeInvitation(admin, await membership(admin), invitation.id, ctx)).rejects.toMatchObject({ status: 403 });
    await expect(resendInvitation(admin, await membership(admin), invitation.id, ctx)).rejects.toMatchObject({ status: 403 });
    await revokeInvitation(owner, await membership(owner), invitation.id, ctx);
  });

  it("leaving withdraws your pending invitations; the last Owner cannot leave; ownership transfers in one step", async () => {
    const { db } = getDb();
    const [leaver] = await members("leaver", 1, "admin");
    const { invitation } = await createInvitation(leaver!, await membership(leaver!), { email: "friend@xcorp.example", roleKey: "member" }, ctx);
    await leaveOrg(leaver!, await membership(leaver!), ctx);
    expect(await roleOf(leaver!)).toBeNull();
    expect((await db.select().from(invitations).where(eq(invitations.id, invitation.id)))[0]!.revokedAt).not.toBeNull();

    const owner = await person("owner@xcorp.example");
    expect(await countOwners(db, xcorpId)).toBe(1);
    await expect(leaveOrg(owner, await membership(owner), ctx)).rejects.toMatchObject({ status: 409, code: "last_owner" });
    const admin = await person("admin@xcorp.example");
    await expect(transferOwnership(admin, await membership(admin), owner.id, ctx)).rejects.toMatchObject({ status: 403 });
    await transferOwnership(owner, await membership(owner), admin.id, ctx);
    expect([await roleOf(owner), await roleOf(admin)]).toEqual(["admin", "owner"]);
    await transferOwnership(admin, await membership(admin), owner.id, ctx);
    expect([await roleOf(owner), await roleOf(admin)]).toEqual(["owner", "admin"]);
  });
});
