import "server-only";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { getPlatformSettings, type PlatformSettingKey, type PlatformSettingsValues, setPlatformSetting } from "./settings";

export const platformSettingsSchema = z
  .object({
    require_mfa: z.boolean(),
    require_mfa_for_staff: z.boolean(),
    allow_org_creation: z.boolean(),
    dynamic_client_registration: z.boolean(),
    personal_api_keys: z.boolean(),
    org_api_keys: z.boolean(),
    api_key_default_rate_limit: z.number().int().min(1).max(1_000_000),
    api_keys_allow_no_expiry: z.boolean(),
    webhooks_allow_private_addresses: z.boolean(),
  })
  .partial()
  .strict();

/** Change platform settings as one audited change (before → after). */
export async function updatePlatformSettings(
  actor: { id: string; name: string | null; email: string },
  input: z.infer<typeof platformSettingsSchema>,
  context: RequestContext,
): Promise<PlatformSettingsValues> {
  return getDb().transaction(async (tx) => {
    const before = await getPlatformSettings(tx);
    for (const [key, value] of Object.entries(input) as [PlatformSettingKey, PlatformSettingsValues[PlatformSettingKey]][]) {
      await setPlatformSetting(tx, key, value);
    }
    const after = { ...before, ...input };
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "platform.settings_changed",
      target: { type: "platform", id: "settings", name: "Platform settings" },
      context,
      metadata: { before, after },
    });
    return after;
  });
}
