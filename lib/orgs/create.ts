import "server-only";
import { desc, eq } from "drizzle-orm";
import { z } from "zod";
import { orgs, roleMappings, roles } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDefaultPlan } from "@/lib/catalogue";
import { getDb } from "@/lib/db";
import { conflict, invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { insertInvitation } from "@/lib/invitations/create";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export const createOrgSchema = z
  .object({
    name: z.string().trim().min(2).max(80),
    slug: z.string().regex(/^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$/, "Lower-case letters, digits and dashes"),
    /** The plan; the default plan when absent. */
    mappingId: z.uuid().optional(),
    ownerEmail: z.email().max(320),
  })
  .strict();

/**
 * Platform staff create an org on a plan and invite its first Owner (who accepts through the sign-in
 * kit): one transaction, one audit event.
 */
export async function createOrgAsStaff(actor: { id: string; email: string; name: string | null }, input: z.infer<typeof createOrgSchema>, context: RequestContext) {
  return getDb().transaction(async (tx) => {
    const [taken] = await tx.select({ id: orgs.id }).from(orgs).where(eq(orgs.slug, input.slug));
    if (taken) throw conflict(`The slug "${input.slug}" is taken.`);
    const [chosen] = input.mappingId ? await tx.select().from(roleMappings).where(eq(roleMappings.id, input.mappingId)) : [await getDefaultPlan(tx)];
    if (!chosen) throw invalidInput("No such plan.", { mappingId: "Unknown plan" });
    const plan = chosen;
    const [row] = await tx.insert(orgs).values({ name: input.name, slug: input.slug, roleMappingId: plan.id }).returning();
    const org = { id: row!.id, slug: row!.slug, name: row!.name, requireMfa: row!.requireMfa };
    const [owner] = await tx.select().from(roles).orderBy(desc(roles.rank)).limit(1);
    const { invitation } = await insertInvitation(tx, actor, { org, role: owner! }, { email: input.ownerEmail, roleKey: owner!.key });
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "org.created",
      target: { type: "org", id: org.id, name: org.name },
      context,
      metadata: { plan: plan.name, by: "platform_staff", ownerInvited: input.ownerEmail, invitationId: invitation.id },
    });
    await emitWebhookEvent(tx, "org.created", `org:${org.id}`, { id: org.id, slug: org.slug, name: org.name, plan: plan.name });
    return org;
  });
}
