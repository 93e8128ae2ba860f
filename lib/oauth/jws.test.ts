import { exportJWK, generateKeyPair, jwtVerify } from "jose";
import { describe, expect, it } from "vitest";
import { es256Signer } from "./jws";

describe("es256Signer", () => {
  it("signs tokens jose verifies, with the header it claims", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const signer = es256Signer("k1", await exportJWK(privateKey));
    const token = signer.sign({ sub: "u1", iss: "https://gh.example", aud: "r", exp: Math.floor(Date.now() / 1000) + 60 }, "at+jwt");
    const { payload, protectedHeader } = await jwtVerify(token, publicKey, { issuer: "https://gh.example", audience: "r", typ: "at+jwt" });
    expect(payload.sub).toBe("u1");
    expect(protectedHeader).toEqual({ alg: "ES256", kid: "k1", typ: "at+jwt" });
  });

  it("makes a different signature each time (ECDSA's random k) that still verifies", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const signer = es256Signer("k1", await exportJWK(privateKey));
    const [a, b] = [signer.sign({ n: 1 }, "JWT"), signer.sign({ n: 1 }, "JWT")];
    expect(a).not.toBe(b);
    for (const t of [a, b]) await expect(jwtVerify(t, publicKey)).resolves.toBeTruthy();
  });

  it("produces a signature another key does not verify", async () => {
    const one = await generateKeyPair("ES256", { extractable: true });
    const other = await generateKeyPair("ES256", { extractable: true });
    const token = es256Signer("k1", await exportJWK(one.privateKey)).sign({ n: 1 }, "JWT");
    await expect(jwtVerify(token, other.publicKey)).rejects.toThrow();
  });

  it("refuses a key that is not P-256", async () => {
    const { privateKey } = await generateKeyPair("ES384", { extractable: true });
    const jwk = await exportJWK(privateKey);
    expect(() => es256Signer("k1", jwk)).toThrow(/P-256/);
  });
});
