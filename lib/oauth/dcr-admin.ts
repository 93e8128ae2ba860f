import "server-only";
import { recordAudit } from "@/lib/audit/record";
import { getDb } from "@/lib/db";
import type { RequestContext } from "@/lib/http/request-context";
import { isDynamicRegistrationEnabled, setDynamicRegistrationEnabled } from "./settings";

/** Platform admins switch dynamic client registration on or off; audited on the platform chain. */
export async function switchDynamicRegistration(
  enabled: boolean,
  actor: { user: { id: string; email: string }; context: RequestContext },
) {
  await getDb().transaction(async (tx) => {
    const before = await isDynamicRegistrationEnabled(tx);
    await setDynamicRegistrationEnabled(tx, enabled);
    await recordAudit(tx, {
      orgId: null,
      actor: { type: "user", id: actor.user.id, name: actor.user.email },
      // Same action and shape as the platform settings API, so the audit log reads one way.
      action: "platform.settings_changed",
      target: { type: "platform", id: "settings", name: "Platform settings" },
      context: actor.context,
      metadata: {
        before: { dynamic_client_registration: before },
        after: { dynamic_client_registration: enabled },
      },
    });
  });
}
