"use server";

import { orgAction } from "@/lib/auth/action";
import { orgSettingsSchema, updateOrgSettings } from "@/lib/orgs/settings";

/** Rename the org (needs org::manage in the org the slug names, checked against the session). */
export const updateOrgSettingsAction = orgAction(
  { input: orgSettingsSchema, permission: "org::manage" },
  ({ input, user, org, context }) => updateOrgSettings(user, org, input, context),
);
