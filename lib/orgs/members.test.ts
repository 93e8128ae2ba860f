import { and, eq, gte } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, oauthClients, oauthGrants, users } from "@/drizzle/schema";
import { systemContext } from "@/lib/http/request-context";
import { revokeInvitation, listInvitations, resendInvitation } from "@/lib/invitations/manage";
import { createInvitation } from "@/lib/invitations/create";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { failure } from "@/test/expect-failure";
import { changeMemberRole, listMembers, removeMember } from "./members";
import { findMembershipBySlug, type MembershipDto } from "./queries";

const getDb = useTestDatabase();
type Actor = { id: string; email: string; name: string | null };
const people: Record<string, Actor> = {};
const ctx = systemContext();

beforeAll(async () => {
  await seedDemo(getDb().db);
  for (const u of await getDb().db.select().from(users)) people[u.email] = u;
});

const as = async (email: string, slug = "xcorp") => ({ actor: people[email]!, m: (await findMembershipBySlug(people[email]!.id, slug)) as MembershipDto });


describe("members", () => {
  it("lists with search and keyset pages, only the org's own members", async () => {
    const { m } = await as("owner@xcorp.example");
    const all = await listMembers(m.org.id, { limit: 25 });
    expect(all.members.map((x) => x.email)).toEqual(["admin@xcorp.example", "john@xcorp.example", "member@xcorp.example", "owner@xcorp.example"]);
    const first = await listMembers(m.org.id, { limit: 2 });
    const second = await listMembers(m.org.id, { limit: 2, after: first.nextCursor! });
    expect([...first.members, ...second.members].map((x) => x.email)).toEqual(all.members.map((x) => x.email));
    expect(second.nextCursor).toBeNull();
    expect([all.total, first.total, second.total]).toEqual([4, 4, undefined]);
    expect((await listMembers(m.org.id, { search: "xcorp.example", limit: 1 })).total).toBe(4);
    expect((await listMembers(m.org.id, { search: "JOHN", limit: 25 })).members.map((x) => x.name)).toEqual(["John Smith"]);
    expect((await listMembers(m.org.id, { search: "techcorp", limit: 25 })).members).toHaveLength(0);
    expect((await listMembers(m.org.id, { search: "JOHN", limit: 25 })).total).toBe(1);
  });

  it("changes a role with before → after, but never above the actor's own role", async () => {
    const admin = await as("admin@xcorp.example");
    const before = new Date();
    expect(await changeMemberRole(admin.actor, admin.m, people["john@xcorp.example"]!.id, { roleKey: "admin" }, ctx)).toMatchObject({ key: "admin" });
    // The demo seed holds an older role change of John's by the same admin: only this change's event counts.
    const [event, ...others] = await getDb()
      .db.select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.action, "member.role_changed"),
          eq(auditEvents.targetId, people["john@xcorp.example"]!.id),
          eq(auditEvents.actorId, admin.actor.id),
          gte(auditEvents.occurredAt, before),
        ),
      );
    expect(others).toEqual([]);
    expect(event!.metadata).toEqual({ before: { role: "Member" }, after: { role: "Admin" } });
    expect((await failure(changeMemberRole(admin.actor, admin.m, people["john@xcorp.example"]!.id, { roleKey: "owner" }, ctx))).status).toBe(403);
    expect((await failure(changeMemberRole(admin.actor, admin.m, people["owner@xcorp.example"]!.id, { roleKey: "member" }, ctx))).status).toBe(403);
    await changeMemberRole(admin.actor, admin.m, people["john@xcorp.example"]!.id, { roleKey: "member" }, ctx);
  });

  it("never demotes or removes the last owner", async () => {
    const owner = await as("owner@xcorp.example");
    const self = people["owner@xcorp.example"]!.id;
    expect(await failure(changeMemberRole(owner.actor, owner.m, self, { roleKey: "admin" }, ctx))).toMatchObject({ status: 409, code: "last_owner" });
    expect(await failure(removeMember(owner.actor, owner.m, self, ctx))).toMatchObject({ status: 409, code: "last_owner" });
    // With a second owner, the first may step down.
    await changeMemberRole(owner.actor, owner.m, people["admin@xcorp.example"]!.id, { roleKey: "owner" }, ctx);
    await changeMemberRole(owner.actor, owner.m, self, { roleKey: "admin" }, ctx);
    const newOwner = await as("admin@xcorp.example");
    await changeMemberRole(newOwner.actor, newOwner.m, self, { roleKey: "owner" }, ctx);
    await changeMemberRole(owner.actor, (await as("owner@xcorp.example")).m, people["admin@xcorp.example"]!.id, { roleKey: "admin" }, ctx);
  });

  it("cannot touch a member of another org", async () => {
    const techOwner = await as("owner@techcorp.example", "techcorp");
    expect((await failure(removeMember(techOwner.actor, techOwner.m, people["john@xcorp.example"]!.id, ctx))).status).toBe(404);
    expect((await failure(changeMemberRole(techOwner.actor, techOwner.m, people["john@xcorp.example"]!.id, { roleKey: "admin" }, ctx))).status).toBe(404);
  });

  it("removing a member revokes their OAuth grants for that org", async () => {
    const { db } = getDb();
    const owner = await as("owner@xcorp.example");
    const john = people["john@xcorp.example"]!;
    await db.insert(oauthClients).values({ id: "client-1", name: "Cursor", type: "public", redirectUris: ["cursor://x"], allowedScopes: ["mcp"] });
    const [grant] = await db.insert(oauthGrants).values({ clientId: "client-1", userId: john.id, orgId: owner.m.org.id, scopes: ["mcp"], resource: "https://r" }).returning();
    await removeMember(owner.actor, owner.m, john.id, ctx);
    const [after] = await db.select().from(oauthGrants).where(eq(oauthGrants.id, grant!.id));
    expect(after!.revokedAt).not.toBeNull();
    expect(after!.revokedReason).toBe("member_removed");
    expect(await findMembershipBySlug(john.id, "xcorp")).toBeNull();
  });

  it("lists, resends and revokes invitations of its own org only", async () => {
    const owner = await as("owner@xcorp.example");
    const { invitation } = await createInvitation(owner.actor, owner.m, { email: "later@example.com", roleKey: "member" }, ctx);
    const resent = await resendInvitation(owner.actor, owner.m, invitation.id, ctx);
    const list = await listInvitations(owner.m.org.id);
    expect(list.find((i) => i.id === invitation.id)!.status).toBe("revoked");
    expect(list.find((i) => i.id === resent.invitation.id)!.status).toBe("pending");
    const techOwner = await as("owner@techcorp.example", "techcorp");
    expect((await failure(revokeInvitation(techOwner.actor, techOwner.m, resent.invitation.id, ctx))).status).toBe(404);
    await revokeInvitation(owner.actor, owner.m, resent.invitation.id, ctx);
    expect((await listInvitations(owner.m.org.id)).find((i) => i.id === resent.invitation.id)!.status).toBe("revoked");
  });
});
