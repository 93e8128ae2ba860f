// Shared set-up for the OAuth / MCP benchmarks: the demo seed, a public client, and a grant of
// john@xcorp with fresh tokens — in memory for in-process benchmarks, or written into the database
// a production server is about to start on (see `startServer`'s `prepare`).
import { and, eq } from "drizzle-orm";
import { memberships, oauthGrants, orgs, users } from "@/drizzle/schema";
import { type Database, getDb, setDatabase } from "@/lib/db";
import { openDatabase } from "@/lib/db/client";
import { migrateDatabase } from "@/lib/db/migrate";
import { systemContext } from "@/lib/http/request-context";
import { createClient } from "@/lib/oauth/client-admin";
import { mcpResource } from "@/lib/oauth/issuer";
import { createRefreshToken } from "@/lib/oauth/refresh-tokens";
import { issueAccessToken } from "@/lib/oauth/tokens";
import { seedDemo } from "@/lib/seed/demo";
import { createServerDatabase } from "../test/server-database";

export interface OAuthFixture {
  clientId: string;
  grantId: string;
  refresh: string;
  accessToken: string;
}

const SCOPES = ["profile", "members:read"];

/** Migrate and seed `database`, then register a client and grant john@xcorp a grant with tokens. */
export async function prepareOAuthFixture(database: Database): Promise<OAuthFixture> {
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
      allowedScopes: SCOPES,
      accessTokenTtlSeconds: 3600,
    },
    { user: { id: john!.id, email: john!.email }, context: systemContext() },
  );
  const resource = mcpResource();
  const [grant] = await db
    .insert(oauthGrants)
    .values({ clientId, userId: john!.id, orgId: xcorp!.id, scopes: SCOPES, resource })
    .returning();
  const refresh = await createRefreshToken(db, { grantId: grant!.id, clientId, scopes: SCOPES });
  const { token } = await issueAccessToken({
    userId: john!.id,
    orgId: xcorp!.id,
    clientId,
    grantId: grant!.id,
    scopes: SCOPES,
    resource,
    ttlSeconds: 3600,
  });
  return { clientId, grantId: grant!.id, refresh, accessToken: token };
}

/**
 * An in-process database with the fixture: a throw-away database on DATABASE_URL's server when it
 * is set, else in-memory PGlite. `close()` closes (and drops) it.
 */
export async function setUp(): Promise<OAuthFixture & { kind: string; close: () => Promise<void> }> {
  process.env.APP_ENV ??= "test";
  process.env.DATA_DIR ??= ".data-bench";
  const server = process.env.DATABASE_URL ? await createServerDatabase(process.env.DATABASE_URL, "gh_bench") : null;
  const database = openDatabase({ url: server?.url, dataDir: "memory", logIdleErrors: false });
  const fixture = await prepareOAuthFixture(database);
  return {
    ...fixture,
    kind: server ? "PostgreSQL" : "embedded PGlite (in memory)",
    close: async () => {
      await database.close();
      await server?.drop();
    },
  };
}

/**
 * The load fixture: `perSet` grants of john@xcorp in xcorp (one refresh-token chain per connection),
 * and `perSet` more spread over `spreadOrgs` orgs (xcorp and copies of it on the same plan, with
 * john in the same role).
 */
export async function prepareOAuthLoadFixture(
  database: Database,
  { perSet, spreadOrgs }: { perSet: number; spreadOrgs: number },
): Promise<{ clientId: string; oneOrg: string[]; spread: string[] }> {
  const base = await prepareOAuthFixture(database);
  const db = getDb();
  const [john] = await db.select().from(users).where(eq(users.email, "john@xcorp.example"));
  const [xcorp] = await db.select().from(orgs).where(eq(orgs.slug, "xcorp"));
  const [membership] = await db
    .select()
    .from(memberships)
    .where(and(eq(memberships.userId, john!.id), eq(memberships.orgId, xcorp!.id)));
  const orgIds = [xcorp!.id];
  for (let i = 1; i < spreadOrgs; i++) {
    const [org] = await db
      .insert(orgs)
      .values({ slug: `load-${i}`, name: `Load ${i}`, roleMappingId: xcorp!.roleMappingId })
      .returning();
    await db.insert(memberships).values({ orgId: org!.id, userId: john!.id, roleId: membership!.roleId });
    orgIds.push(org!.id);
  }
  const chains = async (orgOf: (i: number) => string) => {
    const out: string[] = [];
    for (let i = 0; i < perSet; i++) {
      const [grant] = await db
        .insert(oauthGrants)
        .values({ clientId: base.clientId, userId: john!.id, orgId: orgOf(i), scopes: SCOPES, resource: mcpResource() })
        .returning();
      out.push(await createRefreshToken(db, { grantId: grant!.id, clientId: base.clientId, scopes: SCOPES }));
    }
    return out;
  };
  return {
    clientId: base.clientId,
    oneOrg: await chains(() => xcorp!.id),
    spread: await chains((i) => orgIds[i % orgIds.length]!),
  };
}
