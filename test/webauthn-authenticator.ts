import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";

/**
 * A software WebAuthn authenticator (ES256, "none" attestation) for integration tests: it answers
 * the options our server sends the way a browser and a platform authenticator would, and can be
 * told to misbehave (another origin or RP id, no user verification, a counter that goes back).
 * The server checks its answers with @simplewebauthn/server, as it checks a real browser's.
 */
export class SoftAuthenticator {
  readonly credentialId = randomBytes(16).toString("base64url");
  private readonly key: KeyObject;
  private readonly publicJwk: { x: string; y: string };
  counter = 0;
  userHandle: string | null = null;

  constructor(readonly origin = "http://localhost:3000") {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    this.key = privateKey;
    const jwk = publicKey.export({ format: "jwk" }) as { x: string; y: string };
    this.publicJwk = { x: jwk.x, y: jwk.y };
  }

  private authData(rpId: string, flags: number, attested?: Uint8Array): Buffer {
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(this.counter >>> 0);
    return Buffer.concat([createHash("sha256").update(rpId).digest(), Buffer.from([flags]), counter, ...(attested ? [Buffer.from(attested)] : [])]);
  }

  /** navigator.credentials.create(): the RegistrationResponseJSON a browser would send. */
  create(options: { challenge: string; rp: { id?: string }; user: { id: string } }, opts: { origin?: string; rpId?: string; uv?: boolean } = {}) {
    this.userHandle = options.user.id;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin: opts.origin ?? this.origin, crossOrigin: false }));
    const cose = new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(this.publicJwk.x, "base64url")],
      [-3, Buffer.from(this.publicJwk.y, "base64url")],
    ]);
    const id = Buffer.from(this.credentialId, "base64url");
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, Buffer.from(isoCBOR.encode(cose))]);
    // UP | UV | BE | BS | AT
    const flags = 0x01 | (opts.uv === false ? 0 : 0x04) | 0x08 | 0x10 | 0x40;
    const authData = this.authData(opts.rpId ?? options.rp.id ?? "localhost", flags, attested);
    const attestationObject = isoCBOR.encode(new Map<string, unknown>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]) as never);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        attestationObject: Buffer.from(attestationObject).toString("base64url"),
        transports: ["internal"],
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }

  /** navigator.credentials.get(): the AuthenticationResponseJSON a browser would send. */
  get(options: { challenge: string; rpId?: string }, opts: { origin?: string; rpId?: string; uv?: boolean; counter?: number } = {}) {
    this.counter = opts.counter ?? this.counter + 1;
    const clientDataJSON = Buffer.from(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin: opts.origin ?? this.origin, crossOrigin: false }));
    const flags = 0x01 | (opts.uv === false ? 0 : 0x04) | 0x08 | 0x10;
    const authData = this.authData(opts.rpId ?? options.rpId ?? "localhost", flags);
    const signature = sign("sha256", Buffer.concat([authData, createHash("sha256").update(clientDataJSON).digest()]), this.key);
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key" as const,
      response: {
        clientDataJSON: clientDataJSON.toString("base64url"),
        authenticatorData: authData.toString("base64url"),
        signature: signature.toString("base64url"),
        ...(this.userHandle ? { userHandle: this.userHandle } : {}),
      },
      authenticatorAttachment: "platform" as const,
      clientExtensionResults: {},
    };
  }
}
