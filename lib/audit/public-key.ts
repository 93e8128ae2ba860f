import "server-only";
import { getAuditSigner } from "./signing-key";

/** The checkpoint verification key as published at /.well-known/gatehouse-audit-key. */
export function auditPublicKeyDocument() {
  const { kid, publicKey } = getAuditSigner();
  return { alg: "Ed25519", kid, publicKey, jwk: { kty: "OKP", crv: "Ed25519", x: publicKey, kid, use: "sig" } };
}
