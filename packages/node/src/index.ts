// @gatehouse/node — a small typed client for a product backend that runs its API on Gatehouse.
// No dependencies: global fetch and node:crypto. Usage:
//   const gatehouse = createGatehouseClient({ baseUrl: "https://auth.example.com", apiKey: process.env.GATEHOUSE_API_KEY! });
//   const v = await gatehouse.validateApiKey(req.headers["x-api-key"]);
import { createHmac, timingSafeEqual } from "node:crypto";

export interface GatehouseClientOptions {
  /** The Gatehouse origin, e.g. https://auth.example.com */
  baseUrl: string;
  /** A platform API key (ghk_…), created by platform staff at /admin/api-keys. */
  apiKey: string;
  /** Another fetch (tests, proxies); default: the global fetch. */
  fetch?: typeof fetch;
}

export type RefusalReason = "unknown" | "revoked" | "expired" | "disabled" | "owner_disabled" | "membership_ended";

export interface ApiKeyOwner {
  id: string;
  name: string;
  type: "personal" | "org";
  mode: "live" | "test";
  expiresAt: string | null;
  user: { id: string; email: string; name: string | null } | null;
  org: { id: string; slug: string; name: string } | null;
  role: { key: string; name: string } | null;
  plan: string | null;
  permissions: string[];
}

export interface RateLimitVerdict {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Unix seconds when the window resets. */
  reset: number;
  retryAfterSeconds: number;
}

/** The answer of POST /api/v1/api-keys/validate. */
export type ApiKeyValidation =
  | { valid: false; reason: RefusalReason; message: string }
  | { valid: true; key: ApiKeyOwner; permission?: { id: string; granted: boolean }; rateLimit: RateLimitVerdict };

export interface UserLookup {
  user: { id: string; email: string; name: string | null; [k: string]: unknown };
  orgs: { slug: string; name: string; role: string; [k: string]: unknown }[];
}

export class GatehouseError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "GatehouseError";
  }
}

export interface GatehouseClient {
  /**
   * Validate a personal or org API key your user sent you, consuming one unit of its rate limit.
   * A refused key is `{ valid: false }`; a key over its limit is `{ valid: true, rateLimit: { allowed: false } }`
   * (answer your caller 429 with `Retry-After: rateLimit.retryAfterSeconds`). Pass `permission` to
   * learn whether the key holds it in the same round trip.
   */
  validateApiKey(apiKey: string, opts?: { permission?: string }): Promise<ApiKeyValidation>;
  /** A user (by id or email) and their orgs. Null when there is no such user. */
  getUser(idOrEmail: string): Promise<UserLookup | null>;
  /** Whether a user holds a permission in an org (by slug), evaluated now. */
  checkPermission(args: { user: string; org: string; permission: string }): Promise<boolean>;
}

export function createGatehouseClient(options: GatehouseClientOptions): GatehouseClient {
  const base = options.baseUrl.replace(/\/+$/, "");
  const doFetch = options.fetch ?? fetch;
  const headers = { authorization: `Bearer ${options.apiKey}`, accept: "application/json" };

  async function request(path: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await doFetch(`${base}${path}`, { ...init, headers: { ...headers, ...(init.headers as Record<string, string> | undefined) } });
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    return { status: res.status, body };
  }
  function fail(status: number, body: Record<string, unknown>): never {
    const err = (body.error ?? {}) as { code?: string; message?: string };
    throw new GatehouseError(status, err.code ?? "error", err.message ?? `Gatehouse answered ${status}.`);
  }

  return {
    async validateApiKey(apiKey, opts = {}) {
      const { status, body } = await request("/api/v1/api-keys/validate", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ apiKey, ...(opts.permission ? { permission: opts.permission } : {}) }),
      });
      if (status === 200 || (status === 429 && body.valid === true)) {
        const { error: _error, ...rest } = body;
        return rest as unknown as ApiKeyValidation;
      }
      if (status === 401 && body.valid === false) {
        const err = body.error as { message: string };
        return { valid: false, reason: body.reason as RefusalReason, message: err.message };
      }
      // Our own platform key refused (401 invalid_api_key), over its budget (429), bad input (400) …
      fail(status, body);
    },
    async getUser(idOrEmail) {
      const { status, body } = await request(`/api/v1/users?${new URLSearchParams({ user: idOrEmail })}`);
      if (status === 404) return null;
      if (status !== 200) fail(status, body);
      return body as unknown as UserLookup;
    },
    async checkPermission({ user, org, permission }) {
      const { status, body } = await request(`/api/v1/check?${new URLSearchParams({ user, org, permission })}`);
      if (status !== 200) fail(status, body);
      return body.allowed === true;
    },
  };
}

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebhookVerificationError";
  }
}

export interface GatehouseWebhookEvent<T = Record<string, unknown>> {
  type: string;
  timestamp: string;
  data: T;
}

type HeaderBag = Headers | Record<string, string | string[] | undefined>;
const header = (h: HeaderBag, name: string): string => {
  if (typeof (h as Headers).get === "function") return (h as Headers).get(name) ?? "";
  const v = (h as Record<string, string | string[] | undefined>)[name];
  return (Array.isArray(v) ? v[0] : v) ?? "";
};

/**
 * Verify a Gatehouse webhook (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature
 * `v1,<base64 HMAC-SHA256>` over "id.timestamp.body") against the endpoint's `whsec_` secret, and
 * return the parsed event. Pass the raw body exactly as received. Throws WebhookVerificationError.
 */
export function verifyWebhook(secret: string, headers: HeaderBag, rawBody: string, opts: { toleranceSeconds?: number; now?: number } = {}): GatehouseWebhookEvent {
  const id = header(headers, "webhook-id");
  const timestamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError("Missing webhook-id, webhook-timestamp or webhook-signature.");
  const ts = Number(timestamp);
  const now = Math.floor((opts.now ?? Date.now()) / 1000);
  if (!Number.isInteger(ts) || Math.abs(now - ts) > (opts.toleranceSeconds ?? 300)) throw new WebhookVerificationError("The timestamp is too old or too new.");
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = Buffer.from(createHmac("sha256", key).update(`${id}.${timestamp}.${rawBody}`).digest("base64"));
  const ok = signatures.split(" ").some((s) => {
    const [version, sig] = s.split(",", 2);
    if (version !== "v1" || !sig) return false;
    const got = Buffer.from(sig);
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
  if (!ok) throw new WebhookVerificationError("No matching signature.");
  return JSON.parse(rawBody) as GatehouseWebhookEvent;
}
