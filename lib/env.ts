import "server-only";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { parseTrustProxy } from "@/lib/http/client-ip";
import { parseOriginList } from "@/lib/http/origins";
import { devMailboxEnabled } from "./dev-mailbox";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const int = (fallback: number, min = 1) => z.coerce.number().int().min(min).default(fallback);

const schema = z.object({
  APP_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: int(3000),
  APP_URL: z.url().optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
    .optional(),
  DATA_DIR: z.string().min(1).default(".data"),
  DB_POOL_MAX: int(10),
  DB_ACQUIRE_TIMEOUT_MS: int(5000),
  DB_STATEMENT_TIMEOUT_MS: int(30000),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ENCRYPTION_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, "must be 64 hex characters (32 bytes)")
    .optional(),
  SESSION_MAX_AGE_SECONDS: int(30 * 24 * 3600, 60),
  SESSION_IDLE_TIMEOUT_SECONDS: int(7 * 24 * 3600, 60),
  PASSWORD_MIN_LENGTH: int(12, 8),
  LOGIN_FLOW_TTL_SECONDS: int(30 * 60, 60),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().min(3).default("Gatehouse <no-reply@gatehouse.localhost>"),
  DEV_MAILBOX: bool.optional(),
  SEED_DEMO: bool.optional(),
  /** Dynamic client registrations allowed per client IP per minute, and across all IPs per hour. */
  DCR_PER_IP_PER_MINUTE: int(5),
  DCR_GLOBAL_PER_HOUR: int(100),
  /** How often the OAuth clean-up (unused dynamic clients, expired codes and tokens) runs. */
  OAUTH_CLEANUP_INTERVAL_MINUTES: int(60),
  HOUSEKEEPING_INTERVAL_MINUTES: int(60),
  /** Access-token signing keys are rotated when the active one is this old. */
  OAUTH_SIGNING_KEY_MAX_AGE_DAYS: int(30),
  /** Delegated access (issue 12): limits on the OAuth and MCP side, grant lifetime, MCP browser origins. */
  OAUTH_TOKEN_PER_CLIENT_PER_MINUTE: int(60),
  OAUTH_TOKEN_PER_IP_PER_MINUTE: int(120),
  OAUTH_AUTHORIZE_PER_IP_PER_MINUTE: int(60),
  OAUTH_REVOKE_PER_IP_PER_MINUTE: int(60),
  MCP_PER_GRANT_PER_MINUTE: int(120),
  OAUTH_GRANT_MAX_AGE_DAYS: int(90),
  MCP_ALLOWED_ORIGINS: z.string().default(""),
  /** Origins of other apps whose pages use the sign-in kit against /api/login/* (CORS with credentials). */
  LOGIN_ALLOWED_ORIGINS: z
    .string()
    .default("")
    .transform((v, ctx) => {
      try {
        return parseOriginList(v);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
        return z.NEVER;
      }
    }),
  /** Retention of platform-level audit events (org events follow orgs.audit_retention_days). */
  AUDIT_PLATFORM_RETENTION_DAYS: int(365),
  /** How often the audit maintenance job (partitions ahead, retention) runs; 0 turns it off. */
  AUDIT_MAINTENANCE_INTERVAL_MINUTES: int(360, 0),
  /** How often every node sweeps the audit queue for events no wake-up linked (other nodes', after a crash). */
  AUDIT_CHAIN_SWEEP_MS: int(500, 50),
  /** How long a wake-up waits before linking, so events committed meanwhile are linked in the same batch. */
  AUDIT_CHAIN_BATCH_WAIT_MS: int(50, 0),
  /** An event still unlinked this long after it was written is a break for audit:verify (`unchained_overdue`). */
  AUDIT_CHAIN_MAX_LAG_MS: int(60_000, 1000),
  /** Sign-in abuse resistance (README "Sign-in kit"): who may add to X-Forwarded-For, and the failure budgets. */
  TRUST_PROXY: z
    .string()
    .default("false")
    .refine((v) => {
      try {
        parseTrustProxy(v);
        return true;
      } catch {
        return false;
      }
    }, "must be false, true, a hop count, or a comma list of addresses and CIDRs"),
  SIGN_IN_FAILURES_PER_CLIENT: int(5),
  SIGN_IN_FAILURES_PER_DEVICE: int(10),
  SIGN_IN_FAILURES_PER_ACCOUNT: int(10),
  SIGN_IN_FAILURES_PER_IP: int(50),
  SIGN_IN_HARD_STOP: int(100),
  MFA_FAILURES_PER_ACCOUNT: int(10),
  SIGN_UPS_PER_IP: int(10),
  MAILS_PER_ADDRESS: int(3),
  MAILS_PER_IP: int(20),
  /** Signed audit checkpoints: Ed25519 seed (dev: generated into DATA_DIR), sinks, schedule (0: off). */
  AUDIT_SIGNING_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, "must be 64 hex characters (an Ed25519 seed: openssl rand -hex 32)")
    .optional(),
  AUDIT_CHECKPOINT_DIR: z.string().min(1).optional(),
  AUDIT_CHECKPOINT_URL: z.url().optional(),
  AUDIT_CHECKPOINT_INTERVAL_MINUTES: int(60, 0),
  /** API keys and webhooks (issue 18): validations per platform API key per minute; webhook delivery. */
  API_KEY_VALIDATIONS_PER_MINUTE: int(60000),
  WEBHOOK_WORKER_INTERVAL_MS: int(1000, 50),
  WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().min(0.01).default(5),
  WEBHOOK_RETRY_MAX_HOURS: z.coerce.number().min(0.001).default(24),
  WEBHOOK_TIMEOUT_MS: int(10000, 100),
  WEBHOOK_DISABLE_AFTER_FAILURES: int(100),
});

