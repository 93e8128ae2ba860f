import { z } from "zod";

/** The prefixes of personal and org API keys: `ghk_live_` for production keys, `ghk_test_` for test keys. */
export const USER_KEY_PREFIXES = { live: "ghk_live_", test: "ghk_test_" } as const;

const permissionId = z.string().regex(/^[a-z0-9_]+::[a-z0-9_]+$/, "A permission looks like feature::action.");

/** Input of a new personal or org API key (both forms and both routes use it). */
export const createUserApiKeySchema = z
  .object({
    name: z.string().trim().min(2, "Give the key a name of at least 2 characters.").max(80),
    /** Days until the key stops working; null for no expiry (when the platform allows it). */
    expiresInDays: z.number().int().min(1).max(3650).nullable(),
    /** Narrower than the creator's permissions; omitted or null: all of them (as they are at each use). */
    permissions: z.array(permissionId).max(100).nullable().optional(),
    /** Requests per minute; omitted: the platform default. */
    rateLimitPerMinute: z.number().int().min(1).max(1_000_000).optional(),
    mode: z.enum(["live", "test"]).default("live"),
    /** Personal keys only: the org the key acts in (the user must be a member). */
    org: z.string().min(1).max(64).optional(),
  })
  .strict();
export type CreateUserApiKeyInput = z.infer<typeof createUserApiKeySchema>;

/** Body of POST /api/v1/api-keys/validate. */
export const validateApiKeySchema = z
  .object({
    apiKey: z.string().min(1).max(200),
    /** Optionally ask about one permission too: the answer says whether the key holds it. */
    permission: permissionId.optional(),
  })
  .strict();
