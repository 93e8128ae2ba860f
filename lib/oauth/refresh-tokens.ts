import "server-only";
import { eq, sql } from "drizzle-orm";
import { oauthRefreshTokens } from "@/drizzle/schema";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, preparedRows } from "@/lib/db";
import { GRANT_STATUS_COLUMNS, GRANT_STATUS_FROM, type GrantStatus, type GrantStatusRow, toGrantStatus } from "./grant-status";

export const REFRESH_TTL_SECONDS = 30 * 24 * 3600;

/** Issue a refresh token for a grant; only its SHA-256 is stored. */
export async function createRefreshToken(
  tx: Executor,
  input: { grantId: string; clientId: string; scopes: string[] },
): Promise<string> {
  const token = randomToken(32);
  await tx.insert(oauthRefreshTokens).values({
    ...input,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + REFRESH_TTL_SECONDS * 1000),
  });
  return token;
}

/**
 * The token endpoint's write: a new refresh token for the grant, and "last used" on the grant and
 * the client (each at most once a minute), in one statement.
 */
export async function createRefreshTokenAndMarkUsed(
  tx: Executor,
  input: { grantId: string; clientId: string; scopes: string[] },
): Promise<string> {
  const token = randomToken(32);
  await preparedRows(
    tx,
    "gh_refresh_token_issue",
    sql`
    with issued as (
      insert into oauth_refresh_tokens (token_hash, grant_id, client_id, scopes, expires_at)
      values (${sha256(token)}, ${input.grantId}, ${input.clientId},
        array(select jsonb_array_elements_text(${JSON.stringify(input.scopes)}::jsonb)),
        now() + make_interval(secs => ${REFRESH_TTL_SECONDS}))
    ), grant_used as (
      update oauth_grants set last_used_at = now()
      where id = ${input.grantId} and (last_used_at is null or last_used_at < now() - interval '1 minute')
    )
    update oauth_clients set last_used_at = now()
    where id = ${input.clientId} and (last_used_at is null or last_used_at < now() - interval '1 minute')`,
  );
  return token;
}

export type RefreshRow = typeof oauthRefreshTokens.$inferSelect;

export interface ConsumedRefreshToken {
  grantId: string;
  clientId: string;
  scopes: string[];
  expiresAt: Date;
  /** The grant's status, read in the same statement. */
  grant: GrantStatus;
}

/**
 * Use a refresh token once, reading its grant's status in the same statement. The winner gets
 * `{ row }`; a token that was already used (rotated away) comes back as `{ reused }`, which the
 * caller treats as theft and revokes the grant.
 */
export async function consumeRefreshToken(
  tx: Executor,
  token: string,
): Promise<{ row: ConsumedRefreshToken } | { reused: RefreshRow } | null> {
  const hash = sha256(token);
  const [r] = await preparedRows<GrantStatusRow & { grant_id: string; token_client_id: string; token_scopes: string[]; token_expires_at: Date | string }>(
    tx,
    "gh_refresh_token_consume",
    sql`
    with used as (
      update oauth_refresh_tokens set used_at = now()
      where token_hash = ${hash} and used_at is null and revoked_at is null
      returning grant_id, client_id, scopes, expires_at
    )
    select used.grant_id, used.client_id as token_client_id, used.scopes as token_scopes,
      used.expires_at as token_expires_at, s.*
    from used, lateral (select ${GRANT_STATUS_COLUMNS} from ${GRANT_STATUS_FROM} where g.id = used.grant_id) s`,
  );
  if (r) {
    return {
      row: {
        grantId: r.grant_id,
        clientId: r.token_client_id,
        scopes: r.token_scopes,
        expiresAt: new Date(r.token_expires_at),
        grant: toGrantStatus(r),
      },
    };
  }
  const [old] = await tx.select().from(oauthRefreshTokens).where(eq(oauthRefreshTokens.tokenHash, hash));
  if (old?.usedAt) return { reused: old };
  return null;
}

/** Revoke one refresh token by value (RFC 7009); returns its grant when found. */
export async function findRefreshToken(tx: Executor, token: string): Promise<RefreshRow | null> {
  const [row] = await tx
    .select()
    .from(oauthRefreshTokens)
    .where(eq(oauthRefreshTokens.tokenHash, sha256(token)));
  return row ?? null;
}
