import "server-only";
import { and, gt, isNull } from "drizzle-orm";
import { invitations } from "@/drizzle/schema";

/** An invitation that can still be accepted: neither accepted nor revoked, and not expired at `now`. */
export const isPendingInvitation = (now = new Date()) =>
  and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, now));
