import { describe, expect, it } from "vitest";
import { isS256Challenge, s256, verifyPkce } from "./pkce";
import { expandPresets, presetsMatching } from "./presets";
import { parseScope, resolveRequestedScopes } from "./scopes";

describe("PKCE S256", () => {
  // RFC 7636 Appendix B
  const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
  it("matches the RFC 7636 example", () => {
    expect(s256(verifier)).toBe(challenge);
    expect(verifyPkce(verifier, challenge)).toBe(true);
    expect(isS256Challenge(challenge)).toBe(true);
  });
  it("refuses wrong, short, long or malformed verifiers", () => {
    expect(verifyPkce(`${verifier.slice(0, -1)}x`, challenge)).toBe(false);
    expect(verifyPkce("short", s256("short"))).toBe(false);
    expect(verifyPkce("a".repeat(129), s256("a".repeat(129)))).toBe(false);
    expect(verifyPkce(`${"a".repeat(42)} `, s256(`${"a".repeat(42)} `))).toBe(false);
    expect(verifyPkce(null, challenge)).toBe(false);
    expect(verifyPkce(challenge, challenge)).toBe(false); // plain is not accepted
  });
  it("recognizes only S256-shaped challenges", () => {
    expect(isS256Challenge("plain-challenge")).toBe(false);
    expect(isS256Challenge(`${challenge}=`)).toBe(false);
  });
});

describe("scope parsing", () => {
  it.each([
    ["", { ok: true, scopes: [] }],
    ["profile", { ok: true, scopes: ["profile"] }],
    [
      "audit:read  members:read profile members:read",
      { ok: true, scopes: ["profile", "members:read", "audit:read"] },
    ],
    ["profile admin:all", { ok: false, invalid: ["admin:all"] }],
    ['profile "x"', { ok: false, invalid: ['"x"'] }],
    ["PROFILE", { ok: false, invalid: ["PROFILE"] }],
  ])("%j", (raw, expected) => expect(parseScope(raw)).toEqual(expected));

  it("limits to the client's allowed scopes and defaults to profile", () => {
    expect(resolveRequestedScopes([], ["profile", "members:read"])).toEqual({
      scopes: ["profile"],
      refused: [],
    });
    expect(resolveRequestedScopes(["audit:read"], ["profile"])).toEqual({
      scopes: [],
      refused: ["audit:read"],
    });
  });
});

describe("presets", () => {
  it("expands Cursor to its three URIs, and ChatGPT with the callback id", () => {
    expect(expandPresets(["cursor"])).toEqual({
      ok: true,
      uris: [
        "cursor://anysphere.cursor-mcp/oauth/callback",
        "https://www.cursor.com/agents/mcp/oauth/callback",
        "http://localhost:8787/callback",
      ],
    });
    const chat = expandPresets(["chatgpt"], { callback_id: "abc123" });
    expect(chat.ok && chat.uris).toContain("https://chatgpt.com/connector/oauth/abc123");
    expect(expandPresets(["chatgpt"], { callback_id: "../x" }).ok).toBe(false);
    expect(expandPresets(["nope"]).ok).toBe(false);
  });
  it("recognizes a dynamically registered Cursor", () => {
    expect(presetsMatching(["cursor://anysphere.cursor-mcp/oauth/callback"]).map((p) => p.id)).toEqual([
      "cursor",
    ]);
  });
});
