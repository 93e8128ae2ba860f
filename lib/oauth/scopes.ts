/** The scopes Gatehouse grants to OAuth clients, with the plain words shown on the consent screen. */
export const SCOPES = {
  profile: "See who you are and which organization the app acts in",
  "members:read": "See the members of the organization and their roles",
  "audit:read": "Search the organization's audit log",
} as const;

export type Scope = keyof typeof SCOPES;
export const ALL_SCOPES = Object.keys(SCOPES) as Scope[];
/** Granted when a client asks for no scope at all. */
export const DEFAULT_SCOPES: Scope[] = ["profile"];

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token

export function isScope(value: string): value is Scope {
  return Object.hasOwn(SCOPES, value);
}

export type ScopeParse = { ok: true; scopes: Scope[] } | { ok: false; invalid: string[] };

/**
 * Parse a space-delimited `scope` parameter: duplicates collapse, order is canonical, any unknown
 * or malformed token makes the whole request invalid (RFC 6749 `invalid_scope`).
 */
export function parseScope(raw: string | null | undefined): ScopeParse {
  const tokens = (raw ?? "").split(" ").filter((t) => t.length > 0);
  const invalid = tokens.filter((t) => !SCOPE_TOKEN.test(t) || !isScope(t));
  if (invalid.length) return { ok: false, invalid: [...new Set(invalid)] };
  return { ok: true, scopes: canonicalScopes(tokens as Scope[]) };
}

/** Sorted in catalogue order, without duplicates. */
export function canonicalScopes(scopes: readonly string[]): Scope[] {
  const set = new Set(scopes);
  return ALL_SCOPES.filter((s) => set.has(s));
}

/** The scopes a client may get: the request (or the default) limited to what the client is allowed. */
export function resolveRequestedScopes(
  requested: Scope[],
  allowed: readonly string[],
): { scopes: Scope[]; refused: Scope[] } {
  const wanted = requested.length ? requested : DEFAULT_SCOPES.filter((s) => allowed.includes(s));
  return {
    scopes: wanted.filter((s) => allowed.includes(s)),
    refused: wanted.filter((s) => !allowed.includes(s)),
  };
}

export function formatScope(scopes: readonly string[]): string {
  return scopes.join(" ");
}
