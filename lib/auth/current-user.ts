import "server-only";
import { cache } from "react";
import { getUserById, type UserDto } from "@/lib/users/queries";
import { auth } from "./index";

export interface CurrentUser extends UserDto {
  /** Hash of the current session id, to tell "this session" apart. */
  sessionIdHash: string;
}

/**
 * The signed-in user of this request, or null. Memoized per request; the session row is checked
 * (revoked, expired, idle) on every new request by the Auth.js jwt callback.
 */
export const getCurrentUser = cache(async (): Promise<CurrentUser | null> => {
  const session = await auth();
  const id = session?.user?.id;
  if (!id || !session.sid) return null;
  const user = await getUserById(id);
  if (!user) return null;
  const { sha256 } = await import("@/lib/crypto");
  return { ...user, sessionIdHash: sha256(session.sid) };
});
