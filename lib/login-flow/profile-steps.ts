import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { MAX_PASSWORD_LENGTH, passwordProblem } from "@/lib/auth/password-policy";
import { revokeUserSessions } from "@/lib/auth/sessions";
import { getDb } from "@/lib/db";
import { invalidInput } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { requireFlowState } from "./flow";
import { sendSecurityNotice } from "./security-mails";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export const newPasswordSchema = z.object({ password: z.string().min(1, "Enter a new password").max(MAX_PASSWORD_LENGTH) }).strict();

/** UPDATE_PASSWORD_REQUIRED → set a new password; every other session of the user ends. */
export async function updateRequiredPassword(input: z.infer<typeof newPasswordSchema>, context: RequestContext): Promise<void> {
  const { user } = await requireFlowState("UPDATE_PASSWORD_REQUIRED");
  const problem = passwordProblem(input.password, { email: user!.email });
  if (problem) throw invalidInput(problem, { password: problem });
  const [current] = await getDb().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user!.id));
  if (current?.passwordHash && (await verifyPassword(current.passwordHash, input.password))) {
    const same = "Choose a password different from your current one.";
    throw invalidInput(same, { password: same });
  }
  const passwordHash = await hashPassword(input.password);
  await getDb().transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangeRequired: false, updatedAt: new Date() }).where(eq(users.id, user!.id));
    const revoked = await revokeUserSessions(tx, user!.id, "password_changed");
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user!.id, name: user!.name ?? user!.email },
      action: "password.changed",
      target: { type: "user", id: user!.id, name: user!.email },
      context,
      metadata: { reason: "required", sessionsRevoked: revoked },
    });
    await sendSecurityNotice(tx, user!.email, "password_changed");
  });
}

export const propertiesSchema = z.object({ values: z.record(z.string(), z.union([z.string().max(500), z.boolean()])) }).strict();

/** USER_MISSING_REQUIRED_PROPERTIES → fill in exactly the missing fields. */
export async function fillMissingProperties(input: z.infer<typeof propertiesSchema>, context: RequestContext): Promise<void> {
  const { user, missingProperties } = await requireFlowState("USER_MISSING_REQUIRED_PROPERTIES");
  const fields: Record<string, string> = {};
  const values: Record<string, string | boolean> = {};
  for (const p of missingProperties) {
    const v = input.values[p.key];
    if (p.type === "checkbox") {
      if (v !== true) fields[p.key] = `${p.label} is required.`;
      else values[p.key] = true;
    } else if (typeof v !== "string" || v.trim() === "") {
      fields[p.key] = `${p.label} is required.`;
    } else {
      values[p.key] = v.trim();
    }
  }
  const unknown = Object.keys(input.values).filter((k) => !missingProperties.some((p) => p.key === k));
  for (const k of unknown) fields[k] = "Not a field you need to fill in.";
  if (Object.keys(fields).length) throw invalidInput("Some fields need attention.", fields);

  const { name, ...rest } = values;
  await getDb().transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        ...(typeof name === "string" ? { name } : {}),
        properties: { ...user!.properties, ...rest },
        updatedAt: new Date(),
      })
      .where(eq(users.id, user!.id));
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user!.id, name: (typeof name === "string" ? name : user!.name) ?? user!.email },
      action: "user.profile_completed",
      target: { type: "user", id: user!.id, name: user!.email },
      context,
      metadata: { fields: Object.keys(values) },
    });
    await emitWebhookEvent(tx, "user.updated", `user:${user!.id}`, { id: user!.id, email: user!.email, fields: Object.keys(values) });
  });
}
