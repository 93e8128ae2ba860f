import "server-only";
import { createHmac } from "node:crypto";
import { eq } from "drizzle-orm";
import { platformSettings } from "@/drizzle/schema";
import type { Executor } from "@/lib/db";

const KEY = "secrets_fingerprint";

interface Fingerprint {
  encryptionKey: string;
  authSecret: string;
}

/** A one-way fingerprint of a secret: tells two secrets apart, reveals nothing of either. */
function fingerprint(secret: string): string {
  return createHmac("sha256", secret).update("gatehouse:secrets-check:v1").digest("hex").slice(0, 32);
}

export class SecretsMismatchError extends Error {
  constructor() {
    super(
      "ENCRYPTION_KEY is not the key this database was set up with. TOTP secrets, signing keys and other data " +
        "encrypted at rest cannot be read with it. Every node must run with the same ENCRYPTION_KEY and AUTH_SECRET " +
        "(in development each checkout generates its own into DATA_DIR/secrets.json: copy one to the others, or set both variables).",
    );
    this.name = "SecretsMismatchError";
  }
}

/**
 * Record the fingerprints of ENCRYPTION_KEY and AUTH_SECRET at the first start, and check them at
 * every later one: a node with another ENCRYPTION_KEY refuses to start (it could not read what the
 * others encrypted); another AUTH_SECRET is a warning (sessions signed with the old one end), and
 * becomes the recorded one, so rotating AUTH_SECRET on every node stays possible.
 */
export async function checkSecretsFingerprint(db: Executor, secrets: { ENCRYPTION_KEY: string; AUTH_SECRET: string }): Promise<"recorded" | "matched" | "auth_secret_changed"> {
  const mine: Fingerprint = { encryptionKey: fingerprint(secrets.ENCRYPTION_KEY), authSecret: fingerprint(secrets.AUTH_SECRET) };
  const inserted = await db.insert(platformSettings).values({ key: KEY, value: mine }).onConflictDoNothing().returning({ key: platformSettings.key });
  if (inserted.length) return "recorded";
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, KEY));
  const stored = row?.value as Partial<Fingerprint> | undefined;
  if (stored?.encryptionKey !== mine.encryptionKey) throw new SecretsMismatchError();
  if (stored.authSecret === mine.authSecret) return "matched";
  await db.update(platformSettings).set({ value: mine, updatedAt: new Date() }).where(eq(platformSettings.key, KEY));
  return "auth_secret_changed";
}
