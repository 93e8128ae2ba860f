import "server-only";
import { and, asc, eq, inArray } from "drizzle-orm";
import { roles, ssoConnections, ssoRoleRules } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { AppError, conflict, forbidden, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { actorRoleNow, lockOrgAuthority } from "@/lib/orgs/authority";
import { allowPrivateIdp, guardedFetch, isFetchableIdpUrl } from "./guarded-fetch";
import { discover, oidcRedirectUri } from "./oidc";
import { parseIdpMetadata, samlAcsUrl, samlSpEntityId } from "./saml";
import type { ConnectionChange, OidcConnectionInput, SamlConnectionInput } from "./schemas";

export interface Actor {
  id: string;
  email: string;
}

/** What the console shows of a connection: never the secret. */
export interface ConnectionDto {
  id: string;
  kind: "oidc" | "saml";
  name: string;
  issuer: string | null;
  clientId: string | null;
  scopes: string;
  defaultRoleKey: string;
  groupsClaim: string;
  idpEnforcesMfa: boolean;
  enabled: boolean;
  testedAt: string | null;
  /** OIDC: the redirect URI; SAML: the ACS URL. */
  redirectUri: string;
  /** SAML: Gatehouse's entity id (also the URL of its SP metadata), and the IdP's entity id. */
  spEntityId: string | null;
  idpEntityId: string | null;
  roleRules: { group: string; roleKey: string }[];
}

export async function listConnections(orgId: string, db: Executor = getDb()): Promise<ConnectionDto[]> {
  const rows = await db
    .select({
      id: ssoConnections.id,
      kind: ssoConnections.kind,
      name: ssoConnections.name,
      issuer: ssoConnections.issuer,
      clientId: ssoConnections.clientId,
      scopes: ssoConnections.scopes,
      defaultRoleKey: roles.key,
      groupsClaim: ssoConnections.groupsClaim,
      idpEnforcesMfa: ssoConnections.idpEnforcesMfa,
      enabled: ssoConnections.enabled,
      testedAt: ssoConnections.testedAt,
      idpEntityId: ssoConnections.samlIdpEntityId,
    })
    .from(ssoConnections)
    .innerJoin(roles, eq(roles.id, ssoConnections.defaultRoleId))
    .where(eq(ssoConnections.orgId, orgId))
    .orderBy(asc(ssoConnections.createdAt));
  const rules = rows.length
    ? await db
        .select({ connectionId: ssoRoleRules.connectionId, group: ssoRoleRules.groupValue, roleKey: roles.key })
        .from(ssoRoleRules)
        .innerJoin(roles, eq(roles.id, ssoRoleRules.roleId))
        .where(and(eq(ssoRoleRules.orgId, orgId), inArray(ssoRoleRules.connectionId, rows.map((r) => r.id))))
        .orderBy(asc(ssoRoleRules.groupValue))
    : [];
  return rows.map((r) => ({
    ...r,
    testedAt: r.testedAt?.toISOString() ?? null,
    redirectUri: r.kind === "saml" ? samlAcsUrl(r.id) : oidcRedirectUri(),
    spEntityId: r.kind === "saml" ? samlSpEntityId(r.id) : null,
    roleRules: rules.filter((x) => x.connectionId === r.id).map(({ group, roleKey }) => ({ group, roleKey })),
  }));
}

/** A role the actor may hand out: it must exist and not outrank the actor's own role. */
async function grantableRole(tx: Tx, orgId: string, actor: Actor, key: string) {
  const [role] = await tx.select().from(roles).where(eq(roles.key, key));
  if (!role) throw new AppError(400, "invalid_input", `There is no role "${key}".`, { roleKey: "Unknown role" });
  const mine = await actorRoleNow(tx, orgId, actor.id);
  if (role.rank > mine.rank) throw forbidden(`You cannot map IdP users to ${role.name}, a role above your own.`);
  return role;
}

type ConnectionInput = { name: string; defaultRoleKey: string; groupsClaim?: string; idpEnforcesMfa?: boolean };

/**
 * Insert a connection (disabled until tested) with the settings both kinds share, mapped to a role the
 * actor may grant, and audit it: one transaction under the org's authority lock.
 */
async function insertConnection(
  orgId: string,
  actor: Actor,
  input: ConnectionInput,
  context: RequestContext,
  kind: { values: Omit<typeof ssoConnections.$inferInsert, "orgId" | "name" | "defaultRoleId" | "groupsClaim" | "idpEnforcesMfa">; metadata: Record<string, unknown> },
): Promise<string> {
  return getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, orgId);
    const role = await grantableRole(tx, orgId, actor, input.defaultRoleKey);
    const idpEnforcesMfa = input.idpEnforcesMfa ?? false;
    const [row] = await tx
      .insert(ssoConnections)
      .values({ ...kind.values, orgId, name: input.name, defaultRoleId: role.id, groupsClaim: input.groupsClaim ?? "groups", idpEnforcesMfa })
      .returning({ id: ssoConnections.id });
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: "sso.connection_created",
      target: { type: "sso_connection", id: row!.id, name: input.name },
      context,
      metadata: { kind: kind.values.kind, ...kind.metadata, defaultRole: role.key, idpEnforcesMfa },
    });
    return row!.id;
  });
}

