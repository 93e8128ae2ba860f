import { isScope, type Scope, SCOPES } from "./scopes";

/**
 * What each OAuth scope stands for in the product's permissions. An agent never exceeds its user:
 * what a token may do is its scope ∩ the permissions the user holds in the token's org *now*
 * (role → the org's plan), checked on every call — by the sample MCP server and by any resource
 * server built on {@link decideAccess}.
 *
 * | scope          | permission needed in the org          |
 * | -------------- | ------------------------------------- |
 * | `profile`      | none (membership of the org suffices) |
 * | `members:read` | `members::read`                       |
 * | `audit:read`   | `audit::read`                         |
 *
 * A new scope must be added here (the type makes it a compile error to forget).
 */
export const SCOPE_PERMISSIONS: Record<Scope, string | null> = {
  profile: null,
  "members:read": "members::read",
  "audit:read": "audit::read",
};

export type AccessDecision =
  | { allowed: true; scope: Scope; permission: string | null }
  | { allowed: false; missing: "scope"; scope: Scope; permission: string | null }
  | { allowed: false; missing: "permission"; scope: Scope; permission: string };

/**
 * Whether a caller whose token carries `granted` scopes, acting for a user who holds `held`
 * permissions in the token's org, may use `scope`. The scope is checked first: a permission gained
 * after consent never widens a grant.
 */
export function decideAccess(scope: Scope, granted: readonly string[], held: readonly string[]): AccessDecision {
  const permission = SCOPE_PERMISSIONS[scope];
  if (!granted.includes(scope)) return { allowed: false, missing: "scope", scope, permission };
  if (permission && !held.includes(permission)) return { allowed: false, missing: "permission", scope, permission };
  return { allowed: true, scope, permission };
}

/** The granted scopes the user can still exercise (scope ∩ permission). */
export function effectiveScopes(granted: readonly string[], held: readonly string[]): Scope[] {
  return granted.filter((s): s is Scope => isScope(s) && decideAccess(s, granted, held).allowed);
}

export interface ScopeOffer {
  /** Scopes the user could exercise in the org: the only ones consent may grant there. */
  available: { scope: Scope; description: string }[];
  /** Requested scopes left out, with the permission the user lacks. */
  unavailable: { scope: Scope; description: string; permission: string }[];
}

/** Split a request's scopes into what a user holding `held` can grant in one org and what not. */
export function offerScopes(requested: readonly Scope[], held: readonly string[]): ScopeOffer {
  const offer: ScopeOffer = { available: [], unavailable: [] };
  for (const scope of requested) {
    const permission = SCOPE_PERMISSIONS[scope];
    const description = SCOPES[scope];
    if (permission && !held.includes(permission)) offer.unavailable.push({ scope, description, permission });
    else offer.available.push({ scope, description });
  }
  return offer;
}

/** The sentence a 403 carries: which of the two (scope or permission) is missing. */
export function refusalMessage(d: Exclude<AccessDecision, { allowed: true }>): string {
  return d.missing === "scope"
    ? `The access token was not granted the ${d.scope} scope.`
    : `The user no longer holds the ${d.permission} permission in this organization, which the ${d.scope} scope needs.`;
}
