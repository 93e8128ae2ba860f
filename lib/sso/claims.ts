/** Pure readings of what an IdP asserted: groups, the mapped role, and whether MFA was done. */

/** RFC 8176 methods that are a second factor on top of a password (or a factor of their own kind). */
const STRONG_AMR = new Set(["mfa", "otp", "hwk", "sc", "fpt", "face", "iris", "retina", "vbm", "sms", "tel", "swk", "pop"]);
// OIDC acr values, and SAML AuthnContextClassRefs: Entra's multipleauthn, the SAML 2.0 two-factor, token and smartcard classes.
const MFA_ACR = [/mfa/i, /multi-?factor/i, /phr/i, /phrh/i, /multipleauthn/i, /TwoFactor/i, /TimeSyncToken/i, /Smartcard/i];

/** Whether the IdP says this sign-in used more than one factor (`amr`, or an `acr` naming MFA). */
export function idpAssertsMfa(claims: Record<string, unknown>): boolean {
  const amr = Array.isArray(claims.amr) ? claims.amr.filter((a): a is string => typeof a === "string") : [];
  if (amr.includes("mfa")) return true;
  // Two distinct methods, one of them more than a password: e.g. ["pwd", "otp"].
  if (new Set(amr).size >= 2 && amr.some((a) => STRONG_AMR.has(a))) return true;
  const acr = typeof claims.acr === "string" ? claims.acr : "";
  return MFA_ACR.some((re) => re.test(acr));
}

/** The values of the groups (or role) claim: a string or an array of strings; anything else is none. */
export function groupsFrom(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((g): g is string => typeof g === "string").slice(0, 500);
  return [];
}

export interface RuleRole {
  group: string;
  roleId: string;
  rank: number;
}

/** The highest-ranked role any rule grants for these groups, or null when no rule matches. */
export function mappedRole(groups: string[], rules: RuleRole[]): { roleId: string; rank: number; group: string } | null {
  const have = new Set(groups);
  let best: RuleRole | null = null;
  for (const r of rules) if (have.has(r.group) && (!best || r.rank > best.rank)) best = r;
  return best ? { roleId: best.roleId, rank: best.rank, group: best.group } : null;
}

/**
 * The role a member should have after this sign-in. A new member gets the mapped role or the
 * default; an existing one follows the mapping when a rule matches (up or down), keeps their role
 * when none does, and an Owner (the top rank) is never demoted by the IdP: an org must keep its
 * Owners, and ownership moves through the console's transfer.
 */
export function roleAfterSignIn(input: {
  current: { roleId: string; rank: number } | null;
  mapped: { roleId: string; rank: number } | null;
  defaultRoleId: string;
  topRank: number;
}): string {
  const { current, mapped } = input;
  if (!current) return mapped?.roleId ?? input.defaultRoleId;
  if (!mapped) return current.roleId;
  if (current.rank >= input.topRank && mapped.rank < current.rank) return current.roleId;
  return mapped.roleId;
}
