import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { orgs } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import type { OrgDto } from "./queries";

export const orgSettingsSchema = z
  .object({
    name: z.string().trim().min(2, "Use at least 2 characters").max(80, "Use at most 80 characters"),
  })
  .strict();
export type OrgSettingsInput = z.infer<typeof orgSettingsSchema>;

/** Rename an org, with its audit event, in one transaction. Scoped by the org id from the session. */
export async function updateOrgSettings(
  actor: { id: string; name: string | null; email: string },
  org: OrgDto,
  input: OrgSettingsInput,
  context: RequestContext,
): Promise<OrgDto> {
  return getDb().transaction(async (tx) => {
    const [before] = await tx.select({ name: orgs.name }).from(orgs).where(eq(orgs.id, org.id)).for("update");
    const [after] = await tx
      .update(orgs)
      .set({ name: input.name, updatedAt: new Date() })
      .where(eq(orgs.id, org.id))
      .returning({ id: orgs.id, slug: orgs.slug, name: orgs.name, requireMfa: orgs.requireMfa });
    await recordAudit(tx, {
      orgId: org.id,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "org.settings_changed",
      target: { type: "org", id: org.id, name: input.name },
      context,
      metadata: { before: { name: before?.name }, after: { name: input.name } },
    });
    return after!;
  });
}
