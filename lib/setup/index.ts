import "server-only";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { platformSettings, users } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { hashPassword } from "@/lib/auth/password";
import { passwordProblem } from "@/lib/auth/password-policy";
import { constantTimeEqual, randomToken, sha256 } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { conflict, invalidInput, notFound } from "@/lib/errors";
import { issueEmailToken } from "@/lib/login-flow/email-tokens";
import type { RequestContext } from "@/lib/http/request-context";
import { setPlatformSetting } from "@/lib/platform/settings";

/** Where the hash of the one live setup token is kept (platform_settings). */
const TOKEN_KEY = "setup_token";
/** The setup cookie: the token moves from the printed URL into it, scoped to the setup pages. */
export const SETUP_COOKIE = "gh_setup";

export const setupSchema = z
  .object({
    email: z.email("Enter an email address").max(320).transform((e) => e.trim().toLowerCase()),
    name: z.string().trim().min(1, "Enter your name").max(200),
    password: z.string().min(1, "Choose a password"),
    requireStaffMfa: z.boolean().default(true),
  })
  .strict();

async function platformAdminExists(db: Executor): Promise<boolean> {
  const [row] = await db.select({ id: users.id }).from(users).where(eq(users.platformRole, "admin")).limit(1);
  return Boolean(row);
}

/**
 * At start: when no platform admin exists, issue a fresh single-use setup token (its hash replaces
 * any earlier one, so a restart voids the old link) and return it; otherwise null.
 */
export async function issueSetupToken(db: Executor = getDb()): Promise<string | null> {
  if (await platformAdminExists(db)) {
    await db.delete(platformSettings).where(eq(platformSettings.key, TOKEN_KEY));
    return null;
  }
  const token = randomToken(32);
  await db
    .insert(platformSettings)
    .values({ key: TOKEN_KEY, value: { hash: sha256(token), issuedAt: new Date().toISOString() } })
    .onConflictDoUpdate({ target: platformSettings.key, set: { value: { hash: sha256(token), issuedAt: new Date().toISOString() }, updatedAt: new Date() } });
  return token;
}

/** Whether `token` opens setup now: no platform admin yet and it is the live token. */
export async function setupTokenValid(token: string | null | undefined, db: Executor = getDb()): Promise<boolean> {
  if (!token || token.length > 128) return false;
  const [row] = await db.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, TOKEN_KEY));
  const hash = (row?.value as { hash?: string } | undefined)?.hash;
  if (!hash || !constantTimeEqual(hash, sha256(token))) return false;
  return !(await platformAdminExists(db));
}

/**
 * Create the first platform admin with the live setup token: one transaction that locks the token
 * row, checks again that no admin exists, consumes the token and records the event. A second call,
 * concurrent or later, finds no token and gets a 404.
 */
export async function createFirstAdmin(token: string | null | undefined, input: z.infer<typeof setupSchema>, context: RequestContext) {
  const problem = passwordProblem(input.password, { email: input.email });
  if (problem) throw invalidInput(problem, { password: problem });
  const passwordHash = await hashPassword(input.password);
  return getDb().transaction(async (tx) => {
    const [row] = await tx.select({ value: platformSettings.value }).from(platformSettings).where(eq(platformSettings.key, TOKEN_KEY)).for("update");
    const hash = (row?.value as { hash?: string } | undefined)?.hash;
    if (!token || !hash || !constantTimeEqual(hash, sha256(token)) || (await platformAdminExists(tx))) {
      throw notFound("This setup link is no longer valid.");
    }
    const [taken] = await tx.select({ id: users.id }).from(users).where(eq(users.email, input.email));
    if (taken) {
      throw conflict("An account with this email already exists. Use another address, or promote it with `npm run admin:create`.", "email_taken");
    }
    const [user] = await tx
      .insert(users)
      .values({ email: input.email, name: input.name, passwordHash, emailVerifiedAt: new Date(), platformRole: "admin" })
      .returning({ id: users.id, email: users.email });
    await tx.delete(platformSettings).where(eq(platformSettings.key, TOKEN_KEY));
    if (input.requireStaffMfa) await setPlatformSetting(tx, "require_mfa_for_staff", true);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "system", id: "setup", name: "First-run setup" },
      action: "platform.admin_created",
      target: { type: "user", id: user!.id, name: user!.email },
      context,
      metadata: { via: "setup", requireStaffMfa: input.requireStaffMfa },
    });
    return user!;
  });
}

/**
 * `npm run admin:create`: make `email` a platform admin, creating the user if needed (the operator
 * vouches for the address), and return a single-use link to set the password (a password-reset
 * token, valid 30 minutes). One transaction, one audit event.
 */
export async function createOrPromoteAdmin(input: { email: string; name?: string }, context: RequestContext): Promise<{ userId: string; created: boolean; token: string }> {
  const email = z.email("Not an email address").max(320).parse(input.email.trim().toLowerCase());
  return getDb().transaction(async (tx) => {
    const [existing] = await tx.select({ id: users.id, platformRole: users.platformRole }).from(users).where(eq(users.email, email)).for("update");
    const created = !existing;
    const [user] = existing
      ? await tx.update(users).set({ platformRole: "admin", updatedAt: new Date() }).where(eq(users.id, existing.id)).returning({ id: users.id })
      : await tx.insert(users).values({ email, name: input.name ?? null, emailVerifiedAt: new Date(), platformRole: "admin" }).returning({ id: users.id });
    // The first admin exists now: the printed setup link stops working.
    await tx.delete(platformSettings).where(eq(platformSettings.key, TOKEN_KEY));
    const token = await issueEmailToken(tx, { purpose: "password_reset", userId: user!.id, email });
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "system", id: "admin:create", name: "npm run admin:create" },
      action: created ? "platform.admin_created" : "platform.admin_promoted",
      target: { type: "user", id: user!.id, name: email },
      context,
      metadata: { via: "cli", before: existing ? { platformRole: existing.platformRole } : null, after: { platformRole: "admin" } },
    });
    return { userId: user!.id, created, token };
  });
}
