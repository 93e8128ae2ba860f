import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { oauthClientBlocks, oauthClients, oauthGrants, orgs, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { type Executor, getDb, queryRows } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { revokeGrantsWhere } from "./grants";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

export interface GrantDto {
  id: string;
  clientId: string;
  clientName: string;
  clientVerified: boolean;
  userId: string;
  userEmail: string;
  orgId: string;
  orgName: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
}

const columns = {
  id: oauthGrants.id,
  clientId: oauthGrants.clientId,
  clientName: oauthClients.name,
  clientVerified: oauthClients.verified,
  userId: oauthGrants.userId,
  userEmail: users.email,
  orgId: oauthGrants.orgId,
  orgName: orgs.name,
  scopes: oauthGrants.scopes,
  createdAt: oauthGrants.createdAt,
  lastUsedAt: oauthGrants.lastUsedAt,
};

function grantsQuery(db: Executor) {
  return db
    .select(columns)
    .from(oauthGrants)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthGrants.clientId))
    .innerJoin(users, eq(users.id, oauthGrants.userId))
    .innerJoin(orgs, eq(orgs.id, oauthGrants.orgId));
}

/** The active grants a user gave, in every org. */
export function listUserGrants(userId: string, db: Executor = getDb()): Promise<GrantDto[]> {
  return grantsQuery(db)
    .where(and(eq(oauthGrants.userId, userId), isNull(oauthGrants.revokedAt)))
    .orderBy(desc(oauthGrants.createdAt));
}

/** Every active grant held by members of one org. */
export function listOrgGrants(orgId: string, db: Executor = getDb()): Promise<GrantDto[]> {
  return grantsQuery(db)
    .where(and(eq(oauthGrants.orgId, orgId), isNull(oauthGrants.revokedAt)))
    .orderBy(desc(oauthGrants.createdAt));
}

/** Clients blocked in an org. */
export function listOrgBlocks(orgId: string, db: Executor = getDb()) {
  return db
    .select({
      clientId: oauthClientBlocks.clientId,
      clientName: oauthClients.name,
      createdAt: oauthClientBlocks.createdAt,
    })
    .from(oauthClientBlocks)
    .innerJoin(oauthClients, eq(oauthClients.id, oauthClientBlocks.clientId))
    .where(eq(oauthClientBlocks.orgId, orgId))
    .orderBy(desc(oauthClientBlocks.createdAt));
}

interface Actor {
  user: { id: string; email: string };
  context: RequestContext;
}

/** A user revokes one of their own grants. */
export async function revokeOwnGrant(grantId: string, actor: Actor): Promise<void> {
  await getDb().transaction(async (tx) => {
    const revoked = await revokeGrantsWhere(
      tx,
      and(eq(oauthGrants.id, grantId), eq(oauthGrants.userId, actor.user.id))!,
      "user",
    );
    const g = revoked[0];
    if (!g) throw notFound("No such connected app.");
    await recordAudit(tx, {
      orgId: g.orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      clientId: g.clientId,
      grantId: g.id,
      action: "oauth.grant_revoked",
      target: { type: "oauth_grant", id: g.id },
      context: actor.context,
      metadata: { by: "user" },
    });
    await emitWebhookEvent(tx, "oauth_grant.revoked", `oauth_grant:${g.id}`, { id: g.id, clientId: g.clientId, orgId: g.orgId, by: "user" });
  });
}

export type OrgRevokeTarget = { grantId: string } | { userId: string } | { clientId: string };

/** A user who is (or was, with a grant here) a member of the org, or a client usable in it. */
async function targetInOrg(db: Executor, orgId: string, target: { userId: string } | { clientId: string }): Promise<boolean> {
  const rows =
    "userId" in target
      ? await queryRows(db, sql`select 1 from memberships where org_id = ${orgId} and user_id = ${target.userId}
          union all select 1 from oauth_grants where org_id = ${orgId} and user_id = ${target.userId} limit 1`)
      : await queryRows(db, sql`select 1 from oauth_clients where id = ${target.clientId} and (org_id is null or org_id = ${orgId})`);
  return rows.length > 0;
}

/** An org admin revokes one grant, every grant of a member, or every grant of a client — in this org only. */
export async function revokeOrgGrants(orgId: string, target: OrgRevokeTarget, actor: Actor): Promise<number> {
  const where =
    "grantId" in target
      ? and(eq(oauthGrants.orgId, orgId), eq(oauthGrants.id, target.grantId))!
      : "userId" in target
        ? and(eq(oauthGrants.orgId, orgId), eq(oauthGrants.userId, target.userId))!
        : and(eq(oauthGrants.orgId, orgId), eq(oauthGrants.clientId, target.clientId))!;
  return getDb().transaction(async (tx) => {
    // An id from outside the org is a 404 before anything is revoked or recorded.
    if (!("grantId" in target) && !(await targetInOrg(tx, orgId, target))) {
      throw notFound("userId" in target ? "No such member in this organization." : "No such client.");
    }
    const revoked = await revokeGrantsWhere(tx, where, "admin");
    if (!revoked.length && "grantId" in target) throw notFound("No such grant.");
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: "oauth.grants_revoked",
      clientId: "clientId" in target ? target.clientId : (revoked[0]?.clientId ?? null),
      grantId: "grantId" in target ? target.grantId : null,
      target:
        "userId" in target
          ? { type: "user", id: target.userId }
          : "clientId" in target
            ? { type: "oauth_client", id: target.clientId }
            : { type: "oauth_grant", id: target.grantId },
      context: actor.context,
      metadata: { by: "admin", count: revoked.length, grant_ids: revoked.map((g) => g.id) },
    });
    for (const g of revoked) await emitWebhookEvent(tx, "oauth_grant.revoked", `oauth_grant:${g.id}`, { id: g.id, clientId: g.clientId, orgId, by: "admin" });
    return revoked.length;
  });
}

/** Block a client in an org (revoking its grants there) or lift the block. */
export async function setClientBlocked(
  orgId: string,
  clientId: string,
  blocked: boolean,
  actor: Actor,
): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [client] = await tx
      .select({ name: oauthClients.name, orgId: oauthClients.orgId })
      .from(oauthClients)
      .where(eq(oauthClients.id, clientId));
    if (!client || (client.orgId && client.orgId !== orgId)) throw notFound("No such client.");
    let revokedCount = 0;
    if (blocked) {
      await tx
        .insert(oauthClientBlocks)
        .values({ orgId, clientId, blockedBy: actor.user.id })
        .onConflictDoNothing();
      revokedCount = (
        await revokeGrantsWhere(
          tx,
          and(eq(oauthGrants.orgId, orgId), eq(oauthGrants.clientId, clientId))!,
          "client_blocked",
        )
      ).length;
    } else {
      await tx
        .delete(oauthClientBlocks)
        .where(and(eq(oauthClientBlocks.orgId, orgId), eq(oauthClientBlocks.clientId, clientId)));
    }
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: blocked ? "oauth_client.blocked" : "oauth_client.unblocked",
      clientId,
      target: { type: "oauth_client", id: clientId, name: client.name },
      context: actor.context,
      metadata: { grants_revoked: revokedCount },
    });
  });
}
