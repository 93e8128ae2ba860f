import "server-only";
import { getBrand } from "@/lib/brand";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { invitations, memberships, orgs, roles, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { getDb, type Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { conflict, forbidden, invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { enqueueMail } from "@/lib/mail/outbox";
import { actorRoleNow, lockOrgAuthority } from "@/lib/orgs/authority";
import type { MembershipDto } from "@/lib/orgs/queries";
import { isPendingInvitation } from "./pending";
import { normalizeEmail } from "@/lib/users/queries";

export const INVITATION_TTL_DAYS = 7;

export const createInvitationSchema = z
  .object({
    email: z.email("Enter a valid email address").max(320),
    roleKey: z.string().min(1).max(64),
  })
  .strict();
export type CreateInvitationInput = z.infer<typeof createInvitationSchema>;

export interface InvitationDto {
  id: string;
  email: string;
  role: { key: string; name: string };
  expiresAt: Date;
}

/**
 * Invite `email` to the inviter's org with a role no higher than the inviter's own. A pending
 * invitation to the same address is replaced. The link (token stored hashed) goes out by mail in
 * the same transaction as the invitation and its audit event.
 */
export async function createInvitation(
  inviter: { id: string; name: string | null; email: string },
  membership: MembershipDto,
  input: CreateInvitationInput,
  context: RequestContext,
  opts: { resend?: boolean } = {},
): Promise<{ invitation: InvitationDto; url: string }> {
  return getDb().transaction(async (tx) => {
    // Under the org's authority lock, with the inviter's role as it is now.
    await lockOrgAuthority(tx, membership.org.id);
    const role = await actorRoleNow(tx, membership.org.id, inviter.id);
    const result = await insertInvitation(tx, inviter, { org: membership.org, role }, input);
    await recordAudit(tx, {
      orgId: membership.org.id,
      actor: { type: "user", id: inviter.id, name: inviter.name ?? inviter.email },
      action: opts.resend ? "invitation.resent" : "invitation.created",
      target: { type: "invitation", id: result.invitation.id, name: result.invitation.email },
      context,
      metadata: { role: result.invitation.role.name, replaced: result.replaced, expiresAt: result.invitation.expiresAt.toISOString() },
    });
    return { invitation: result.invitation, url: result.url };
  });
}

/**
 * The invitation itself, inside the caller's transaction (which records the audit event): checks,
 * replaces a pending one, stores the hashed token and queues the mail.
 */
export async function insertInvitation(
  tx: Tx,
  inviter: { id: string; name: string | null; email: string },
  { org, role: inviterRole }: MembershipDto,
  input: CreateInvitationInput,
): Promise<{ invitation: InvitationDto; url: string; replaced: string[] }> {
  const email = normalizeEmail(input.email);
  const env = getEnv();
  const [role] = await tx.select().from(roles).where(eq(roles.key, input.roleKey));
  if (!role) throw invalidInput(`There is no role "${input.roleKey}".`, { roleKey: "Unknown role" });
  if (role.rank > inviterRole.rank) throw forbidden(`You cannot invite someone as ${role.name}, above your own role.`);

  const [policy] = await tx
    .select({ restrict: orgs.restrictToDomains, domains: orgs.autoJoinDomains })
    .from(orgs)
    .where(eq(orgs.id, org.id));
  const domain = email.split("@")[1] ?? "";
  if (policy?.restrict && !policy.domains.includes(domain)) {
    throw invalidInput(`Members of ${org.name} must use an address at ${policy.domains.join(", ") || "an approved domain"}.`, {
      email: "Not an allowed domain",
    });
  }

  const [member] = await tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, org.id), eq(users.email, email)));
  if (member) throw conflict(`${email} is already a member of ${org.name}.`, "already_member");

  const now = new Date();
  const replaced = await tx
    .update(invitations)
    .set({ revokedAt: now })
    .where(
      and(
        eq(invitations.orgId, org.id),
        eq(invitations.email, email),
        isPendingInvitation(now),
      ),
    )
    .returning({ id: invitations.id });

  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + INVITATION_TTL_DAYS * 86_400_000);
  const [row] = await tx
    .insert(invitations)
    .values({ orgId: org.id, email, roleId: role.id, tokenHash: sha256(token), invitedBy: inviter.id, expiresAt })
    .returning({ id: invitations.id });
  const url = `${env.APP_URL}/invite/${token}`;
  const inviterName = inviter.name ?? inviter.email;
  await enqueueMail(tx, {
    to: email,
    orgId: org.id,
    template: "invitation",
    subject: `${inviterName} invited you to ${org.name} on ${getBrand().productName}`,
    text: [
      `${inviterName} invited you to join ${org.name} as ${role.name}.`,
      "",
      `Accept the invitation: ${url}`,
      "",
      `The link works once and expires in ${INVITATION_TTL_DAYS} days.`,
    ].join("\n"),
  });
  return {
    invitation: { id: row!.id, email, role: { key: role.key, name: role.name }, expiresAt },
    url,
    replaced: replaced.map((r) => r.id),
  };
}
