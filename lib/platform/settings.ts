import "server-only";
import { eq, sql } from "drizzle-orm";
import { platformSettings } from "@/drizzle/schema";
import { type Executor, getDb, type Tx } from "@/lib/db";

/** Platform-wide settings, with their defaults. */
export const PLATFORM_DEFAULTS = {
  /** Every user must enroll in MFA. */
  require_mfa: false,
  /** Platform staff (admin, support) must enroll in MFA; first-run setup turns it on by default. */
  require_mfa_for_staff: false,
  /** Users without an org may create one from the sign-in flow. */
  allow_org_creation: true,
  /** POST /oauth/register is open (RFC 7591). */
  dynamic_client_registration: false,
  /** End users may create personal API keys (/account/api-keys); existing keys stop validating when off. */
  personal_api_keys: true,
  /** Org admins (api_keys::manage) may create org API keys; existing keys stop validating when off. */
  org_api_keys: true,
  /** Requests per minute of a new personal or org API key unless its creator picks another. */
  api_key_default_rate_limit: 60,
  /** A personal or org API key may be created without an expiry. */
  api_keys_allow_no_expiry: true,
  /** Webhook endpoints may target private addresses (localhost, 10/8 …): for development only. */
  webhooks_allow_private_addresses: false,
};
export type PlatformSettingKey = keyof typeof PLATFORM_DEFAULTS;
export type PlatformSettingsValues = typeof PLATFORM_DEFAULTS;

export async function getPlatformSetting<K extends PlatformSettingKey>(key: K, db: Executor = getDb()): Promise<PlatformSettingsValues[K]> {
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, key));
  return row ? (row.value as PlatformSettingsValues[K]) : PLATFORM_DEFAULTS[key];
}

export async function getPlatformSettings(db: Executor = getDb()): Promise<PlatformSettingsValues> {
  const rows = await db.select().from(platformSettings);
  const values = { ...PLATFORM_DEFAULTS } as Record<string, unknown>;
  for (const r of rows) if (r.key in PLATFORM_DEFAULTS) values[r.key] = r.value;
  return values as PlatformSettingsValues;
}

/** Set a setting inside the caller's transaction (the caller records the audit event). */
export async function setPlatformSetting<K extends PlatformSettingKey>(tx: Tx, key: K, value: PlatformSettingsValues[K]): Promise<void> {
  await tx
    .insert(platformSettings)
    .values({ key, value })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: sql`excluded.value`, updatedAt: new Date() } });
}
