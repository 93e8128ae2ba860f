import "server-only";
import { eq } from "drizzle-orm";
import { platformSettings } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

export const DCR_SETTING = "dynamic_client_registration";

/**
 * Whether dynamic client registration (RFC 7591) is on. Off unless a platform admin turned it on.
 * The value is a JSON boolean (as the platform settings API writes it).
 */
export async function isDynamicRegistrationEnabled(db: Executor = getDb()): Promise<boolean> {
  const [row] = await db
    .select({ value: platformSettings.value })
    .from(platformSettings)
    .where(eq(platformSettings.key, DCR_SETTING));
  const v = row?.value as { enabled?: unknown } | boolean | undefined;
  return v === true || (typeof v === "object" && v !== null && v.enabled === true);
}

/** Turn dynamic registration on or off (caller records the audit event in the same transaction). */
export async function setDynamicRegistrationEnabled(tx: Executor, enabled: boolean) {
  await tx
    .insert(platformSettings)
    .values({ key: DCR_SETTING, value: enabled })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: enabled, updatedAt: new Date() } });
}