/** Create an OIDC connection (disabled until tested). The issuer is discovered first: a wrong URL is a 422. */
export async function createOidcConnection(orgId: string, actor: Actor, input: OidcConnectionInput, context: RequestContext): Promise<{ id: string }> {
  await discover(input.issuer, input.clientId, input.clientSecret);
  const id = await insertConnection(orgId, actor, input, context, {
    values: {
      kind: "oidc",
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretEnc: encryptSecret(input.clientSecret),
      scopes: input.scopes ?? "openid email profile",
    },
    metadata: { issuer: input.issuer, clientId: input.clientId },
  });
  return { id };
}

/** Read the IdP metadata given by URL, through the SSRF guard (5 s, 1 MiB, no private addresses, no redirects). */
async function fetchMetadata(url: string): Promise<string> {
  if (!isFetchableIdpUrl(url)) throw new AppError(400, "invalid_metadata_url", allowPrivateIdp() ? "The metadata URL must be https:// (or http://127.0.0.1 in tests)." : "The metadata URL must be an https:// URL.");
  try {
    const res = await guardedFetch(url, { headers: { accept: "application/samlmetadata+xml, application/xml, text/xml" } });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}`);
    return await res.text();
  } catch (err) {
    throw new AppError(422, "metadata_unreachable", `Could not fetch the IdP metadata from that URL (${(err as Error).message}).`);
  }
}

/** Create a SAML connection (disabled until tested) from the IdP's metadata; bad metadata is a 422. */
export async function createSamlConnection(orgId: string, actor: Actor, input: SamlConnectionInput, context: RequestContext): Promise<{ id: string; acsUrl: string; spEntityId: string }> {
  const xml = input.metadataXml ?? (await fetchMetadata(input.metadataUrl!));
  const meta = parseIdpMetadata(xml);
  const id = await insertConnection(orgId, actor, input, context, {
    values: {
      kind: "saml",
      samlIdpEntityId: meta.entityId,
      samlSsoUrl: meta.ssoUrl,
      samlIdpCerts: meta.certs.join("\n"),
      samlMetadataUrl: input.metadataUrl ?? null,
    },
    metadata: { idpEntityId: meta.entityId, ssoUrl: meta.ssoUrl, certificates: meta.certs.length, metadataUrl: input.metadataUrl ?? null },
  });
  return { id, acsUrl: samlAcsUrl(id), spEntityId: samlSpEntityId(id) };
}

async function connectionInOrg(tx: Executor, orgId: string, id: string, lock = false) {
  const q = tx.select().from(ssoConnections).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, id)));
  const [row] = lock ? await q.for("update") : await q;
  if (!row) throw notFound("No such connection.");
  return row;
}

/** Change a connection's settings and role rules. A new secret means the connection must be tested again. */
export async function changeConnection(orgId: string, actor: Actor, id: string, change: ConnectionChange, context: RequestContext): Promise<void> {
  // New SAML metadata is fetched and read before the transaction (no network inside it).
  const metadata = change.metadataXml || change.metadataUrl ? parseIdpMetadata(change.metadataXml ?? (await fetchMetadata(change.metadataUrl!))) : null;
  await getDb().transaction(async (tx) => {
    await lockOrgAuthority(tx, orgId);
    const before = await connectionInOrg(tx, orgId, id, true);
    const set: Partial<typeof ssoConnections.$inferInsert> = { updatedAt: new Date() };
    const changed: string[] = [];
    const field = <K extends "name" | "scopes" | "groupsClaim" | "idpEnforcesMfa">(key: K, value: (typeof before)[K] | undefined) => {
      if (value === undefined || value === before[key]) return;
      set[key] = value;
      changed.push(key);
    };
    field("name", change.name);
    field("scopes", change.scopes);
    field("groupsClaim", change.groupsClaim);
    field("idpEnforcesMfa", change.idpEnforcesMfa);
    if (change.defaultRoleKey !== undefined) {
      const role = await grantableRole(tx, orgId, actor, change.defaultRoleKey);
      if (role.id !== before.defaultRoleId) {
        set.defaultRoleId = role.id;
        changed.push("defaultRole");
      }
    }
    if (change.clientSecret !== undefined) {
      if (before.kind !== "oidc") throw new AppError(400, "invalid_input", "Only OIDC connections have a client secret.");
      set.clientSecretEnc = encryptSecret(change.clientSecret);
      set.testedAt = null;
      set.enabled = false;
      changed.push("clientSecret");
    }
    if (metadata) {
      if (before.kind !== "saml") throw new AppError(400, "invalid_input", "Only SAML connections have IdP metadata.");
      set.samlIdpEntityId = metadata.entityId;
      set.samlSsoUrl = metadata.ssoUrl;
      set.samlIdpCerts = metadata.certs.join("\n");
      set.samlMetadataUrl = change.metadataUrl ?? null;
      set.testedAt = null;
      set.enabled = false;
      changed.push("metadata");
    }
    let rules: { group: string; roleKey: string }[] | undefined;
    if (change.roleRules !== undefined) {
      const groups = new Set<string>();
      const values = [];
      for (const r of change.roleRules) {
        if (groups.has(r.group)) throw new AppError(400, "invalid_input", `The group "${r.group}" is mapped twice.`);
        groups.add(r.group);
        const role = await grantableRole(tx, orgId, actor, r.roleKey);
        values.push({ connectionId: id, orgId, groupValue: r.group, roleId: role.id });
      }
      await tx.delete(ssoRoleRules).where(and(eq(ssoRoleRules.orgId, orgId), eq(ssoRoleRules.connectionId, id)));
      if (values.length) await tx.insert(ssoRoleRules).values(values);
      rules = change.roleRules;
      changed.push("roleRules");
    }
    await tx.update(ssoConnections).set(set).where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, id)));
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: "sso.connection_changed",
      target: { type: "sso_connection", id, name: set.name ?? before.name },
      context,
      metadata: {
        changed,
        ...(rules ? { roleRules: rules } : {}),
        ...(metadata ? { idpEntityId: metadata.entityId, ssoUrl: metadata.ssoUrl, certificates: metadata.certs.length } : {}),
        ...(set.enabled === false && before.enabled ? { disabled: metadata ? "new IdP metadata: test again" : "new secret: test again" } : {}),
      },
    });
  });
}

/** Turn a connection on or off. On needs a successful test since its last credential change. */
export async function setConnectionEnabled(orgId: string, actor: Actor, id: string, enabled: boolean, context: RequestContext, reason?: string): Promise<void> {
  await getDb().transaction(async (tx) => {
    const before = await connectionInOrg(tx, orgId, id, true);
    if (enabled && !before.testedAt) throw conflict("Test the connection before enabling it.", "connection_untested");
    await tx
      .update(ssoConnections)
      .set({ enabled })
      .where(and(eq(ssoConnections.orgId, orgId), eq(ssoConnections.id, id)));
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: enabled ? "sso.connection_enabled" : "sso.connection_disabled",
      target: { type: "sso_connection", id, name: before.name },
      context,
      metadata: { kind: before.kind, wasEnabled: before.enabled, ...(reason ? { reason } : {}) },
    });
  });
}
