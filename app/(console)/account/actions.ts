"use server";

import { z } from "zod";
import { userAction } from "@/lib/auth/action";
import { signOutEverywhere } from "@/lib/auth/sessions";

/** Sign out every other session of the signed-in user. */
export const signOutOtherSessionsAction = userAction(z.object({}).strict(), async ({ user, context }) => ({
  revoked: await signOutEverywhere(user, context, { exceptIdHash: user.sessionIdHash }),
}));
