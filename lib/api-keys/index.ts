import "server-only";
import { and, desc, eq, isNull, sql } from "drizzle-orm";
import { z } from "zod";
import { apiKeys, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { bucketHitSql, type Limit, type LimitResult, limitResult } from "@/lib/rate-limit";

type Actor = { id: string; email: string; name: string | null };
const PREFIX = "ghk_";

export const createApiKeySchema = z.object({ name: z.string().trim().min(2).max(80) }).strict();

/** Create a platform API key. The key is returned once; only its SHA-256 is stored. */
export async function createApiKey(actor: Actor, input: z.infer<typeof createApiKeySchema>, context: RequestContext) {
  const key = `${PREFIX}${randomToken(32)}`;
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({ name: input.name, prefix: key.slice(0, 10), keyHash: sha256(key), createdBy: actor.id })
      .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "api_key.created",
      target: { type: "api_key", id: row!.id, name: input.name },
      context,
      metadata: { prefix: row!.prefix },
    });
    return { ...row!, key };
  });
}

export async function listApiKeys(db: Executor = getDb()) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
      createdBy: users.email,
    })
    .from(apiKeys)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .orderBy(desc(apiKeys.createdAt));
}

/** Revoke a key: the next request with it is refused. */
export async function revokeApiKey(actor: Actor, id: string, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ name: apiKeys.name });
    if (!row) throw notFound("No such active API key.");
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.id, name: actor.name ?? actor.email },
      action: "api_key.revoked",
      target: { type: "api_key", id, name: row.name },
      context,
    });
  });
}

/** The live key for a presented secret, or null. Marks it used (at most once a minute), in the same statement. */
export async function authenticateApiKey(presented: string, db: Executor = getDb()): Promise<{ id: string; name: string } | null> {
  const found = await authenticateApiKeyAndHit(presented, null, db);
  return found ? found.key : null;
}

/**
 * The same, and — for a live key — one hit on its bucket `<bucket>:<key id>` in the same statement
 * (the limiter's upsert, committed without waiting for the WAL flush: every request of a product's
 * backend carries the same key, so its bucket row is hot and is held for the statement only).
 */
export async function authenticateApiKeyAndHit(
  presented: string,
  bucket: { prefix: string; limit: Limit } | null,
  db: Executor = getDb(),
): Promise<{ key: { id: string; name: string }; limit: LimitResult | null } | null> {
  if (!presented.startsWith(PREFIX) || presented.length > 200) return null;
  const hash = sha256(presented);
  if (!bucket) {
    const [row] = await preparedRows<{ id: string; name: string }>(
      db,
      "gh_platform_api_key_auth",
      sql`with k as (select id, name from api_keys where key_hash = ${hash} and revoked_at is null),
        used as (update api_keys set last_used_at = now()
          where id = (select id from k) and (last_used_at is null or last_used_at < now() - interval '60 seconds'))
        select id, name from k`,
    );
    return row ? { key: row, limit: null } : null;
  }
  const [row] = await preparedRows<{ id: string; name: string; hits: number | null; retry_after: number | null }>(
    db,
    "gh_platform_api_key_auth_hit",
    sql`with k as (select id, name from api_keys where key_hash = ${hash} and revoked_at is null),
      used as (update api_keys set last_used_at = now()
        where id = (select id from k) and (last_used_at is null or last_used_at < now() - interval '60 seconds')),
      hit as (${bucketHitSql(sql`select ${bucket.prefix} || ':' || id from k`, bucket.limit.windowSeconds, sql`exists (select 1 from k)`)})
      select k.id, k.name, hit.hits, hit.retry_after from k left join hit on true
        cross join (select set_config('synchronous_commit', 'off', true)) async`,
  );
  if (!row) return null;
  return {
    key: { id: row.id, name: row.name },
    limit: limitResult(bucket.limit.max, bucket.limit.windowSeconds, row.hits === null ? undefined : { hits: row.hits, retry_after: row.retry_after ?? 0 }),
  };
}
