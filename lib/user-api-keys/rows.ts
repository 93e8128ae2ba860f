import type { UserApiKeyDto } from "./list";

/** A key row for the browser: dates as ISO strings. */
export function toKeyRow(k: UserApiKeyDto) {
  return {
    ...k,
    expiresAt: k.expiresAt?.toISOString() ?? null,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
    useCount: Number(k.useCount),
    expired: k.expiresAt !== null && k.expiresAt.getTime() <= Date.now(),
  };
}
