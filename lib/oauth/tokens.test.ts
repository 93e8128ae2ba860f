import { decodeJwt, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { useTestDatabase } from "@/test/db";
import { sql } from "drizzle-orm";
import { oauthSigningKeys } from "@/drizzle/schema";
import { getDb } from "@/lib/db";
import {
  forgetKeyCache,
  getActiveSigningKey,
  getPublicJwks,
  rotateSigningKeys,
  rotateSigningKeysIfDue,
} from "./keys";
import { issueAccessToken, verifyAccessToken } from "./tokens";

useTestDatabase();
const AUD = "http://localhost:3000/api/mcp";
const input = {
  userId: "u-1",
  orgId: "o-1",
  clientId: "c-1",
  grantId: "00000000-0000-4000-8000-000000000001",
  scopes: ["profile", "members:read"],
  resource: AUD,
  ttlSeconds: 900,
};

describe("access token claims", () => {
  it("carries iss, aud, sub, org_id, scope, client_id, grant_id, jti, iat, exp, signed ES256 as at+jwt", async () => {
    const { token } = await issueAccessToken(input);
    const header = decodeProtectedHeader(token);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt" });
    expect(header.kid).toBeTruthy();
    const c = decodeJwt(token);
    expect(c).toMatchObject({
      iss: "http://localhost:3000",
      aud: AUD,
      sub: "u-1",
      org_id: "o-1",
      client_id: "c-1",
      grant_id: input.grantId,
      scope: "profile members:read",
    });
    expect(c.exp! - c.iat!).toBe(900);
    expect(c.jti).toMatch(/^[0-9a-f-]{36}$/);
    const again = decodeJwt((await issueAccessToken(input)).token);
    expect(again.jti).not.toBe(c.jti);
  });

  it("verifies, and refuses another audience, a tampered payload and an expired token", async () => {
    const { token } = await issueAccessToken(input);
    expect((await verifyAccessToken(token, AUD)).sub).toBe("u-1");
    await expect(verifyAccessToken(token, "https://other.example/mcp")).rejects.toThrow(/aud/);
    const [h, p, s] = token.split(".");
    const forged = Buffer.from(JSON.stringify({ ...decodeJwt(token), sub: "someone-else" })).toString(
      "base64url",
    );
    await expect(verifyAccessToken(`${h}.${forged}.${s}`, AUD)).rejects.toThrow();
    expect(p).toBeTruthy();
    const { token: expired } = await issueAccessToken({ ...input, ttlSeconds: -5 });
    await expect(verifyAccessToken(expired, AUD)).rejects.toThrow(/expired/);
  });

  it("rotation: new tokens use the new key; tokens signed before still verify; the JWKS lists both", async () => {
    const { token: before } = await issueAccessToken(input);
    const newKid = await rotateSigningKeys();
    const { token: after } = await issueAccessToken(input);
    expect(decodeProtectedHeader(after).kid).toBe(newKid);
    expect(decodeProtectedHeader(before).kid).not.toBe(newKid);
    forgetKeyCache();
    await expect(verifyAccessToken(before, AUD)).resolves.toBeTruthy();
    const { keys } = await getPublicJwks();
    expect(keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([newKid, decodeProtectedHeader(before).kid]),
    );
    expect(keys.every((k) => k.d === undefined)).toBe(true);
  });

  it("rotates on schedule only when the active key is old, once under concurrency", async () => {
    await getActiveSigningKey();
    expect(await rotateSigningKeysIfDue(30)).toBeNull();
    await getDb()
      .update(oauthSigningKeys)
      .set({ activatedAt: sql`now() - interval '31 days'` })
      .where(sql`${oauthSigningKeys.retiredAt} is null`);
    const results = await Promise.all([
      rotateSigningKeysIfDue(30),
      rotateSigningKeysIfDue(30),
      rotateSigningKeysIfDue(30),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const active = await getDb()
      .select()
      .from(oauthSigningKeys)
      .where(sql`${oauthSigningKeys.retiredAt} is null`);
    expect(active.map((k) => k.kid)).toEqual([results.find(Boolean)]);
  });
});
