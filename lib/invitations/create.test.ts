import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { auditEvents, invitations, mailOutbox, users } from "@/drizzle/schema";
import { sha256 } from "@/lib/crypto";
import { systemContext } from "@/lib/http/request-context";
import { openMailBody } from "@/lib/mail/body";
import { findMembershipBySlug, type MembershipDto } from "@/lib/orgs/queries";
import { seedDemo } from "@/lib/seed/demo";
import { useTestDatabase } from "@/test/db";
import { failure } from "@/test/expect-failure";
import { createInvitation } from "./create";

const getDb = useTestDatabase();
type Actor = { id: string; name: string | null; email: string };
let admin: Actor;
let adminMembership: MembershipDto;

beforeAll(async () => {
  await seedDemo(getDb().db);
  const [row] = await getDb().db.select().from(users).where(eq(users.email, "admin@xcorp.example"));
  admin = row!;
  adminMembership = (await findMembershipBySlug(admin.id, "xcorp"))!;
});


describe("createInvitation", () => {
  it("stores a hashed token, queues the mail and audits, in one go", async () => {
    const { invitation, url } = await createInvitation(admin, adminMembership, { email: " New.Person@Example.com ", roleKey: "member" }, systemContext());
    expect(invitation.email).toBe("new.person@example.com");
    const token = url.split("/invite/")[1]!;
    const { db } = getDb();
    const [row] = await db.select().from(invitations).where(eq(invitations.id, invitation.id));
    expect(row!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const mails = await db.select().from(mailOutbox).where(eq(mailOutbox.to, "new.person@example.com"));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.text).not.toContain(url); // sealed at rest
    expect(openMailBody(mails[0]!.text)).toContain(url);
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "invitation.created"), eq(auditEvents.targetId, invitation.id)));
    expect(events).toHaveLength(1);
    expect(events[0]!.metadata).toMatchObject({ role: "Member" });
  });

  it("replaces a pending invitation to the same address", async () => {
    const first = await createInvitation(admin, adminMembership, { email: "twice@example.com", roleKey: "member" }, systemContext());
    const second = await createInvitation(admin, adminMembership, { email: "twice@example.com", roleKey: "admin" }, systemContext());
    const rows = await getDb().db.select().from(invitations).where(eq(invitations.email, "twice@example.com"));
    expect(rows.find((r) => r.id === first.invitation.id)!.revokedAt).not.toBeNull();
    expect(rows.find((r) => r.id === second.invitation.id)!.revokedAt).toBeNull();
  });

  it("refuses a role above the inviter's, an unknown role and an existing member, writing nothing", async () => {
    const before = await getDb().db.select().from(invitations);
    expect((await failure(createInvitation(admin, adminMembership, { email: "x@example.com", roleKey: "owner" }, systemContext()))).status).toBe(403);
    expect((await failure(createInvitation(admin, adminMembership, { email: "x@example.com", roleKey: "emperor" }, systemContext()))).status).toBe(400);
    const member = await failure(createInvitation(admin, adminMembership, { email: "john@xcorp.example", roleKey: "member" }, systemContext()));
    expect(member).toMatchObject({ status: 409, code: "already_member" });
    expect(await getDb().db.select().from(invitations)).toHaveLength(before.length);
  });
});
