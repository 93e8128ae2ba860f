"use server";

import { z } from "zod";
import { userAction } from "@/lib/auth/action";
import { revokeOwnGrant } from "@/lib/oauth/connected-apps";

/** Revoke one of the signed-in user's own grants. */
export const revokeOwnGrantAction = userAction(z.object({ grantId: z.uuid() }), ({ input, user, context }) =>
  revokeOwnGrant(input.grantId, { user, context }),
);
