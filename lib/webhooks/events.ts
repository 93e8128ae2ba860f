/** The events a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deleted",
  "user.signed_in",
  "org.created",
  "org.updated",
  "org.member_added",
  "org.member_removed",
  "org.member_role_changed",
  "org.plan_changed",
  "api_key.created",
  "api_key.revoked",
  "oauth_grant.created",
  "oauth_grant.revoked",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
