import "server-only";
import { type SQL, sql } from "drizzle-orm";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emailDomain, type HomeRealmDecision, type HomeRealmFacts, homeRealm } from "./home-realm";

export interface SsoRoute {
  decision: HomeRealmDecision;
  orgId: string | null;
  orgName: string | null;
  connectionId: string | null;
  connectionName: string | null;
}

/** The facts home-realm discovery reads, as the row of a verified claim on the domain (none: no claim). */
export interface ClaimFacts {
  org_id: string;
  org_name: string;
  require_sso: boolean;
  break_glass_email: string | null;
  connection_id: string | null;
  connection_name: string | null;
}

/** The claim row of a domain, in one statement (the sign-in step folds it into its own). */
export function claimFactsSql(domain: string | null): SQL {
  return sql`select d.org_id, o.name as org_name, coalesce(s.require_sso, false) as require_sso, bu.email as break_glass_email,
      c.id as connection_id, c.name as connection_name
    from sso_domains d
    join orgs o on o.id = d.org_id
    left join sso_org_settings s on s.org_id = d.org_id
    left join users bu on bu.id = s.break_glass_user_id
    left join lateral (
      select id, name from sso_connections where org_id = d.org_id and enabled order by created_at limit 1
    ) c on true
    where d.domain = ${domain} and d.verified_at is not null`;
}

/** Decide from the facts. */
export function decideRoute(email: string, via: HomeRealmFacts["via"], claim: ClaimFacts | null | undefined): SsoRoute {
  const decision = homeRealm({
    via,
    domainVerified: Boolean(claim),
    connectionEnabled: Boolean(claim?.connection_id),
    requireSso: Boolean(claim?.require_sso),
    breakGlass: Boolean(claim?.break_glass_email && claim.break_glass_email === email),
  });
  return {
    decision,
    orgId: claim?.org_id ?? null,
    orgName: claim?.org_name ?? null,
    connectionId: claim?.connection_id ?? null,
    connectionName: claim?.connection_name ?? null,
  };
}

/** Gather the home-realm facts for an address and decide. */
export async function routeEmail(email: string, via: HomeRealmFacts["via"], db: Executor = getDb()): Promise<SsoRoute> {
  const domain = emailDomain(email);
  const [claim] = domain ? await preparedRows<ClaimFacts>(db, "gh_sso_claim_facts", claimFactsSql(domain)) : [];
  return decideRoute(email, via, claim);
}

/** The refusal of a local sign-in (password, magic link) on an address whose org requires SSO. */
export function ssoRequired(route: SsoRoute): AppError {
  return new AppError(403, "sso_required", `${route.orgName} requires single sign-on for this address. Choose "Use single sign-on (SSO)" and enter your work email.`);
}

/** For the password and magic-link steps: refuse addresses whose org requires SSO (break-glass Owner excepted). */
export async function assertLocalSignInAllowed(email: string, via: "password" | "magic_link", db: Executor = getDb()): Promise<void> {
  const route = await routeEmail(email, via, db);
  if (route.decision === "SSO_REQUIRED") {
    throw ssoRequired(route);
  }
}
