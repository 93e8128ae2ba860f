// Plain function (no server-only import): the proxy reads it as well as lib/env.ts.

/** Whether the development mailbox (/dev/mailbox, /api/dev/mailbox) exists: never in production. */
export function devMailboxEnabled(env: Record<string, string | undefined> = process.env): boolean {
  if (env.APP_ENV === "production") return false;
  return !["false", "0", "no"].includes((env.DEV_MAILBOX ?? "").trim());
}
