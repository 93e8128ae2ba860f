"use server";

import { z } from "zod";
import { userAction } from "@/lib/auth/action";
import type { CurrentUser } from "@/lib/auth/current-user";
import { isPlatformStaff } from "@/lib/auth/guards";
import { forbidden } from "@/lib/errors";
import { createClient, deleteClient, setClientDisabled, updateClient } from "@/lib/oauth/client-admin";
import { clientFormSchema } from "@/lib/oauth/client-schema";
import { switchDynamicRegistration } from "@/lib/oauth/dcr-admin";

function requireAdmin(user: CurrentUser) {
  if (!isPlatformStaff(user, "admin")) throw forbidden("Platform admins only.");
}
const platform = { orgId: null } as const;
const id = z.string().min(1).max(2048);

/** Register a platform-wide client (usable in every org). */
export const createPlatformClientAction = userAction(clientFormSchema, async ({ input, user, context }) => {
  requireAdmin(user);
  return createClient(platform, input, { user, context });
});

/** Edit any client. */
export const updatePlatformClientAction = userAction(
  z.object({ id, form: clientFormSchema }),
  async ({ input, user, context }) => {
    requireAdmin(user);
    return updateClient(platform, input.id, input.form, { user, context });
  },
);

/** Disable or enable any client. */
export const setPlatformClientDisabledAction = userAction(
  z.object({ id, disabled: z.boolean() }),
  async ({ input, user, context }) => {
    requireAdmin(user);
    return setClientDisabled(platform, input.id, input.disabled, { user, context });
  },
);

/** Delete any client. */
export const deletePlatformClientAction = userAction(z.object({ id }), async ({ input, user, context }) => {
  requireAdmin(user);
  return deleteClient(platform, input.id, { user, context });
});

/** Switch dynamic client registration (RFC 7591) on or off. */
export const setDynamicRegistrationAction = userAction(
  z.object({ enabled: z.boolean() }),
  async ({ input, user, context }) => {
    requireAdmin(user);
    await switchDynamicRegistration(input.enabled, { user, context });
    return { enabled: input.enabled };
  },
);
