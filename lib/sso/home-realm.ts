/**
 * Home-realm discovery: a pure decision, from what the server knows about an email address's
 * domain, about where the sign-in of that address goes. No I/O; lib/sso/routing.ts gathers the facts.
 */

export interface HomeRealmFacts {
  /** What the user asked for at LOGIN_REQUIRED. */
  via: "sso" | "password" | "magic_link";
  /** The address's domain is claimed by an org and the claim is verified (DNS TXT or staff approval). */
  domainVerified: boolean;
  /** That org has an enabled connection. */
  connectionEnabled: boolean;
  /** That org requires SSO for its claimed domains. */
  requireSso: boolean;
  /** The address is the org's named break-glass account. */
  breakGlass: boolean;
}

/**
 * - `IDP`: send the sign-in to the org's identity provider (state SSO_REDIRECT).
 * - `NO_IDP`: the user asked for SSO but no verified domain with an enabled connection covers the address.
 * - `SSO_REQUIRED`: refuse a password or magic-link sign-in; the org requires its IdP.
 * - `LOCAL`: the password or magic-link sign-in goes on as before.
 */
export type HomeRealmDecision = "IDP" | "NO_IDP" | "SSO_REQUIRED" | "LOCAL";

export function homeRealm(f: HomeRealmFacts): HomeRealmDecision {
  const routable = f.domainVerified && f.connectionEnabled;
  if (f.via === "sso") return routable ? "IDP" : "NO_IDP";
  // Requiring SSO with no enabled connection would lock everyone out: it only bites once one is on.
  if (routable && f.requireSso && !f.breakGlass) return "SSO_REQUIRED";
  return "LOCAL";
}

/** The domain of an address (already normalized, lower-case), or null. */
export function emailDomain(email: string): string | null {
  const at = email.lastIndexOf("@");
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1);
}
