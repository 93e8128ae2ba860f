import { readJson } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { getPlatformSettings } from "@/lib/platform/settings";
import { platformSettingsSchema, updatePlatformSettings } from "@/lib/platform/update-settings";

// GET /api/admin/platform-settings — sign-in policy and other platform switches (platform admin)
export const GET = withPlatformStaff(async () => json({ settings: await getPlatformSettings() }));

// PATCH /api/admin/platform-settings — change them (platform admin; audited)
export const PATCH = withPlatformStaff(async ({ req, user, context }) => {
  const input = await readJson(req, platformSettingsSchema);
  return json({ settings: await updatePlatformSettings(user, input, context) });
});
