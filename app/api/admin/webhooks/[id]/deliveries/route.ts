import { z } from "zod";
import { validate } from "@/lib/http/body";
import { json, withPlatformStaff } from "@/lib/http/route";
import { listWebhookDeliveries } from "@/lib/webhooks/endpoints";

// GET /api/admin/webhooks/[id]/deliveries — the latest deliveries with every attempt (platform admin)
export const GET = withPlatformStaff<{ id: string }>(async ({ params }) =>
  json({ deliveries: await listWebhookDeliveries(validate(z.uuid(), params.id)) }),
);
