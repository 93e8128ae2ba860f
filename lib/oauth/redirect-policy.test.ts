import { describe, expect, it } from "vitest";
import { checkRedirectUri, checkRedirectUris, matchRedirectUri } from "./redirect-policy";

describe("checkRedirectUri", () => {
  const cases: [string, boolean, string?][] = [
    ["https://claude.ai/api/mcp/auth_callback", true, "https"],
    ["https://chatgpt.com/connector/oauth/abc_123", true, "https"],
    ["https://example.com/cb?x=1", true, "https"],
    ["http://localhost/callback", true, "loopback"],
    ["http://localhost:8787/callback", true, "loopback"],
    ["http://127.0.0.1:33418/", true, "loopback"],
    ["http://[::1]:9000/cb", true, "loopback"],
    ["cursor://anysphere.cursor-mcp/oauth/callback", true, "custom_scheme"],
    ["vscode://vscode.github-authentication/did-authenticate", true, "custom_scheme"],
    ["vscode-insiders://x/cb", true, "custom_scheme"],
    ["http://example.com/cb", false],
    ["http://192.168.1.5/cb", false],
    ["javascript:alert(1)", false],
    ["data:text/html,hi", false],
    ["file:///etc/passwd", false],
    ["ftp://example.com/cb", false],
    ["myapp://cb", false],
    ["https://example.com/cb#frag", false],
    ["https://user:pw@example.com/cb", false],
    ["https://user@example.com/cb", false],
    ["https://*.example.com/cb", false],
    ["https://example.com/*", false],
    ["/relative/cb", false],
    ["", false],
    ["https://exa mple.com/cb", false],
    ["cursor:no-authority", false],
  ];
  it.each(cases)("%s → %s", (uri, ok, kind) => {
    const r = checkRedirectUri(uri);
    expect(r.ok).toBe(ok);
    if (r.ok) expect(r.kind).toBe(kind);
  });

  it("refuses a whole list when one URI is bad", () => {
    expect(checkRedirectUris(["https://a.example/cb", "javascript:x"]).ok).toBe(false);
    expect(
      checkRedirectUris([
        "https://a.example/cb",
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "http://localhost:8787/callback",
      ]).ok,
    ).toBe(true);
    expect(checkRedirectUris([]).ok).toBe(false);
  });
});

describe("matchRedirectUri", () => {
  const registered = [
    "https://claude.ai/api/mcp/auth_callback",
    "http://localhost/callback",
    "http://127.0.0.1:33418/",
    "cursor://anysphere.cursor-mcp/oauth/callback",
  ];
  const cases: [string, boolean][] = [
    ["https://claude.ai/api/mcp/auth_callback", true],
    ["https://claude.ai/api/mcp/auth_callback/", false],
    ["https://claude.ai/api/mcp/auth_callback?x=1", false],
    ["https://CLAUDE.ai/api/mcp/auth_callback", false],
    ["https://claude.ai:8443/api/mcp/auth_callback", false],
    ["http://localhost:53682/callback", true],
    ["http://localhost/callback", true],
    ["http://localhost:53682/callback2", false],
    ["http://localhost:53682/callback?x", false],
    ["http://127.0.0.1:53682/callback", false],
    ["http://127.0.0.1:1234/", true],
    ["http://localhost:1234/", false],
    ["https://localhost:53682/callback", false],
    ["cursor://anysphere.cursor-mcp/oauth/callback", true],
    ["cursor://anysphere.cursor-mcp/oauth/callback2", false],
    ["http://localhost:53682/callback#x", false],
  ];
  it.each(cases)("%s → %s", (uri, ok) => expect(matchRedirectUri(registered, uri)).toBe(ok));
});
