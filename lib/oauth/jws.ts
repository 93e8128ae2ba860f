import "server-only";
import { createPrivateKey, type KeyObject, sign } from "node:crypto";
import type { JWK } from "jose";

/**
 * Compact JWS with ES256, signed by node:crypto with a KeyObject imported once per key: the token
 * endpoint signs on every request, and WebCrypto's async sign (what jose uses) costs several times
 * more per call. Only signing lives here; every verification goes through jose.
 */
export interface Es256Signer {
  kid: string;
  sign(payload: Record<string, unknown>, typ: string): string;
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

export function es256Signer(kid: string, privateJwk: JWK): Es256Signer {
  if (privateJwk.kty !== "EC" || privateJwk.crv !== "P-256" || !privateJwk.d) {
    throw new Error("ES256 needs a P-256 private key");
  }
  const key: KeyObject = createPrivateKey({ key: privateJwk as import("node:crypto").JsonWebKey, format: "jwk" });
  // The header is the same for every token of this key: encode it once.
  const headers = new Map<string, string>();
  return {
    kid,
    sign(payload, typ) {
      let header = headers.get(typ);
      if (!header) headers.set(typ, (header = b64url(JSON.stringify({ alg: "ES256", kid, typ }))));
      const input = `${header}.${b64url(JSON.stringify(payload))}`;
      // JWS wants the raw r||s form (RFC 7518 §3.4), not DER.
      const signature = sign("sha256", Buffer.from(input), { key, dsaEncoding: "ieee-p1363" });
      return `${input}.${signature.toString("base64url")}`;
    },
  };
}
