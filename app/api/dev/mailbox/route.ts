import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/http/route";
import { listMailbox } from "@/lib/mail/outbox";

// GET /api/dev/mailbox?to= — mail the app "sent", for development and tests; 404 in production
export const GET = route(async ({ req }) => {
  if (!getEnv().DEV_MAILBOX) throw notFound();
  const to = new URL(req.url).searchParams.get("to") ?? undefined;
  return json({ messages: await listMailbox({ to }) });
});
