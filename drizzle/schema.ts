import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  bigint,
  bigserial,
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const createdAt = () => timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow();
const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** Platform-level role of a user: staff who run Gatehouse itself, not a tenant. */
export const PLATFORM_ROLES = ["admin", "support"] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Stored lower-cased and trimmed; unique. */
    email: text("email").notNull(),
    name: text("name"),
    passwordHash: text("password_hash"),
    emailVerifiedAt: tz("email_verified_at"),
    /** Set by an admin, or when the password is found on the blocklist. */
    passwordChangeRequired: boolean("password_change_required").notNull().default(false),
    /** Platform-defined profile properties (job title, accepted terms …). */
    properties: jsonb("properties").$type<Record<string, unknown>>().notNull().default({}),
    platformRole: text("platform_role").$type<PlatformRole>(),
    disabledAt: tz("disabled_at"),
    /** When a passkey was last offered after sign-in (offered once). */
    passkeyOfferedAt: tz("passkey_offered_at"),
    lastSignInAt: tz("last_sign_in_at"),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_key").on(t.email),
    check("users_email_lower", sql`${t.email} = lower(${t.email})`),
    check("users_platform_role_valid", sql`${t.platformRole} is null or ${t.platformRole} in ('admin', 'support')`),
  ],
);

/**
 * Roles are platform-wide and ordered by `rank` (higher outranks lower). `key` is the stable
 * identifier code refers to; `name` is what people see and may be renamed.
 */
export const roles = pgTable(
  "roles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    key: text("key").notNull(),
    name: text("name").notNull(),
    rank: integer("rank").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("roles_key_key").on(t.key),
    uniqueIndex("roles_name_key").on(t.name),
    uniqueIndex("roles_rank_key").on(t.rank),
  ],
);

/** Permissions are identified by `feature::action`. */
export const permissions = pgTable(
  "permissions",
  {
    id: text("id").primaryKey(),
    description: text("description").notNull().default(""),
    deprecatedAt: tz("deprecated_at"),
    createdAt: createdAt(),
  },
  (t) => [check("permissions_id_format", sql`${t.id} ~ '^[a-z][a-z0-9_]*::[a-z][a-z0-9_]*$'`)],
);

/** A named set of role → permissions (a plan such as Free, Paid, Enterprise). */
export const roleMappings = pgTable(
  "role_mappings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** The plan every new org gets (exactly one; part of the catalogue every install has). */
    isDefault: boolean("is_default").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("role_mappings_name_key").on(t.name),
    uniqueIndex("role_mappings_one_default").on(t.isDefault).where(sql`${t.isDefault}`),
  ],
);

export const roleMappingPermissions = pgTable(
  "role_mapping_permissions",
  {
    mappingId: uuid("mapping_id")
      .notNull()
      .references(() => roleMappings.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
    permissionId: text("permission_id")
      .notNull()
      .references(() => permissions.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.mappingId, t.roleId, t.permissionId] }),
    index("role_mapping_permissions_role_idx").on(t.roleId, t.mappingId),
  ],
);

/** A tenant. `roleMappingId` is the org's subscription: every org is on exactly one mapping. */
export const orgs = pgTable(
  "orgs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    roleMappingId: uuid("role_mapping_id")
      .notNull()
      .references(() => roleMappings.id),
    requireMfa: boolean("require_mfa").notNull().default(false),
    /** Members must use a phishing-resistant factor (a passkey); implies requireMfa. */
    requirePasskey: boolean("require_passkey").notNull().default(false),
    /** Verified email domains whose users may join from the sign-in flow. */
    autoJoinDomains: text("auto_join_domains").array().notNull().default(sql`'{}'::text[]`),
    restrictToDomains: boolean("restrict_to_domains").notNull().default(false),
    /** Audit retention in days; legal hold suspends retention. */
    auditRetentionDays: integer("audit_retention_days").notNull().default(365),
    legalHold: boolean("legal_hold").notNull().default(false),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("orgs_slug_key").on(t.slug),
    index("orgs_role_mapping_idx").on(t.roleMappingId),
    check("orgs_slug_format", sql`${t.slug} ~ '^[a-z0-9]([a-z0-9-]{0,46}[a-z0-9])?$'`),
  ],
);

