import "server-only";
import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import { oauthClients, orgs } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { type ClientForm, redirectUrisOf } from "./client-schema";
import { revokeGrantsWhere } from "./grants";
import { oauthGrants } from "@/drizzle/schema";

export interface ClientDto {
  id: string;
  orgId: string | null;
  orgName: string | null;
  name: string;
  type: string;
  redirectUris: string[];
  presets: string[];
  allowedScopes: string[];
  accessTokenTtlSeconds: number;
  registration: string;
  verified: boolean;
  disabled: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const columns = {
  id: oauthClients.id,
  orgId: oauthClients.orgId,
  orgName: orgs.name,
  name: oauthClients.name,
  type: oauthClients.type,
  redirectUris: oauthClients.redirectUris,
  presets: oauthClients.presets,
  allowedScopes: oauthClients.allowedScopes,
  accessTokenTtlSeconds: oauthClients.accessTokenTtlSeconds,
  registration: oauthClients.registration,
  verified: oauthClients.verified,
  disabledAt: oauthClients.disabledAt,
  createdAt: oauthClients.createdAt,
  lastUsedAt: oauthClients.lastUsedAt,
};

/** Clients owned by an org (`orgId`), or every client (`null`, platform admins). */
export async function listClients(
  scope: { orgId: string } | { all: true },
  db: Executor = getDb(),
): Promise<ClientDto[]> {
  const rows = await db
    .select(columns)
    .from(oauthClients)
    .leftJoin(orgs, eq(orgs.id, oauthClients.orgId))
    .where("orgId" in scope ? eq(oauthClients.orgId, scope.orgId) : undefined)
    .orderBy(desc(oauthClients.createdAt));
  return rows.map(({ disabledAt, ...r }) => ({ ...r, disabled: disabledAt !== null }));
}

export interface Actor {
  user: { id: string; email: string };
  context: RequestContext;
}

/** Where a client belongs: an org's own, or a platform-wide one (orgId null). */
export type ClientOwner = { orgId: string } | { orgId: null };

function ownerWhere(owner: ClientOwner, id: string): SQL {
  return owner.orgId
    ? and(eq(oauthClients.id, id), eq(oauthClients.orgId, owner.orgId))!
    : eq(oauthClients.id, id);
}

/** Register a client. A confidential client's secret is returned once and stored as SHA-256. */
export async function createClient(
  owner: ClientOwner,
  form: ClientForm,
  actor: Actor,
): Promise<{ clientId: string; clientSecret: string | null }> {
  const clientId = `gh_${randomToken(18)}`;
  const clientSecret = form.type === "confidential" ? `ghs_${randomToken(32)}` : null;
  await getDb().transaction(async (tx) => {
    await tx.insert(oauthClients).values({
      id: clientId,
      orgId: owner.orgId,
      name: form.name,
      type: form.type,
      secretHash: clientSecret ? sha256(clientSecret) : null,
      redirectUris: redirectUrisOf(form),
      presets: form.presets,
      allowedScopes: form.allowedScopes,
      accessTokenTtlSeconds: form.accessTokenTtlSeconds,
      registration: "manual",
      verified: true,
      createdBy: actor.user.id,
    });
    await recordAudit(tx, {
      orgId: owner.orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: "oauth_client.created",
      target: { type: "oauth_client", id: clientId, name: form.name },
      clientId,
      context: actor.context,
      metadata: {
        type: form.type,
        presets: form.presets,
        redirect_uris: redirectUrisOf(form),
        scopes: form.allowedScopes,
      },
    });
  });
  return { clientId, clientSecret };
}

/** Edit name, redirect URIs, scopes and token lifetime (the type and secret stay). */
export async function updateClient(
  owner: ClientOwner,
  id: string,
  form: ClientForm,
  actor: Actor,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [before] = await tx
      .select(columns)
      .from(oauthClients)
      .leftJoin(orgs, eq(orgs.id, oauthClients.orgId))
      .where(ownerWhere(owner, id));
    if (!before) throw notFound("No such client.");
    const after = {
      name: form.name,
      redirectUris: redirectUrisOf(form),
      presets: form.presets,
      allowedScopes: form.allowedScopes,
      accessTokenTtlSeconds: form.accessTokenTtlSeconds,
    };
    await tx
      .update(oauthClients)
      .set({ ...after, updatedAt: new Date() })
      .where(ownerWhere(owner, id));
    await recordAudit(tx, {
      orgId: before.orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: "oauth_client.updated",
      target: { type: "oauth_client", id, name: form.name },
      clientId: id,
      context: actor.context,
      metadata: {
        before: {
          name: before.name,
          redirectUris: before.redirectUris,
          allowedScopes: before.allowedScopes,
          accessTokenTtlSeconds: before.accessTokenTtlSeconds,
        },
        after,
      },
    });
  });
}

/** Disable (revoking every grant, so its tokens die at once) or re-enable a client. */
export async function setClientDisabled(
  owner: ClientOwner,
  id: string,
  disabled: boolean,
  actor: Actor,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(oauthClients)
      .set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
      .where(ownerWhere(owner, id))
      .returning({ name: oauthClients.name, orgId: oauthClients.orgId });
    if (!row) throw notFound("No such client.");
    const revoked = disabled
      ? await revokeGrantsWhere(tx, eq(oauthGrants.clientId, id), "client_disabled")
      : [];
    await recordAudit(tx, {
      orgId: row.orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: disabled ? "oauth_client.disabled" : "oauth_client.enabled",
      target: { type: "oauth_client", id, name: row.name },
      clientId: id,
      context: actor.context,
      metadata: { grants_revoked: revoked.length },
    });
  });
}

/** Delete a client; its grants, codes and tokens go with it (cascade). */
export async function deleteClient(owner: ClientOwner, id: string, actor: Actor): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .delete(oauthClients)
      .where(ownerWhere(owner, id))
      .returning({ name: oauthClients.name, orgId: oauthClients.orgId });
    if (!row) throw notFound("No such client.");
    await recordAudit(tx, {
      orgId: row.orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: "oauth_client.deleted",
      target: { type: "oauth_client", id, name: row.name },
      clientId: id,
      context: actor.context,
    });
  });
}

/** Active clients only (for tests and tooling). */
export async function isClientActive(id: string, db: Executor = getDb()): Promise<boolean> {
  const rows = await db
    .select({ id: oauthClients.id })
    .from(oauthClients)
    .where(and(eq(oauthClients.id, id), isNull(oauthClients.disabledAt)));
  return rows.length > 0;
}
