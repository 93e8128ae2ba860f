import "server-only";
import { and, eq } from "drizzle-orm";
import { memberships, orgs, userApiKeys } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { AppError, forbidden, invalidInput, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { getPlatformSettings } from "@/lib/platform/settings";
import { listPermissions } from "@/lib/rbac";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { type CreateUserApiKeyInput, USER_KEY_PREFIXES } from "./schema";

type Actor = { id: string; email: string; name: string | null };

export interface CreatedUserApiKey {
  id: string;
  name: string;
  prefix: string;
  /** The secret, returned this once. */
  key: string;
  expiresAt: Date | null;
  permissions: string[] | null;
  rateLimitPerMinute: number;
}

/** A personal key: acts as the user (in `input.org` when given). */
export async function createPersonalApiKey(actor: Actor, input: CreateUserApiKeyInput, context: RequestContext): Promise<CreatedUserApiKey> {
  return getDb().transaction(async (tx) => {
    const settings = await getPlatformSettings(tx);
    if (!settings.personal_api_keys) throw new AppError(403, "personal_api_keys_disabled", "Personal API keys are switched off on this platform.");
    let orgId: string | null = null;
    if (input.org) {
      const [m] = await tx
        .select({ orgId: orgs.id })
        .from(orgs)
        .innerJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, actor.id)))
        .where(eq(orgs.slug, input.org));
      if (!m) throw notFound("No such organization.");
      orgId = m.orgId;
    }
    if (input.permissions && !orgId) throw invalidInput("Permissions belong to an org: pick the org the key acts in.", { permissions: "needs_org" });
    if (input.permissions && orgId) await assertWithin(tx, actor.id, orgId, input.permissions);
    return insertKey(tx, actor, { ownerType: "user", userId: actor.id, orgId, roleId: null }, input, settings, context);
  });
}

/** An org key: acts as the org with its creator's role, under the org's plan at each use. */
export async function createOrgApiKey(actor: Actor, org: { id: string }, input: CreateUserApiKeyInput, context: RequestContext): Promise<CreatedUserApiKey> {
  if (input.org) throw invalidInput("An org key belongs to the org in the address; leave out org.", { org: "not_allowed" });
  return getDb().transaction(async (tx) => {
    const settings = await getPlatformSettings(tx);
    if (!settings.org_api_keys) throw new AppError(403, "org_api_keys_disabled", "Org API keys are switched off on this platform.");
    // The creator's role now, inside the transaction (a concurrent demotion is seen).
    const [m] = await tx
      .select({ roleId: memberships.roleId })
      .from(memberships)
      .where(and(eq(memberships.orgId, org.id), eq(memberships.userId, actor.id)))
      .for("share");
    if (!m) throw notFound("No such organization.");
    const own = await listPermissions(actor.id, org.id, tx);
    if (!own.includes("api_keys::manage")) throw forbidden("This needs the api_keys::manage permission.");
    if (input.permissions) await assertWithin(tx, actor.id, org.id, input.permissions, own);
    return insertKey(tx, actor, { ownerType: "org", userId: null, orgId: org.id, roleId: m.roleId }, input, settings, context);
  });
}

/** Refuse permissions the creator does not hold in the org. */
async function assertWithin(db: Executor, userId: string, orgId: string, wanted: string[], own?: string[]) {
  const held = own ?? (await listPermissions(userId, orgId, db));
  const beyond = wanted.filter((p) => !held.includes(p));
  if (beyond.length) throw forbidden(`A key cannot have permissions its creator lacks: ${beyond.join(", ")}.`);
}

async function insertKey(
  tx: Executor,
  actor: Actor,
  owner: { ownerType: "user" | "org"; userId: string | null; orgId: string | null; roleId: string | null },
  input: CreateUserApiKeyInput,
  settings: { api_key_default_rate_limit: number; api_keys_allow_no_expiry: boolean },
  context: RequestContext,
): Promise<CreatedUserApiKey> {
  if (input.expiresInDays === null && !settings.api_keys_allow_no_expiry) {
    throw invalidInput("Keys must expire on this platform: pick a number of days.", { expiresInDays: "required" });
  }
  const key = `${USER_KEY_PREFIXES[input.mode]}${randomToken(32)}`;
  const expiresAt = input.expiresInDays === null ? null : new Date(Date.now() + input.expiresInDays * 86_400_000);
  const permissions = input.permissions ? [...new Set(input.permissions)].sort() : null;
  const rateLimitPerMinute = input.rateLimitPerMinute ?? settings.api_key_default_rate_limit;
  const [row] = await tx
    .insert(userApiKeys)
    .values({ ...owner, name: input.name, prefix: key.slice(0, 16), keyHash: sha256(key), mode: input.mode, permissions, rateLimitPerMinute, expiresAt, createdBy: actor.id })
    .returning({ id: userApiKeys.id, prefix: userApiKeys.prefix });
  const detail = { owner: owner.ownerType, prefix: row!.prefix, mode: input.mode, permissions, rateLimitPerMinute, expiresAt: expiresAt?.toISOString() ?? null };
  await recordAudit(tx as Parameters<typeof recordAudit>[0], {
    orgId: owner.orgId,
    actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
    action: "api_key.created",
    target: { type: "api_key", id: row!.id, name: input.name },
    context,
    metadata: detail,
  });
  await emitWebhookEvent(tx, "api_key.created", `api_key:${row!.id}`, { id: row!.id, name: input.name, orgId: owner.orgId, userId: owner.userId, ...detail });
  return { id: row!.id, name: input.name, prefix: row!.prefix, key, expiresAt, permissions, rateLimitPerMinute };
}
