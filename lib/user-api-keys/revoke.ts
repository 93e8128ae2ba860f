import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import { userApiKeys } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { emitWebhookEvent } from "@/lib/webhooks/emit";

type Actor = { id: string; email: string; name: string | null };

/**
 * Revoke a key the caller owns: a personal key of `owner.userId`, or an org key of `owner.orgId`.
 * The next validation refuses it. Another owner's key id looks like a missing one (404).
 */
export async function revokeUserApiKey(actor: Actor, owner: { userId: string } | { orgId: string }, id: string, context: RequestContext): Promise<void> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound("No such active API key.");
  const scope =
    "userId" in owner
      ? and(eq(userApiKeys.ownerType, "user"), eq(userApiKeys.userId, owner.userId))
      : and(eq(userApiKeys.ownerType, "org"), eq(userApiKeys.orgId, owner.orgId));
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(userApiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(userApiKeys.id, id), scope, isNull(userApiKeys.revokedAt)))
      .returning({ name: userApiKeys.name, prefix: userApiKeys.prefix, orgId: userApiKeys.orgId, userId: userApiKeys.userId, ownerType: userApiKeys.ownerType });
    if (!row) throw notFound("No such active API key.");
    await recordAudit(tx, {
      orgId: row.orgId,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "api_key.revoked",
      target: { type: "api_key", id, name: row.name },
      context,
      metadata: { owner: row.ownerType, prefix: row.prefix },
    });
    await emitWebhookEvent(tx, "api_key.revoked", `api_key:${id}`, { id, name: row.name, owner: row.ownerType, orgId: row.orgId, userId: row.userId, prefix: row.prefix });
  });
}
