/**
 * Redirect URI policy (RFC 9700 §4.1, RFC 8252 §7): exact string match, except that loopback
 * `http://localhost`, `http://127.0.0.1` and `http://[::1]` URIs match on any port.
 */
export const CUSTOM_SCHEMES = ["cursor:", "vscode:", "vscode-insiders:"] as const;
const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const MAX_LENGTH = 2000;

export type RedirectKind = "https" | "loopback" | "custom_scheme";
export type RedirectCheck = { ok: true; kind: RedirectKind } | { ok: false; reason: string };

/** Whether a URI may be registered as a redirect URI, and what kind it is. */
export function checkRedirectUri(raw: string): RedirectCheck {
  if (typeof raw !== "string" || raw.length === 0) return { ok: false, reason: "is empty" };
  if (raw.length > MAX_LENGTH) return { ok: false, reason: "is too long" };
  if (/[\s\x00-\x1f\x7f\\]/.test(raw)) return { ok: false, reason: "contains spaces or control characters" };
  if (raw.includes("#")) return { ok: false, reason: "must not contain a fragment" };
  if (raw.includes("*")) return { ok: false, reason: "must not contain wildcards" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "is not an absolute URI" };
  }
  if (url.username || url.password || /^[a-z][a-z0-9+.-]*:\/\/[^/?]*@/i.test(raw)) {
    return { ok: false, reason: "must not contain user information" };
  }
  if (url.protocol === "https:") {
    if (!url.hostname) return { ok: false, reason: "needs a host" };
    return { ok: true, kind: "https" };
  }
  if (url.protocol === "http:") {
    if (LOOPBACK_HOSTS.has(url.hostname)) return { ok: true, kind: "loopback" };
    return { ok: false, reason: "may use http only for localhost, 127.0.0.1 or [::1]" };
  }
  if ((CUSTOM_SCHEMES as readonly string[]).includes(url.protocol)) {
    if (!/^[a-z-]+:\/\/[^/]+/.test(raw)) return { ok: false, reason: "needs an authority after the scheme" };
    return { ok: true, kind: "custom_scheme" };
  }
  return { ok: false, reason: `uses a scheme that is not allowed (${url.protocol})` };
}

/** Check a whole list; one bad URI refuses the list. */
export function checkRedirectUris(
  uris: readonly string[],
): { ok: true } | { ok: false; uri: string; reason: string } {
  if (uris.length === 0) return { ok: false, uri: "", reason: "at least one redirect URI is needed" };
  for (const uri of uris) {
    const check = checkRedirectUri(uri);
    if (!check.ok) return { ok: false, uri, reason: check.reason };
  }
  return { ok: true };
}

/** Whether `presented` matches a registered redirect URI under the policy. */
export function matchRedirectUri(registered: readonly string[], presented: string): boolean {
  if (registered.includes(presented)) return checkRedirectUri(presented).ok;
  const check = checkRedirectUri(presented);
  if (!check.ok || check.kind !== "loopback") return false;
  const p = new URL(presented);
  return registered.some((r) => {
    if (!r.startsWith("http:")) return false;
    const u = new URL(r);
    return (
      LOOPBACK_HOSTS.has(u.hostname) &&
      u.hostname === p.hostname &&
      u.pathname === p.pathname &&
      u.search === p.search
    );
  });
}

/** The kinds of redirect a client has, for the consent screen's warnings. */
export function redirectKinds(uris: readonly string[]): Set<RedirectKind> {
  const kinds = new Set<RedirectKind>();
  for (const u of uris) {
    const c = checkRedirectUri(u);
    if (c.ok) kinds.add(c.kind);
  }
  return kinds;
}
