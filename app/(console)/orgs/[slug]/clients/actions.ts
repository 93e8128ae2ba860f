"use server";

import { z } from "zod";
import { orgAction } from "@/lib/auth/action";
import { createClient, deleteClient, setClientDisabled, updateClient } from "@/lib/oauth/client-admin";
import { clientFormSchema } from "@/lib/oauth/client-schema";

const admin = { minRole: "admin" } as const;
const id = z.string().min(1).max(2048);

/** Register a client for this org (tenant admins). Returns the secret once. */
export const createOrgClientAction = orgAction(
  { input: clientFormSchema, ...admin },
  ({ input, user, org, context }) => createClient({ orgId: org.id }, input, { user, context }),
);

/** Edit one of this org's clients. */
export const updateOrgClientAction = orgAction(
  { input: z.object({ id, form: clientFormSchema }), ...admin },
  ({ input, user, org, context }) => updateClient({ orgId: org.id }, input.id, input.form, { user, context }),
);

/** Disable (revoking its grants) or enable one of this org's clients. */
export const setOrgClientDisabledAction = orgAction(
  { input: z.object({ id, disabled: z.boolean() }), ...admin },
  ({ input, user, org, context }) =>
    setClientDisabled({ orgId: org.id }, input.id, input.disabled, { user, context }),
);

/** Delete one of this org's clients. */
export const deleteOrgClientAction = orgAction(
  { input: z.object({ id }), ...admin },
  ({ input, user, org, context }) => deleteClient({ orgId: org.id }, input.id, { user, context }),
);
