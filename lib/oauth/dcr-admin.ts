import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { setDynamicRegistrationEnabled } from "./settings";

/** Platform admins switch dynamic client registration on or off; audited on the platform chain. */
export async function switchDynamicRegistration(enabled: boolean, actor: { user: { id: string; email: string }; context: RequestContext }) {
  await getDb().transaction(async (tx) => {
    await setDynamicRegistrationEnabled(tx, enabled);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      action: "platform_setting.updated",
      target: { type: "platform_setting", id: "dynamic_client_registration" },
      context: actor.context,
      metadata: { after: { enabled } },
    });
  });
}
