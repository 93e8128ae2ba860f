import "server-only";
import { and, desc, eq } from "drizzle-orm";
import { userApiKeys, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";

/** What a key list shows: never the hash. */
export interface UserApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  mode: "live" | "test";
  permissions: string[] | null;
  rateLimitPerMinute: number;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string | null;
  lastUsedAt: Date | null;
  lastUsedIp: string | null;
  useCount: number;
  revokedAt: Date | null;
}

const columns = {
  id: userApiKeys.id,
  name: userApiKeys.name,
  prefix: userApiKeys.prefix,
  mode: userApiKeys.mode,
  permissions: userApiKeys.permissions,
  rateLimitPerMinute: userApiKeys.rateLimitPerMinute,
  expiresAt: userApiKeys.expiresAt,
  createdAt: userApiKeys.createdAt,
  createdBy: users.email,
  lastUsedAt: userApiKeys.lastUsedAt,
  lastUsedIp: userApiKeys.lastUsedIp,
  useCount: userApiKeys.useCount,
  revokedAt: userApiKeys.revokedAt,
};

export async function listPersonalApiKeys(userId: string, db: Executor = getDb()): Promise<UserApiKeyDto[]> {
  return db
    .select(columns)
    .from(userApiKeys)
    .leftJoin(users, eq(users.id, userApiKeys.createdBy))
    .where(and(eq(userApiKeys.ownerType, "user"), eq(userApiKeys.userId, userId)))
    .orderBy(desc(userApiKeys.createdAt))
    .limit(200);
}

export async function listOrgApiKeys(orgId: string, db: Executor = getDb()): Promise<UserApiKeyDto[]> {
  return db
    .select(columns)
    .from(userApiKeys)
    .leftJoin(users, eq(users.id, userApiKeys.createdBy))
    .where(and(eq(userApiKeys.ownerType, "org"), eq(userApiKeys.orgId, orgId)))
    .orderBy(desc(userApiKeys.createdAt))
    .limit(200);
}