export const memberships = pgTable(
  "memberships",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

/**
 * One row per sign-in. The session token carries a random id; only its SHA-256 is stored.
 * Checked on every request, so revocation takes effect at once.
 */
export const sessions = pgTable(
  "sessions",
  {
    idHash: text("id_hash").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    lastSeenAt: tz("last_seen_at").notNull().defaultNow(),
    expiresAt: tz("expires_at").notNull(),
    revokedAt: tz("revoked_at"),
    revokedReason: text("revoked_reason"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);

export const MAIL_STATUSES = ["pending", "sent", "failed"] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/** Outgoing mail. Delivered over SMTP when configured; listed in the dev mailbox otherwise. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "set null" }),
    to: text("to").notNull(),
    subject: text("subject").notNull(),
    text: text("text").notNull(),
    html: text("html"),
    template: text("template").notNull(),
    status: text("status").$type<MailStatus>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: createdAt(),
    sentAt: tz("sent_at"),
  },
  (t) => [
    index("mail_outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("mail_outbox_to_idx").on(t.to, t.createdAt),
  ],
);

/** Fixed-window counters shared by every app node. */
export const rateLimitBuckets = pgTable("rate_limit_buckets", {
  key: text("key").primaryKey(),
  hits: integer("hits").notNull(),
  resetAt: tz("reset_at").notNull(),
});

export const AUDIT_ACTOR_TYPES = ["user", "agent", "api_key", "system", "support"] as const;
export type AuditActorType = (typeof AUDIT_ACTOR_TYPES)[number];
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Append-only, hash-chained per org (org_id null is the platform chain) through audit_chain_links.
 * Partitioned by month on occurred_at: see the hand-written part of the first migration. A trigger
 * refuses UPDATE/DELETE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: uuid("id").notNull(),
    occurredAt: tz("occurred_at").notNull(),
    orgId: uuid("org_id"),
    actorType: text("actor_type").$type<AuditActorType>().notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name"),
    onBehalfOfUserId: uuid("on_behalf_of_user_id"),
    onBehalfOfName: text("on_behalf_of_name"),
    clientId: text("client_id"),
    grantId: text("grant_id"),
    action: text("action").notNull(),
    targetType: text("target_type"),
    targetId: text("target_id"),
    targetName: text("target_name"),
    outcome: text("outcome").$type<AuditOutcome>().notNull(),
    ip: text("ip"),
    userAgent: text("user_agent"),
    requestId: text("request_id"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [
    primaryKey({ columns: [t.occurredAt, t.id] }),
    index("audit_events_org_time_idx").on(t.orgId, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_time_idx").on(t.occurredAt.desc(), t.id.desc()),
    // Explorer filters: each one, within an org, is an index scan already in (time, id) order.
    index("audit_events_org_actor_time_idx").on(t.orgId, t.actorId, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_org_client_time_idx").on(t.orgId, t.clientId, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_org_obo_time_idx").on(t.orgId, t.onBehalfOfUserId, t.occurredAt.desc(), t.id.desc()),
    // The documented combination "agent X on behalf of user Y".
    index("audit_events_org_client_obo_time_idx").on(t.orgId, t.clientId, t.onBehalfOfUserId, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_org_action_time_idx").on(t.orgId, t.action, t.occurredAt.desc(), t.id.desc()),
    // Action namespaces (`member.*`): the first dotted segment.
    index("audit_events_org_action_ns_time_idx").on(t.orgId, sql`split_part(${t.action}, '.', 1)`, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_org_target_time_idx").on(t.orgId, t.targetId, t.occurredAt.desc(), t.id.desc()),
    // Failures and denials are rare and interesting; successes are most rows and use org_time.
    index("audit_events_org_outcome_time_idx")
      .on(t.orgId, t.outcome, t.occurredAt.desc(), t.id.desc())
      .where(sql`${t.outcome} <> 'success'`),
    // Support staff across orgs: everything a user did, or had done on their behalf, anywhere.
    index("audit_events_actor_time_idx").on(t.actorId, t.occurredAt.desc(), t.id.desc()),
    index("audit_events_obo_time_idx").on(t.onBehalfOfUserId, t.occurredAt.desc(), t.id.desc()),
    check("audit_events_actor_type_valid", sql`${t.actorType} in ('user', 'agent', 'api_key', 'system', 'support')`),
    check("audit_events_outcome_valid", sql`${t.outcome} in ('success', 'failure', 'denied')`),
    check("audit_events_action_format", sql`${t.action} ~ '^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$'`),
  ],
);

/**
 * The head of each org's chain: the last linked event. Only the sequencer moves it, one runner per
 * chain at a time (lib/audit/sequencer.ts); writers never touch it.
 */
export const auditChainHeads = pgTable("audit_chain_heads", {
  chainKey: text("chain_key").primaryKey(),
  lastSeq: bigint("last_seq", { mode: "number" }).notNull().default(0),
  lastHash: text("last_hash").notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

/**
 * The hash chain: event `event_id` is number `seq` of chain `chain_key` (an org id or `platform`),
 * linked to the previous one by `prev_hash`. Written by the sequencer only; append-only (trigger).
 */
export const auditChainLinks = pgTable(
  "audit_chain_links",
  {
    chainKey: text("chain_key").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    eventId: uuid("event_id").notNull(),
    /** The event's partition key, so the join to audit_events is a primary-key lookup. */
    eventOccurredAt: tz("event_occurred_at").notNull(),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
    linkedAt: tz("linked_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.chainKey, t.seq] }), unique("audit_chain_links_event_id_unique").on(t.eventId)],
);

/**
 * Events written but not linked yet: inserted with the event, in its transaction, and deleted by
 * the sequencer in the transaction that links it. Never updated (trigger).
 */
export const auditUnchained = pgTable(
  "audit_unchained",
  {
    eventId: uuid("event_id").primaryKey(),
    chainKey: text("chain_key").notNull(),
    occurredAt: tz("occurred_at").notNull(),
    queuedAt: tz("queued_at").notNull().defaultNow(),
  },
  (t) => [index("audit_unchained_chain_order_idx").on(t.chainKey, t.occurredAt, t.eventId)],
);

/**
 * Where a chain starts after retention dropped its oldest partitions: the first kept sequence
 * number and the hash it links to. Verification starts from here instead of the genesis hash.
 */
export const auditChainAnchors = pgTable("audit_chain_anchors", {
  chainKey: text("chain_key").primaryKey(),
  firstSeq: bigint("first_seq", { mode: "number" }).notNull(),
  prevHash: text("prev_hash").notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

export const AUDIT_CHECKPOINT_KINDS = ["head", "retention"] as const;
export type AuditCheckpointKind = (typeof AUDIT_CHECKPOINT_KINDS)[number];

/**
 * Signed checkpoints of a chain's head, or of where retention cut it; each chain's checkpoints form
 * a chain of their own (`n`, and `prev` inside `line`). Append-only; `line` is what the sinks get.
 */
export const auditCheckpoints = pgTable(
  "audit_checkpoints",
  {
    chainKey: text("chain_key").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    kind: text("kind").$type<AuditCheckpointKind>().notNull(),
    seq: bigint("seq", { mode: "number" }).notNull(),
    hash: text("hash").notNull(),
    /** SHA-256 of the signed payload: what the next checkpoint's `prev` names. */
    id: text("id").notNull(),
    signedAt: tz("signed_at").notNull(),
    line: text("line").notNull(),
  },
  (t) => [primaryKey({ columns: [t.chainKey, t.n] }), check("audit_checkpoints_kind_valid", sql`${t.kind} in ('head', 'retention')`)],
);

/** Checkpoints still to deliver to a sink outside the database; deleted once delivered. */
export const auditCheckpointDeliveries = pgTable(
  "audit_checkpoint_deliveries",
  {
    chainKey: text("chain_key").notNull(),
    n: bigint("n", { mode: "number" }).notNull(),
    /** `dir` or `url`. */
    sink: text("sink").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    lastError: text("last_error"),
  },
  (t) => [
    primaryKey({ columns: [t.chainKey, t.n, t.sink] }),
    foreignKey({ name: "audit_checkpoint_deliveries_checkpoint_fk", columns: [t.chainKey, t.n], foreignColumns: [auditCheckpoints.chainKey, auditCheckpoints.n] }),
    index("audit_checkpoint_deliveries_due_idx").on(t.sink, t.nextAttemptAt),
  ],
);

// ─── Sign-in kit ────────────────────────────────────────────────────────────────────────────────

/**
 * A pending sign-in, referenced by an httpOnly cookie holding a random token (only its hash is
 * stored). It records the facts the login state machine decides from; it is consumed when the
 * session is created.
 */
export const loginFlows = pgTable(
  "login_flows",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** The address the flow is about (for a sign-up of a taken address, the flow has no user). */
    email: text("email"),
    /** Where to go after LOGGED_IN: a same-site path, validated on write. */
    returnTo: text("return_to").notNull().default("/"),
    method: text("method"),
    passwordVerifiedAt: tz("password_verified_at"),
    mfaVerifiedAt: tz("mfa_verified_at"),
    /** A passkey with user verification was used in this sign-in (first or second factor). */
    passkeyVerifiedAt: tz("passkey_verified_at"),
    failedMfaAttempts: integer("failed_mfa_attempts").notNull().default(0),
    /** Home-realm discovery routed this sign-in to an org's identity provider (lib/sso). */
    ssoConnectionId: uuid("sso_connection_id").references((): AnyPgColumn => ssoConnections.id, { onDelete: "set null" }),
    completedAt: tz("completed_at"),
    ip: text("ip"),
    userAgent: text("user_agent"),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
  },
  (t) => [uniqueIndex("login_flows_token_key").on(t.tokenHash), index("login_flows_expires_idx").on(t.expiresAt)],
);

export const EMAIL_TOKEN_PURPOSES = ["email_confirm", "password_reset", "magic_link"] as const;
export type EmailTokenPurpose = (typeof EMAIL_TOKEN_PURPOSES)[number];

/** Single-use tokens sent by mail. Stored hashed; redeemed with `used_at is null` in the where. */
export const emailTokens = pgTable(
  "email_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull(),
    purpose: text("purpose").$type<EmailTokenPurpose>().notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    /** The login flow that asked for it, if any (confirming continues that sign-in). */
    loginFlowId: uuid("login_flow_id"),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    usedAt: tz("used_at"),
  },
  (t) => [
    uniqueIndex("email_tokens_token_key").on(t.tokenHash),
    index("email_tokens_user_idx").on(t.userId, t.purpose),
    index("email_tokens_expires_idx").on(t.expiresAt),
  ],
);

/** A user's TOTP authenticator. The secret is encrypted with ENCRYPTION_KEY. */
export const mfaTotp = pgTable("mfa_totp", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  secretEncrypted: text("secret_encrypted").notNull(),
  /** Null while enrolling (secret shown, not yet confirmed with a code). */
  enabledAt: tz("enabled_at"),
  /** The last accepted 30-second step: a step is never accepted twice. */
  lastUsedStep: bigint("last_used_step", { mode: "number" }).notNull().default(0),
  createdAt: createdAt(),
});

/** A user's WebAuthn credentials (passkeys). The public key is not a secret; the counter only goes up. */
export const passkeys = pgTable(
  "passkeys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** base64url credential id. */
    credentialId: text("credential_id").notNull(),
    /** base64url COSE public key. */
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    transports: jsonb("transports").$type<string[]>().notNull().default([]),
    backupEligible: boolean("backup_eligible").notNull().default(false),
    backedUp: boolean("backed_up").notNull().default(false),
    name: text("name").notNull(),
    /** Set when the authenticator's counter went backwards (a possible clone); the passkey is refused from then on. */
    flaggedAt: tz("flagged_at"),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
  },
  (t) => [uniqueIndex("passkeys_credential_id_key").on(t.credentialId), index("passkeys_user_idx").on(t.userId)],
);

export const WEBAUTHN_PURPOSES = ["sign_in", "second_factor", "enroll", "register", "reauth"] as const;
export type WebAuthnPurpose = (typeof WEBAUTHN_PURPOSES)[number];

/** Single-use WebAuthn challenges, bound to a pending sign-in or to a signed-in user; consumed by a DELETE … RETURNING. */
export const webauthnChallenges = pgTable(
  "webauthn_challenges",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    challenge: text("challenge").notNull(),
    purpose: text("purpose").$type<WebAuthnPurpose>().notNull(),
    loginFlowId: uuid("login_flow_id").references(() => loginFlows.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
  },
  (t) => [uniqueIndex("webauthn_challenges_challenge_key").on(t.challenge), index("webauthn_challenges_expires_idx").on(t.expiresAt)],
);

export const mfaBackupCodes = pgTable(
  "mfa_backup_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: tz("used_at"),
    createdAt: createdAt(),
  },
  (t) => [index("mfa_backup_codes_user_idx").on(t.userId), uniqueIndex("mfa_backup_codes_hash_key").on(t.userId, t.codeHash)],
);

/** Platform-defined profile properties a user must fill in (full name, job title, accepted terms …). */
export const userPropertyDefinitions = pgTable("user_property_definitions", {
  key: text("key").primaryKey(),
  label: text("label").notNull(),
  /** text | checkbox */
  type: text("type").notNull().default("text"),
  required: boolean("required").notNull().default(true),
  position: integer("position").notNull().default(0),
  createdAt: createdAt(),
});

/** Platform settings as key → JSON value (require MFA for everyone, allow org creation, DCR on …). */
export const platformSettings = pgTable("platform_settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").$type<unknown>().notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

/** An invitation to join an org with a role. The token is stored hashed. */
export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id),
    tokenHash: text("token_hash").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    acceptedAt: tz("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: tz("revoked_at"),
  },
  (t) => [
    uniqueIndex("invitations_token_key").on(t.tokenHash),
    index("invitations_org_idx").on(t.orgId, t.createdAt),
    index("invitations_email_idx").on(t.email),
  ],
);

// ─── Platform API keys ──────────────────────────────────────────────────────────────────────────

/** Keys for the product's own backends. Shown once; only the SHA-256 is stored. */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    /** First characters of the key, to recognize it in lists. */
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [uniqueIndex("api_keys_hash_key").on(t.keyHash)],
);

// ─── OAuth 2.1 authorization server (MCP) ───────────────────────────────────────────────────────

/**
 * An OAuth client. `orgId` null means registered by platform staff for every org. Confidential
 * clients store a SHA-256 of a high-entropy secret.
 */
export const oauthClients = pgTable(
  "oauth_clients",
  {
    /** The public client_id (random, or an https URL for client ID metadata documents). */
    id: text("id").primaryKey(),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** public | confidential */
    type: text("type").notNull(),
    secretHash: text("secret_hash"),
    redirectUris: text("redirect_uris").array().notNull(),
    /** Named redirect presets the client was registered with (cursor, claude …). */
    presets: text("presets").array().notNull().default(sql`'{}'::text[]`),
    allowedScopes: text("allowed_scopes").array().notNull(),
    accessTokenTtlSeconds: integer("access_token_ttl_seconds").notNull().default(3600),
    /** manual | dynamic | metadata_document */
    registration: text("registration").notNull().default("manual"),
    verified: boolean("verified").notNull().default(true),
    disabledAt: tz("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    lastUsedAt: tz("last_used_at"),
    /** For metadata-document clients: when the document was last fetched. */
    fetchedAt: tz("fetched_at"),
  },
  (t) => [index("oauth_clients_org_idx").on(t.orgId), index("oauth_clients_registration_idx").on(t.registration, t.createdAt)],
);

/** A user's consent for a client to act in one org with some scopes. Revoking it kills every token. */
export const oauthGrants = pgTable(
  "oauth_grants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull(),
    resource: text("resource").notNull(),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
    revokedAt: tz("revoked_at"),
    revokedReason: text("revoked_reason"),
  },
  (t) => [
    index("oauth_grants_org_idx").on(t.orgId, t.createdAt),
    index("oauth_grants_user_idx").on(t.userId),
    index("oauth_grants_client_idx").on(t.clientId),
  ],
);

/** Authorization codes: hashed, single-use, short-lived. */
export const oauthCodes = pgTable("oauth_codes", {
  codeHash: text("code_hash").primaryKey(),
  grantId: uuid("grant_id")
    .notNull()
    .references(() => oauthGrants.id, { onDelete: "cascade" }),
  clientId: text("client_id").notNull(),
  redirectUri: text("redirect_uri").notNull(),
  codeChallenge: text("code_challenge").notNull(),
  scopes: text("scopes").array().notNull(),
  resource: text("resource").notNull(),
  createdAt: createdAt(),
  expiresAt: tz("expires_at").notNull(),
  usedAt: tz("used_at"),
});

/** Refresh tokens, rotated on every use; presenting a used one revokes the grant. */
export const oauthRefreshTokens = pgTable(
  "oauth_refresh_tokens",
  {
    tokenHash: text("token_hash").primaryKey(),
    grantId: uuid("grant_id")
      .notNull()
      .references(() => oauthGrants.id, { onDelete: "cascade" }),
    clientId: text("client_id").notNull(),
    scopes: text("scopes").array().notNull(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    usedAt: tz("used_at"),
    revokedAt: tz("revoked_at"),
  },
  (t) => [index("oauth_refresh_tokens_grant_idx").on(t.grantId)],
);

/** Signing keys for access tokens. Private keys are encrypted with ENCRYPTION_KEY. */
export const oauthSigningKeys = pgTable("oauth_signing_keys", {
  kid: text("kid").primaryKey(),
  alg: text("alg").notNull(),
  publicJwk: jsonb("public_jwk").$type<Record<string, unknown>>().notNull(),
  privateJwkEncrypted: text("private_jwk_encrypted").notNull(),
  createdAt: createdAt(),
  activatedAt: tz("activated_at"),
  retiredAt: tz("retired_at"),
});

/** A client blocked for one org by its admins. */
export const oauthClientBlocks = pgTable(
  "oauth_client_blocks",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    clientId: text("client_id")
      .notNull()
      .references(() => oauthClients.id, { onDelete: "cascade" }),
    blockedBy: uuid("blocked_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.clientId] })],
);

/**
 * Refused requests counted per org, actor, route and minute: the first refusal of a minute writes
 * one `access.denied` / `rate_limit.hit` audit event, later ones only raise `count` here.
 */
export const accessRefusals = pgTable(
  "access_refusals",
  {
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    actorKey: text("actor_key").notNull(),
    route: text("route").notNull(),
    minute: tz("minute").notNull(),
    action: text("action").notNull(),
    count: integer("count").notNull().default(1),
    lastAt: tz("last_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "access_refusals_pk", columns: [t.orgId, t.actorKey, t.route, t.minute] }),
    index("access_refusals_minute_idx").on(t.minute),
  ],
);

// ---- Enterprise SSO (lib/sso) ----

export const SSO_KINDS = ["oidc", "saml"] as const;
export type SsoKind = (typeof SSO_KINDS)[number];

/** An org's identity provider. The OIDC client secret is sealed with ENCRYPTION_KEY. */
export const ssoConnections = pgTable(
  "sso_connections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    kind: text("kind").$type<SsoKind>().notNull(),
    name: text("name").notNull(),
    issuer: text("issuer"),
    clientId: text("client_id"),
    clientSecretEnc: text("client_secret_enc"),
    scopes: text("scopes").notNull().default("openid email profile"),
    /** The role a just-in-time member gets when no group rule matches. */
    defaultRoleId: uuid("default_role_id")
      .notNull()
      .references(() => roles.id),
    /** The claim (OIDC) or attribute (SAML) that carries the user's groups or role. */
    groupsClaim: text("groups_claim").notNull().default("groups"),
    /** The IdP enforces MFA itself: its amr/acr satisfies the org's "require MFA". */
    idpEnforcesMfa: boolean("idp_enforces_mfa").notNull().default(false),
    /** SAML: the IdP's entity id (the Issuer its responses must carry), SSO URL (HTTP-Redirect), signing certificates (PEM, one or more). */
    samlIdpEntityId: text("saml_idp_entity_id"),
    samlSsoUrl: text("saml_sso_url"),
    samlIdpCerts: text("saml_idp_certs"),
    /** SAML: where the metadata was fetched from, when given by URL. */
    samlMetadataUrl: text("saml_metadata_url"),
    enabled: boolean("enabled").notNull().default(false),
    /** Set by a successful "test connection"; a connection is enabled only after one. */
    testedAt: tz("tested_at"),
    createdAt: createdAt(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [
    index("sso_connections_org_idx").on(t.orgId),
    check("sso_connections_kind_valid", sql`${t.kind} in ('oidc', 'saml')`),
    check(
      "sso_connections_oidc_complete",
      sql`${t.kind} <> 'oidc' or (${t.issuer} is not null and ${t.clientId} is not null and ${t.clientSecretEnc} is not null)`,
    ),
    check(
      "sso_connections_saml_complete",
      sql`${t.kind} <> 'saml' or (${t.samlIdpEntityId} is not null and ${t.samlSsoUrl} is not null and ${t.samlIdpCerts} is not null)`,
    ),
    check("sso_connections_enabled_after_test", sql`not ${t.enabled} or ${t.testedAt} is not null`),
  ],
);

/** IdP group (or role attribute value) → Gatehouse role, evaluated at every SSO sign-in. */
export const ssoRoleRules = pgTable(
  "sso_role_rules",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    groupValue: text("group_value").notNull(),
    roleId: uuid("role_id")
      .notNull()
      .references(() => roles.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ name: "sso_role_rules_pk", columns: [t.connectionId, t.groupValue] })],
);

/** An email domain an org claims. Unique across orgs; routes sign-ins once verified. */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id")
      .notNull()
      .references(() => orgs.id, { onDelete: "cascade" }),
    domain: text("domain").notNull(),
    /** The value of the DNS TXT record that proves control of the domain. */
    verificationToken: text("verification_token").notNull(),
    claimedBy: uuid("claimed_by").references(() => users.id, { onDelete: "set null" }),
    verifiedAt: tz("verified_at"),
    /** "dns" or "staff:<user id>". */
    verifiedBy: text("verified_by"),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("sso_domains_domain_key").on(t.domain),
    index("sso_domains_org_idx").on(t.orgId),
    check("sso_domains_domain_format", sql`${t.domain} ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$'`),
  ],
);

/** Per-org SSO policy: require SSO for claimed domains, except one named break-glass account. */
export const ssoOrgSettings = pgTable("sso_org_settings", {
  orgId: uuid("org_id")
    .primaryKey()
    .references(() => orgs.id, { onDelete: "cascade" }),
  requireSso: boolean("require_sso").notNull().default(false),
  breakGlassUserId: uuid("break_glass_user_id").references(() => users.id, { onDelete: "set null" }),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

export const SSO_REQUEST_PURPOSES = ["login", "test"] as const;

/** One authorization request sent to an IdP: state (hashed), sealed nonce and PKCE verifier. */
export const ssoRequests = pgTable(
  "sso_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    stateHash: text("state_hash").notNull(),
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull(),
    purpose: text("purpose").$type<(typeof SSO_REQUEST_PURPOSES)[number]>().notNull(),
    loginFlowId: uuid("login_flow_id").references(() => loginFlows.id, { onDelete: "cascade" }),
    startedBy: uuid("started_by"),
    secretsEnc: text("secrets_enc").notNull(),
    /** For a test: the claims received (shown to the admin). */
    result: jsonb("result").$type<Record<string, unknown>>(),
    createdAt: createdAt(),
    expiresAt: tz("expires_at").notNull(),
    consumedAt: tz("consumed_at"),
    /** SAML: hash of the one-time token that carries a validated answer from the ACS POST to the browser's GET. */
    handoffHash: text("handoff_hash"),
  },
  (t) => [
    uniqueIndex("sso_requests_state_key").on(t.stateHash),
    uniqueIndex("sso_requests_handoff_key").on(t.handoffHash),
    index("sso_requests_expires_idx").on(t.expiresAt),
    check("sso_requests_purpose_valid", sql`${t.purpose} in ('login', 'test')`),
  ],
);
/** SAML assertion ids already accepted per connection (replay cache; one atomic insert per assertion). */
export const ssoSamlAssertions = pgTable(
  "sso_saml_assertions",
  {
    connectionId: uuid("connection_id")
      .notNull()
      .references(() => ssoConnections.id, { onDelete: "cascade" }),
    assertionId: text("assertion_id").notNull(),
    expiresAt: tz("expires_at").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: "sso_saml_assertions_pk", columns: [t.connectionId, t.assertionId] }), index("sso_saml_assertions_expires_idx").on(t.expiresAt)],
);

// ─── Personal and org API keys (issue 18) ───────────────────────────────────────────────────────

export const USER_API_KEY_OWNERS = ["user", "org"] as const;
export type UserApiKeyOwner = (typeof USER_API_KEY_OWNERS)[number];

/**
 * Keys end users (personal) and orgs (org keys) give to the product's API. Shown once; only the
 * SHA-256 is stored. An org key acts with `roleId` (its creator's role at creation) under the org's
 * current plan, narrowed to `permissions` when set.
 */
export const userApiKeys = pgTable(
  "user_api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    ownerType: text("owner_type").$type<UserApiKeyOwner>().notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "cascade" }),
    roleId: uuid("role_id").references(() => roles.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    mode: text("mode").$type<"live" | "test">().notNull().default("live"),
    permissions: text("permissions").array(),
    rateLimitPerMinute: integer("rate_limit_per_minute").notNull(),
    expiresAt: tz("expires_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    lastUsedAt: tz("last_used_at"),
    lastUsedIp: text("last_used_ip"),
    useCount: bigint("use_count", { mode: "number" }).notNull().default(0),
    revokedAt: tz("revoked_at"),
  },
  (t) => [
    uniqueIndex("user_api_keys_hash_key").on(t.keyHash),
    index("user_api_keys_user_idx").on(t.userId, t.createdAt),
    index("user_api_keys_org_idx").on(t.orgId, t.createdAt),
    check(
      "user_api_keys_owner_check",
      sql`(${t.ownerType} = 'user' AND ${t.userId} IS NOT NULL) OR (${t.ownerType} = 'org' AND ${t.orgId} IS NOT NULL AND ${t.roleId} IS NOT NULL)`,
    ),
    check("user_api_keys_mode_check", sql`${t.mode} IN ('live', 'test')`),
    check("user_api_keys_limit_check", sql`${t.rateLimitPerMinute} > 0`),
  ],
);

// ─── Webhooks (issue 18) ────────────────────────────────────────────────────────────────────────

/** An endpoint staff registered; the whsec_ secret is encrypted with ENCRYPTION_KEY. */
export const webhookEndpoints = pgTable("webhook_endpoints", {
  id: uuid("id").primaryKey().defaultRandom(),
  url: text("url").notNull(),
  description: text("description").notNull().default(""),
  eventTypes: text("event_types").array().notNull(),
  secretSealed: text("secret_sealed").notNull(),
  enabled: boolean("enabled").notNull().default(true),
  disabledAt: tz("disabled_at"),
  disabledReason: text("disabled_reason"),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: createdAt(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
});

/** The outbox: one row per event, written in the transaction of the change it describes. */
export const webhookEvents = pgTable("webhook_events", {
  /** The Standard Webhooks message id (`msg_…`). */
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  /** Deliveries of one object (e.g. `user:<id>`) to one endpoint go out in order. */
  objectKey: text("object_key").notNull(),
  payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

export const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

/** One event to one endpoint; `id` orders deliveries of an object. */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    endpointId: uuid("endpoint_id")
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: "cascade" }),
    eventId: text("event_id")
      .notNull()
      .references(() => webhookEvents.id, { onDelete: "cascade" }),
    objectKey: text("object_key").notNull(),
    status: text("status").$type<(typeof WEBHOOK_DELIVERY_STATUSES)[number]>().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at").notNull().defaultNow(),
    leaseUntil: tz("lease_until"),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    createdAt: createdAt(),
    deliveredAt: tz("delivered_at"),
  },
  (t) => [
    index("webhook_deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_object_idx").on(t.endpointId, t.objectKey, t.id).where(sql`${t.status} = 'pending'`),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.id),
    check("webhook_deliveries_status_check", sql`${t.status} IN ('pending', 'succeeded', 'failed')`),
  ],
);

/** Every attempt of a delivery: what the console shows. */
export const webhookAttempts = pgTable(
  "webhook_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: bigint("delivery_id", { mode: "number" })
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attemptedAt: tz("attempted_at").notNull().defaultNow(),
    statusCode: integer("status_code"),
    error: text("error"),
    latencyMs: integer("latency_ms").notNull(),
  },
  (t) => [index("webhook_attempts_delivery_idx").on(t.deliveryId, t.id)],
);

/** What the demo webhook delivered to /dev/webhooks (development only). */
export const devWebhookInbox = pgTable("dev_webhook_inbox", {
  id: bigserial("id", { mode: "number" }).primaryKey(),
  receivedAt: tz("received_at").notNull().defaultNow(),
  headers: jsonb("headers").$type<Record<string, string>>().notNull(),
  body: text("body").notNull(),
  verified: boolean("verified").notNull(),
});