export type Env = Omit<z.infer<typeof schema>, "AUTH_SECRET" | "ENCRYPTION_KEY" | "DEV_MAILBOX" | "SEED_DEMO"> & {
  APP_URL: string;
  AUTH_SECRET: string;
  ENCRYPTION_KEY: string;
  DEV_MAILBOX: boolean;
  SEED_DEMO: boolean;
  isProduction: boolean;
};

let cached: Env | undefined;

/**
 * The validated environment, read once. In production the secrets are required; elsewhere they are
 * generated on first use and kept in `DATA_DIR/secrets.json`, so a fresh checkout runs with no setup.
 */
export function getEnv(): Env {
  if (cached) return cached;
  const raw = Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const isProduction = e.APP_ENV === "production";
  let { AUTH_SECRET, ENCRYPTION_KEY } = e;
  if (isProduction) {
    const missing = [
      !AUTH_SECRET && "AUTH_SECRET (openssl rand -base64 48)",
      !ENCRYPTION_KEY && "ENCRYPTION_KEY (openssl rand -hex 32)",
      !e.APP_URL && "APP_URL (the public origin, e.g. https://id.example.com)",
      !e.AUDIT_SIGNING_KEY && "AUDIT_SIGNING_KEY (openssl rand -hex 32; keep it outside the database)",
    ].filter(Boolean);
    if (missing.length) {
      throw new Error(`APP_ENV=production requires:\n  ${missing.join("\n  ")}`);
    }
  } else if (!AUTH_SECRET || !ENCRYPTION_KEY) {
    const dev = devSecrets(e.DATA_DIR);
    AUTH_SECRET ??= dev.authSecret;
    ENCRYPTION_KEY ??= dev.encryptionKey;
  }
  cached = {
    ...e,
    APP_URL: (e.APP_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ""),
    AUTH_SECRET: AUTH_SECRET!,
    ENCRYPTION_KEY: ENCRYPTION_KEY!,
    DEV_MAILBOX: devMailboxEnabled(raw),
    // The demo publishes known passwords: never in production, whatever SEED_DEMO says.
    SEED_DEMO: isProduction ? false : (e.SEED_DEMO ?? true),
    isProduction,
  };
  return cached;
}

/** Forget the cached environment (tests change process.env between cases). */
export function resetEnvForTests() {
  cached = undefined;
}

function devSecrets(dataDir: string): { authSecret: string; encryptionKey: string } {
  const file = path.resolve(dataDir, "secrets.json");
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch {
    mkdirSync(path.dirname(file), { recursive: true });
    const fresh = {
      authSecret: randomBytes(48).toString("base64url"),
      encryptionKey: randomBytes(32).toString("hex"),
    };
    try {
      // "wx": if another process created it first, keep theirs.
      writeFileSync(file, JSON.stringify(fresh, null, 2), { flag: "wx", mode: 0o600 });
      return fresh;
    } catch {
      return JSON.parse(readFileSync(file, "utf8"));
    }
  }
}
