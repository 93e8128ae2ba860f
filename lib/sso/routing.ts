import "server-only";
import { and, asc, eq, isNotNull } from "drizzle-orm";
import { orgs, ssoConnections, ssoDomains, ssoOrgSettings, users } from "@/drizzle/schema";
import { type Executor, getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emailDomain, type HomeRealmDecision, type HomeRealmFacts, homeRealm } from "./home-realm";

export interface SsoRoute {
  decision: HomeRealmDecision;
  orgId: string | null;
  orgName: string | null;
  connectionId: string | null;
  connectionName: string | null;
}

/** Gather the home-realm facts for an address and decide. */
export async function routeEmail(email: string, via: HomeRealmFacts["via"], db: Executor = getDb()): Promise<SsoRoute> {
  const domain = emailDomain(email);
  const [claim] = domain
    ? await db
        .select({ orgId: ssoDomains.orgId, orgName: orgs.name, requireSso: ssoOrgSettings.requireSso, breakGlassEmail: users.email })
        .from(ssoDomains)
        .innerJoin(orgs, eq(orgs.id, ssoDomains.orgId))
        .leftJoin(ssoOrgSettings, eq(ssoOrgSettings.orgId, ssoDomains.orgId))
        .leftJoin(users, eq(users.id, ssoOrgSettings.breakGlassUserId))
        .where(and(eq(ssoDomains.domain, domain), isNotNull(ssoDomains.verifiedAt)))
    : [];
  const [connection] = claim
    ? await db
        .select({ id: ssoConnections.id, name: ssoConnections.name })
        .from(ssoConnections)
        .where(and(eq(ssoConnections.orgId, claim.orgId), eq(ssoConnections.enabled, true)))
        .orderBy(asc(ssoConnections.createdAt))
        .limit(1)
    : [];
  const decision = homeRealm({
    via,
    domainVerified: Boolean(claim),
    connectionEnabled: Boolean(connection),
    requireSso: Boolean(claim?.requireSso),
    breakGlass: Boolean(claim?.breakGlassEmail && claim.breakGlassEmail === email),
  });
  return { decision, orgId: claim?.orgId ?? null, orgName: claim?.orgName ?? null, connectionId: connection?.id ?? null, connectionName: connection?.name ?? null };
}

/** For the password and magic-link steps: refuse addresses whose org requires SSO (break-glass Owner excepted). */
export async function assertLocalSignInAllowed(email: string, via: "password" | "magic_link", db: Executor = getDb()): Promise<void> {
  const route = await routeEmail(email, via, db);
  if (route.decision === "SSO_REQUIRED") {
    throw new AppError(403, "sso_required", `${route.orgName} requires single sign-on for this address. Choose "Use single sign-on (SSO)" and enter your work email.`);
  }
}
