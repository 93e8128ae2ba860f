import "server-only";
import { getEnv } from "@/lib/env";

/** Days a grant lives from consent (`OAUTH_GRANT_MAX_AGE_DAYS`): refresh rotation ends then. */
export const grantMaxAgeDays = () => getEnv().OAUTH_GRANT_MAX_AGE_DAYS;

/** When a grant made at `createdAt` stops refreshing, whatever its refresh tokens say. */
export function grantEndsAt(grant: { createdAt: Date }): Date {
  return new Date(grant.createdAt.getTime() + grantMaxAgeDays() * 86_400_000);
}
