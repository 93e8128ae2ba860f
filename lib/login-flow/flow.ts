import "server-only";
import { and, count, eq, gt, isNull, or, type SQL, sql } from "drizzle-orm";
import { requestCookies } from "@/lib/http/cookie-jar";
import { loginFlows, memberships, mfaTotp, orgs, passkeys, userPropertyDefinitions, users } from "@/drizzle/schema";
import { safeNextPath } from "@/lib/auth/safe-next-path";
import { randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb, preparedRows } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { cookieName, hostCookieOptions } from "@/lib/http/cookies";
import type { RequestContext } from "@/lib/http/request-context";
import { getPlatformSettings } from "@/lib/platform/settings";
import { type LoginFacts, type LoginState, nextLoginState } from "./state";

export const FLOW_COOKIE = "gh_login_flow";

export type FlowRow = typeof loginFlows.$inferSelect;

export interface FlowUser {
  id: string;
  email: string;
  name: string | null;
  emailVerifiedAt: Date | null;
  passwordChangeRequired: boolean;
  properties: Record<string, unknown>;
  disabledAt: Date | null;
  platformRole: string | null;
}

export interface FlowSnapshot {
  flow: FlowRow | null;
  user: FlowUser | null;
  facts: LoginFacts;
  state: LoginState;
  missingProperties: { key: string; label: string; type: string }[];
}

export type NewFlow = { userId: string | null; email: string | null; method: string; returnTo?: string | null; authenticated: boolean; context: RequestContext; cookie?: string };

/** Start a pending sign-in and set its cookie. Any previous flow in this browser is replaced. */
export async function createFlow(tx: Executor, input: NewFlow): Promise<{ id: string }> {
  const token = randomToken(32);
  // Every sign-in starts here: a prepared statement.
  const [flow] = await preparedRows<{ id: string }>(tx, "gh_login_flow_create", flowInsertSql(input, token));
  await setFlowCookie(input, token);
  return { id: flow!.id };
}

/**
 * `createFlow`'s insert (returning `id`), for a statement that does more; then `setFlowCookie`.
 * `userId` and `when` may be SQL over the statement's earlier CTEs (no row is inserted unless `when`).
 */
export function flowInsertSql(input: NewFlow, token: string, over: { userId?: SQL; when?: SQL } = {}): SQL {
  return sql`insert into login_flows (token_hash, user_id, email, method, return_to, password_verified_at, ip, user_agent, expires_at)
      select ${sha256(token)}, ${over.userId ?? sql`${input.userId}::uuid`}, ${input.email}, ${input.method}, ${safeNextPath(input.returnTo)},
        case when ${input.authenticated} then now() end, ${input.context.ip}, ${input.context.userAgent},
        now() + make_interval(secs => ${getEnv().LOGIN_FLOW_TTL_SECONDS})
      where ${over.when ?? sql`true`}
      returning id`;
}

/** Drop a flow whose cookie was never sent (a speculative insert that was not needed). */
export function discardFlowSql(token: string): SQL {
  return sql`delete from login_flows where token_hash = ${sha256(token)}`;
}

/** The browser's cookie for a flow inserted with `token`. */
export async function setFlowCookie(input: NewFlow, token: string): Promise<void> {
  (await requestCookies()).set(cookieName(input.cookie ?? FLOW_COOKIE), token, { ...hostCookieOptions(), maxAge: getEnv().LOGIN_FLOW_TTL_SECONDS });
}

export async function clearFlowCookie() {
  (await requestCookies()).delete({ name: cookieName(FLOW_COOKIE), ...hostCookieOptions() });
}

/** The live flow of this browser's cookie, or null. */
export async function currentFlow(db: Executor = getDb()): Promise<FlowRow | null> {
  const token = (await requestCookies()).get(cookieName(FLOW_COOKIE))?.value;
  return token ? flowByToken(token, db) : null;
}

export async function flowByToken(token: string, db: Executor = getDb()): Promise<FlowRow | null> {
  const [flow] = await db
    .select()
    .from(loginFlows)
    .where(and(eq(loginFlows.tokenHash, sha256(token)), isNull(loginFlows.completedAt), gt(loginFlows.expiresAt, new Date())));
  return flow ?? null;
}

