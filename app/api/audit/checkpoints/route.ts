import { checkpointOnDemand } from "@/lib/audit/checkpoint-on-demand";
import { json, withPlatformStaff } from "@/lib/http/route";

// POST /api/audit/checkpoints — platform admin: sign a checkpoint of every moved chain head now (recorded)
export const POST = withPlatformStaff(async ({ user, context }) =>
  json(await checkpointOnDemand({ actor: { type: "user", id: user.id, name: user.email }, context })),
);
