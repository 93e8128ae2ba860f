// Shared set-up for the OAuth / MCP benchmarks: an in-memory database with the demo seed, a
// public client, and a grant of john@xcorp with fresh tokens.
import { eq } from "drizzle-orm";
import { oauthGrants, orgs, users } from "@/drizzle/schema";
import { getDb, setDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { systemContext } from "@/lib/http/request-context";
import { createClient } from "@/lib/oauth/client-admin";
import { mcpResource } from "@/lib/oauth/issuer";
import { createRefreshToken } from "@/lib/oauth/refresh-tokens";
import { issueAccessToken } from "@/lib/oauth/tokens";
import { seedDemo } from "@/lib/seed/demo";

export async function setUp() {
  process.env.APP_ENV ??= "test";
  process.env.DATA_DIR ??= ".data-bench";
  const database = openDatabase({ url: process.env.DATABASE_URL || undefined, dataDir: "memory" });
  await migrateDatabase(database);
  setDatabase(database);
  const db = getDb();
  await seedDemo(db);
  const [john] = await db.select().from(users).where(eq(users.email, "john@xcorp.example"));
  const [xcorp] = await db.select().from(orgs).where(eq(orgs.slug, "xcorp"));
  const { clientId } = await createClient(
    { orgId: xcorp!.id },
    {
      name: "Bench",
      type: "public",
      presets: ["claude-code"],
      presetParams: {},
      redirectUris: [],
      allowedScopes: ["profile", "members:read"],
      accessTokenTtlSeconds: 3600,
    },
    { user: { id: john!.id, email: john!.email }, context: systemContext() },
  );
  const resource = mcpResource();
  const [grant] = await db
    .insert(oauthGrants)
    .values({ clientId, userId: john!.id, orgId: xcorp!.id, scopes: ["profile", "members:read"], resource })
    .returning();
  const refresh = await createRefreshToken(db, {
    grantId: grant!.id,
    clientId,
    scopes: ["profile", "members:read"],
  });
  const { token } = await issueAccessToken({
    userId: john!.id,
    orgId: xcorp!.id,
    clientId,
    grantId: grant!.id,
    scopes: ["profile", "members:read"],
    resource,
    ttlSeconds: 3600,
  });
  return { database, clientId, grantId: grant!.id, refresh, accessToken: token };
}

/** p50 / p95 in milliseconds of `n` sequential runs after `warm` warm-up runs. */
export async function measure(
  fn: () => Promise<unknown>,
  n = 300,
  warm = 30,
): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < warm; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(n * 0.5)]!, p95: times[Math.floor(n * 0.95)]! };
}
