import "server-only";
import { cache } from "react";
import type { MembershipDto } from "@/lib/orgs/queries";
import type { UserDto } from "@/lib/users/queries";
import { readSessionCookie } from "./session-cookie";
import { validateSession, validateSessionInOrg } from "./sessions";

export interface CurrentUser extends UserDto {
  /** Hash of the current session id, to tell "this session" apart. */
  sessionIdHash: string;
}

/**
 * The signed-in user of this request, or null. Memoized per request; the session row is checked
 * (revoked, expired, idle, user disabled) on every request, in the same statement that reads the user. A database that cannot be reached
 * throws (a 503), so an outage never looks like being signed out. Works inside Next and on the direct lane.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await readSessionCookie();
  if (!session) return null;
  // The session row and its user in one statement.
  const live = await validateSession(session.sid);
  if (!live || live.userId !== session.userId) return null;
  return { ...live.user, sessionIdHash: live.idHash };
});

/**
 * The session id this request's session cookie names, or null: no database, so not whether the
 * session is live (the checks above say that). Keys what a session was let into (lib/http/read-ahead.ts).
 */
export async function currentSessionId(): Promise<string | null> {
  return (await readSessionCookie())?.sid ?? null;
}

/**
 * getCurrentUser and, in the same statement, the user's membership of the org `slug` (null: no such
 * org or not a member) with whether its role holds `permission` there (withOrg's one round trip).
 */
export async function getCurrentUserInOrg(
  slug: string,
  permission?: string,
): Promise<{ user: CurrentUser; membership: (MembershipDto & { allowed: boolean }) | null } | null> {
  const session = await readSessionCookie();
  if (!session) return null;
  const live = await validateSessionInOrg(session.sid, slug, permission);
  if (!live || live.userId !== session.userId) return null;
  return { user: { ...live.user, sessionIdHash: live.idHash }, membership: live.membership };
}
