import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { resendWebhookDelivery } from "@/lib/webhooks/endpoints";

// POST /api/admin/webhooks/deliveries/[id]/resend — send a delivery's message again (platform admin; audited)
export const POST = withPlatformStaff<{ id: string }>(async ({ params, user, context }) =>
  json({ delivery: await resendWebhookDelivery(user, validate(z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER), params.id), context) }, { status: 201 }),
);