/** Gather the facts about a flow and decide its state. */
export async function snapshot(flow: FlowRow | null, db: Executor = getDb()): Promise<FlowSnapshot> {
  const empty: LoginFacts = {
    hasFlow: false,
    authenticated: false,
    emailConfirmed: false,
    passwordChangeRequired: false,
    missingProperties: 0,
    mfaRequired: false,
    mfaEnrolled: false,
    mfaVerified: false,
    orgCount: 0,
    platformStaff: false,
    passkeyEnrolled: false,
    passkeyVerified: false,
    passkeyRequired: false,
  };
  if (!flow) return { flow: null, user: null, facts: empty, state: "LOGIN_REQUIRED", missingProperties: [] };

  const [user] = flow.userId
    ? await db
        .select({
          id: users.id,
          email: users.email,
          name: users.name,
          emailVerifiedAt: users.emailVerifiedAt,
          passwordChangeRequired: users.passwordChangeRequired,
          properties: users.properties,
          disabledAt: users.disabledAt,
          platformRole: users.platformRole,
        })
        .from(users)
        .where(eq(users.id, flow.userId))
    : [];
  if (!user) {
    // A sign-up for an address that already has an account: it looks exactly like a new sign-up.
    const facts = { ...empty, hasFlow: true, authenticated: Boolean(flow.passwordVerifiedAt), ssoRedirect: Boolean(flow.ssoConnectionId) };
    return { flow, user: null, facts, state: nextLoginState(facts), missingProperties: [] };
  }
  if (user.disabledAt) return { flow, user, facts: empty, state: "LOGIN_REQUIRED", missingProperties: [] };

  const [definitions, [totp], [orgCount], [mfaOrg], platform, [passkey]] = await Promise.all([
    db.select().from(userPropertyDefinitions).where(eq(userPropertyDefinitions.required, true)).orderBy(userPropertyDefinitions.position),
    db.select({ enabledAt: mfaTotp.enabledAt }).from(mfaTotp).where(eq(mfaTotp.userId, user.id)),
    db.select({ n: count() }).from(memberships).where(eq(memberships.userId, user.id)),
    db
      .select({ n: count(), passkey: sql<number>`count(*) filter (where ${orgs.requirePasskey})`.mapWith(Number) })
      .from(memberships)
      .innerJoin(orgs, eq(orgs.id, memberships.orgId))
      .where(and(eq(memberships.userId, user.id), or(eq(orgs.requireMfa, true), eq(orgs.requirePasskey, true)))),
    getPlatformSettings(db),
    db.select({ n: count() }).from(passkeys).where(and(eq(passkeys.userId, user.id), isNull(passkeys.flaggedAt))),
  ]);
  const missingProperties = definitions
    .filter((d) => isEmptyProperty(d.key === "name" ? user.name : user.properties[d.key], d.type))
    .map((d) => ({ key: d.key, label: d.label, type: d.type }));
  const facts: LoginFacts = {
    hasFlow: true,
    authenticated: Boolean(flow.passwordVerifiedAt),
    emailConfirmed: Boolean(user.emailVerifiedAt),
    passwordChangeRequired: user.passwordChangeRequired,
    missingProperties: missingProperties.length,
    mfaRequired:
      (platform.require_mfa || (platform.require_mfa_for_staff && user.platformRole !== null) || (mfaOrg?.n ?? 0) > 0) &&
      // Enterprise SSO: an IdP that enforces MFA and said so (amr/acr) satisfies the requirement.
      !(flow.ssoConnectionId && flow.mfaVerifiedAt),
    mfaEnrolled: Boolean(totp?.enabledAt),
    mfaVerified: Boolean(flow.mfaVerifiedAt),
    orgCount: orgCount?.n ?? 0,
    platformStaff: user.platformRole !== null,
    passkeyEnrolled: (passkey?.n ?? 0) > 0,
    passkeyVerified: Boolean(flow.passkeyVerifiedAt),
    passkeyRequired: (mfaOrg?.passkey ?? 0) > 0,
  };
  return { flow, user, facts, state: nextLoginState(facts), missingProperties };
}

function isEmptyProperty(value: unknown, type: string): boolean {
  if (type === "checkbox") return value !== true;
  return typeof value !== "string" || value.trim() === "";
}

export class WrongStateError extends AppError {
  constructor(readonly current: LoginState) {
    super(409, "wrong_state", `This step is not available now: the sign-in is at ${current}.`);
  }
}

/**
 * The flow of this browser, which must be in one of `expected` states; otherwise 409 and nothing
 * changes. Every step endpoint starts here.
 */
export async function requireFlowState(...expected: LoginState[]): Promise<FlowSnapshot & { flow: FlowRow }> {
  const snap = await snapshot(await currentFlow());
  if (!snap.flow || !expected.includes(snap.state)) throw new WrongStateError(snap.state);
  return snap as FlowSnapshot & { flow: FlowRow };
}
