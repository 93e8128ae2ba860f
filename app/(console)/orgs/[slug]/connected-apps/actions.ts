"use server";

import { z } from "zod";
import { orgAction } from "@/lib/auth/action";
import { revokeOrgGrants, setClientBlocked } from "@/lib/oauth/connected-apps";

const admin = { minRole: "admin" } as const;

/** Revoke one grant held by a member of this org. */
export const revokeOrgGrantAction = orgAction(
  { input: z.object({ grantId: z.uuid() }), ...admin },
  ({ input, user, org, context }) => revokeOrgGrants(org.id, { grantId: input.grantId }, { user, context }),
);

/** Revoke every grant of one member in this org. */
export const revokeOrgUserGrantsAction = orgAction(
  { input: z.object({ userId: z.uuid() }), ...admin },
  ({ input, user, org, context }) => revokeOrgGrants(org.id, { userId: input.userId }, { user, context }),
);

/** Revoke every grant of one client in this org. */
export const revokeOrgClientGrantsAction = orgAction(
  { input: z.object({ clientId: z.string().min(1).max(2048) }), ...admin },
  ({ input, user, org, context }) => revokeOrgGrants(org.id, { clientId: input.clientId }, { user, context }),
);

/** Block (revoking its grants here) or unblock a client for this org. */
export const setOrgClientBlockedAction = orgAction(
  { input: z.object({ clientId: z.string().min(1).max(2048), blocked: z.boolean() }), ...admin },
  ({ input, user, org, context }) =>
    setClientBlocked(org.id, input.clientId, input.blocked, { user, context }),
);
