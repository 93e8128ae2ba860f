import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { orgs } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import type { OrgDto } from "./queries";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Enter a domain such as example.com");

export const orgSettingsSchema = z
  .object({
    name: z.string().trim().min(2, "Use at least 2 characters").max(80, "Use at most 80 characters"),
    autoJoinDomains: z.array(domain).max(20).optional(),
    restrictToDomains: z.boolean().optional(),
    requireMfa: z.boolean().optional(),
    /** Require a phishing-resistant factor (a passkey) of members. */
    requirePasskey: z.boolean().optional(),
  })
  .partial({ name: true })
  .strict()
  .refine((o) => Object.values(o).some((v) => v !== undefined), "Nothing to change.");
export type OrgSettingsInput = z.infer<typeof orgSettingsSchema>;

export interface OrgSettings {
  name: string;
  autoJoinDomains: string[];
  restrictToDomains: boolean;
  requireMfa: boolean;
  requirePasskey: boolean;
}

export async function getOrgSettings(orgId: string): Promise<OrgSettings> {
  const [row] = await getDb()
    .select({ name: orgs.name, autoJoinDomains: orgs.autoJoinDomains, restrictToDomains: orgs.restrictToDomains, requireMfa: orgs.requireMfa, requirePasskey: orgs.requirePasskey })
    .from(orgs)
    .where(eq(orgs.id, orgId));
  return row!;
}

/** Change an org's settings, with its audit event, in one transaction. Scoped by the org id from the session. */
export async function updateOrgSettings(
  actor: { id: string; name: string | null; email: string },
  org: OrgDto,
  input: OrgSettingsInput,
  context: RequestContext,
): Promise<OrgDto> {
  return getDb().transaction(async (tx) => {
    const [before] = await tx
      .select({ name: orgs.name, autoJoinDomains: orgs.autoJoinDomains, restrictToDomains: orgs.restrictToDomains, requireMfa: orgs.requireMfa, requirePasskey: orgs.requirePasskey })
      .from(orgs)
      .where(eq(orgs.id, org.id))
      .for("update");
    const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<OrgSettingsInput>;
    if (changes.autoJoinDomains) changes.autoJoinDomains = [...new Set(changes.autoJoinDomains)];
    const [after] = await tx
      .update(orgs)
      .set({ ...changes, updatedAt: new Date() })
      .where(eq(orgs.id, org.id))
      .returning({ id: orgs.id, slug: orgs.slug, name: orgs.name, requireMfa: orgs.requireMfa });
    const changed = Object.keys(changes) as (keyof typeof changes)[];
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "org.settings_changed",
      target: { type: "org", id: org.id, name: after!.name },
      context,
      metadata: {
        before: Object.fromEntries(changed.map((k) => [k, before?.[k]])),
        after: Object.fromEntries(changed.map((k) => [k, changes[k]])),
      },
    });
    await emitWebhookEvent(tx, "org.updated", `org:${org.id}`, { id: org.id, slug: after!.slug, name: after!.name, changed });
    return after!;
  });
}
