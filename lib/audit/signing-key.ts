import "server-only";
import { createPrivateKey, createPublicKey, type KeyObject, randomBytes, sign } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { keyId } from "./verify-core.mjs";

/** Signs audit checkpoints with an Ed25519 key that never enters the database. */
export interface AuditSigner {
  kid: string;
  /** The raw 32-byte public key, base64url (the JWK `x`). */
  publicKey: string;
  sign(message: string): string;
}

// PKCS#8 wrapping of a raw Ed25519 seed (RFC 8410).
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

/** A signer from a 32-byte seed in hex (what AUDIT_SIGNING_KEY holds). */
export function signerFromSeed(seedHex: string): AuditSigner {
  const privateKey: KeyObject = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(seedHex, "hex")]), format: "der", type: "pkcs8" });
  const publicKey = createPublicKey(privateKey).export({ format: "jwk" }).x!;
  return {
    kid: keyId(publicKey),
    publicKey,
    sign: (message) => sign(null, Buffer.from(message), privateKey).toString("base64url"),
  };
}

let cached: AuditSigner | undefined;

/**
 * The process's signer: AUDIT_SIGNING_KEY (required in production), or outside production a seed
 * generated once into `DATA_DIR/audit-signing-key` (like the other development secrets).
 */
export function getAuditSigner(): AuditSigner {
  if (cached) return cached;
  const env = getEnv();
  cached = signerFromSeed(env.AUDIT_SIGNING_KEY ?? developmentSeed(env.DATA_DIR));
  return cached;
}

function developmentSeed(dataDir: string): string {
  const file = path.resolve(dataDir, "audit-signing-key");
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // "wx": if another process created it first, keep theirs.
      writeFileSync(file, randomBytes(32).toString("hex"), { flag: "wx", mode: 0o600 });
    } catch {
      // created meanwhile
    }
    return readFileSync(file, "utf8").trim();
  }
}
