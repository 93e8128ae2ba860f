import "server-only";
import { randomBytes } from "node:crypto";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { memberships, orgs, roles } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDefaultPlan } from "@/lib/catalogue";
import { type Executor, getDb } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { acceptInvitation, pendingInvitationsFor } from "@/lib/invitations/accept";
import { getPlatformSetting } from "@/lib/platform/settings";
import { requireFlowState } from "./flow";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export interface JoinOptions {
  invitations: Awaited<ReturnType<typeof pendingInvitationsFor>>;
  autoJoin: { id: string; name: string; slug: string }[];
  canCreateOrg: boolean;
}

/** What a user without an org can do: accept an invitation, join by email domain, or create an org. */
export async function joinOptions(user: { email: string }, db: Executor = getDb()): Promise<JoinOptions> {
  const domain = user.email.split("@")[1] ?? "";
  const [invites, autoJoin, canCreateOrg] = await Promise.all([
    pendingInvitationsFor(user.email, db),
    db
      .select({ id: orgs.id, name: orgs.name, slug: orgs.slug })
      .from(orgs)
      .where(sql`${domain} = any(${orgs.autoJoinDomains})`)
      .orderBy(asc(orgs.name)),
    getPlatformSetting("allow_org_creation", db),
  ]);
  return { invitations: invites, autoJoin, canCreateOrg };
}

export const joinSchema = z.union([
  z.object({ invitationId: z.uuid() }).strict(),
  z.object({ autoJoinOrgId: z.uuid() }).strict(),
  z.object({ createOrg: z.object({ name: z.string().trim().min(2, "Use at least 2 characters").max(80) }).strict() }).strict(),
]);

function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base.length >= 2 ? base : "org";
}

/** USER_MUST_BE_IN_AT_LEAST_ONE_ORG → join or create an org. */
export async function joinOrganization(input: z.infer<typeof joinSchema>, context: RequestContext): Promise<{ slug: string }> {
  const { user } = await requireFlowState("USER_MUST_BE_IN_AT_LEAST_ONE_ORG");
  const u = user!;
  return getDb().transaction(async (tx) => {
    if ("invitationId" in input) {
      const { org } = await acceptInvitation(tx, u, { id: input.invitationId }, context);
      return { slug: org.slug };
    }
    const [member] = await tx.select().from(roles).where(eq(roles.key, "member"));
    if ("autoJoinOrgId" in input) {
      const domain = u.email.split("@")[1] ?? "";
      const [org] = await tx
        .select()
        .from(orgs)
        .where(and(eq(orgs.id, input.autoJoinOrgId), sql`${domain} = any(${orgs.autoJoinDomains})`));
      if (!org) throw notFound("That organization does not accept your email domain.");
      await tx.insert(memberships).values({ orgId: org.id, userId: u.id, roleId: member!.id }).onConflictDoNothing();
      await recordAudit(tx, {
        orgId: org.id,
        actor: { type: "user", id: u.id, name: u.name ?? u.email },
        action: "org.joined",
        target: { type: "user", id: u.id, name: u.email },
        context,
        metadata: { via: "email_domain", domain, role: member!.name },
      });
      await emitWebhookEvent(tx, "org.member_added", `org:${org.id}`, { orgId: org.id, orgSlug: org.slug, userId: u.id, email: u.email, role: member!.key, via: "email_domain" });
      return { slug: org.slug };
    }
    if (!(await getPlatformSetting("allow_org_creation", tx))) throw forbidden("Creating organizations is turned off.");
    const [owner] = await tx.select().from(roles).orderBy(sql`${roles.rank} desc`).limit(1);
    const plan = await getDefaultPlan(tx);
    let slug = slugify(input.createOrg.name);
    const [taken] = await tx.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, slug));
    if (taken) slug = `${slug.slice(0, 38)}-${randomBytes(3).toString("hex")}`;
    const [org] = await tx.insert(orgs).values({ slug, name: input.createOrg.name, roleMappingId: plan.id }).returning();
    await tx.insert(memberships).values({ orgId: org!.id, userId: u.id, roleId: owner!.id });
    await recordAudit(tx, {
      orgId: org!.id,
      actor: { type: "user", id: u.id, name: u.name ?? u.email },
      action: "org.created",
      target: { type: "org", id: org!.id, name: org!.name },
      context,
      metadata: { plan: plan.name, owner: u.email },
    });
    await emitWebhookEvent(tx, "org.created", `org:${org!.id}`, { id: org!.id, slug, name: org!.name, plan: plan.name });
    await emitWebhookEvent(tx, "org.member_added", `org:${org!.id}`, { orgId: org!.id, orgSlug: slug, userId: u.id, email: u.email, role: owner!.key, via: "org_created" });
    return { slug };
  });
}
