import "server-only";
import { cache } from "react";
import type { UserDto } from "@/lib/users/queries";
import { readSessionCookie } from "./session-cookie";
import { validateSession } from "./sessions";

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
