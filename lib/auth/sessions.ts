import "server-only";
import { and, desc, eq, gt, isNull, ne, type Placeholder, sql } from "drizzle-orm";
import { memberships, orgs, roles, sessions, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb, preparedOnce, type Tx } from "@/lib/db";
import { getEnv } from "@/lib/env";
import type { RequestContext } from "@/lib/http/request-context";
import { holdsPermission, type MembershipDto, orgColumns, roleColumns } from "@/lib/orgs/queries";
import { toUserDto, type UserDto, userDtoColumns } from "@/lib/users/queries";

/** Only write last_seen_at when it is older than this, to keep reads cheap. */
const TOUCH_AFTER_MS = 60_000;

/** Create a session row; the returned id goes into the (encrypted) session token, only its hash is stored. */
export async function createSession(tx: Tx, userId: string, context: RequestContext): Promise<string> {
  const env = getEnv();
  const sid = randomToken(32);
  const now = new Date();
  await tx.insert(sessions).values({
    idHash: sha256(sid),
    userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + env.SESSION_MAX_AGE_SECONDS * 1000),
    ip: context.ip,
    userAgent: context.userAgent,
  });
  await tx.update(users).set({ lastSignInAt: now }).where(eq(users.id, userId));
  return sid;
}

export interface ActiveSession {
  userId: string;
  idHash: string;
  /** The session's user, read in the same statement (one round trip per request for both). */
  user: UserDto;
}

/** What a session check reads: the session's bounds and its user. */
const sessionColumns = { userId: sessions.userId, lastSeenAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt, user: userDtoColumns };
type SessionRow = { userId: string; lastSeenAt: Date; expiresAt: Date; user: Parameters<typeof toUserDto>[0] };

/** The session row, if not revoked and its user not disabled (joined with users). */
const sessionIs = (idHash: Placeholder) => and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt), isNull(users.disabledAt));

// Every signed-in request runs one of these two: prepared once per database handle (preparedOnce).
const sessionStatements = new WeakMap<Executor, ReturnType<typeof prepareSession>>();
const prepareSession = (db: Executor) =>
  db.select(sessionColumns).from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(sessionIs(sql.placeholder("idHash"))).prepare("gh_session");

const sessionInOrgStatements = new WeakMap<Executor, ReturnType<typeof prepareSessionInOrg>>();
const prepareSessionInOrg = (db: Executor) =>
  db
    // A null permission holds nowhere: `allowed` is false (no permission asked).
    .select({ ...sessionColumns, org: orgColumns, role: roleColumns, allowed: holdsPermission(sql.placeholder("permission")) })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(orgs, eq(orgs.slug, sql.placeholder("slug")))
    .leftJoin(memberships, and(eq(memberships.orgId, orgs.id), eq(memberships.userId, sessions.userId)))
    .leftJoin(roles, eq(roles.id, memberships.roleId))
    .where(sessionIs(sql.placeholder("idHash")))
    .prepare("gh_session_in_org");

/**
 * The session's user if the session is live: not revoked, within its absolute lifetime, used within
 * the idle timeout, and its user not disabled. Checked on every request.
 */
export async function validateSession(sid: string, db: Executor = getDb()): Promise<ActiveSession | null> {
  const idHash = sha256(sid);
  const [row] = await preparedOnce(sessionStatements, db, prepareSession).execute({ idHash });
  return liveSession(row, idHash, db);
}

/**
 * validateSession and, in the same statement, the session user's membership of the org `slug` (null
 * when the org does not exist or the user is not a member: the same to the caller) and whether its
 * role holds `permission` there: an org route's session, membership and permission in one round trip.
 */
export async function validateSessionInOrg(
  sid: string,
  slug: string,
  permission: string | undefined,
  db: Executor = getDb(),
): Promise<(ActiveSession & { membership: (MembershipDto & { allowed: boolean }) | null }) | null> {
  const idHash = sha256(sid);
  const [row] = await preparedOnce(sessionInOrgStatements, db, prepareSessionInOrg).execute({ idHash, slug, permission: permission ?? null });
  const live = await liveSession(row, idHash, db);
  if (!live || !row) return null;
  return { ...live, membership: row.org && row.role ? { org: row.org, role: row.role, allowed: row.allowed === true } : null };
}

/** A session row read with its user, within its lifetime and the idle timeout; last_seen_at touched at most once a minute. */
async function liveSession(row: SessionRow | undefined, idHash: string, db: Executor): Promise<ActiveSession | null> {
  const env = getEnv();
  const now = Date.now();
  if (!row) return null;
  if (row.expiresAt.getTime() <= now) return null;
  if (row.lastSeenAt.getTime() + env.SESSION_IDLE_TIMEOUT_SECONDS * 1000 <= now) return null;
  if (now - row.lastSeenAt.getTime() > TOUCH_AFTER_MS) {
    await db.update(sessions).set({ lastSeenAt: new Date(now) }).where(eq(sessions.idHash, idHash));
  }
  return { userId: row.userId, idHash, user: toUserDto(row.user) };
}

/** Revoke one session (sign-out). Returns whether a live session was revoked. */
export async function revokeSession(tx: Tx, idHash: string, reason: string): Promise<boolean> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(and(eq(sessions.idHash, idHash), isNull(sessions.revokedAt)))
    .returning({ userId: sessions.userId });
  return rows.length > 0;
}

/** Revoke every live session of a user, optionally keeping one. Returns how many were revoked. */
export async function revokeUserSessions(
  tx: Tx,
  userId: string,
  reason: string,
  opts: { exceptIdHash?: string } = {},
): Promise<number> {
  const rows = await tx
    .update(sessions)
    .set({ revokedAt: new Date(), revokedReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        opts.exceptIdHash ? ne(sessions.idHash, opts.exceptIdHash) : undefined,
      ),
    )
    .returning({ idHash: sessions.idHash });
  return rows.length;
}

/** A user's live sessions, newest first, for the account page. */
export async function listActiveSessions(userId: string, db: Executor = getDb()) {
  return db
    .select({
      idHash: sessions.idHash,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, new Date())))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Sign a user out everywhere, as one audited change. */
export async function signOutEverywhere(
  user: { id: string; email: string; name: string | null },
  context: RequestContext,
  opts: { exceptIdHash?: string } = {},
): Promise<number> {
  return getDb().transaction(async (tx) => {
    const count = await revokeUserSessions(tx, user.id, "signed_out_everywhere", opts);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: user.id, name: user.name ?? user.email },
      action: "session.revoked_all",
      target: { type: "user", id: user.id, name: user.email },
      context,
      metadata: { count, keptCurrent: Boolean(opts.exceptIdHash) },
    });
    return count;
  });
}
