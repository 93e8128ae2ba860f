"use client";

import { useRequirePasswordChange } from "@/lib/queries/members/use-require-password-change";
import { ConfirmAction } from "@/components/console/confirm-action";

/** "Require new password": the user must set a new password at their next sign-in. */
export function RequirePasswordChangeButton({ endpoint, email }: { endpoint: string; email: string }) {
  const mutation = useRequirePasswordChange(endpoint, email);
  return (
    <ConfirmAction
      label="Require new password"
      triggerLabel={`Require new password from ${email}`}
      disabled={mutation.isPending}
      title={`Require a new password from ${email}?`}
      description={`${email} keeps their sessions, but at their next sign-in they must choose a new password before going on.`}
      confirmLabel="Require new password"
      onConfirm={() => mutation.mutate()}
    />
  );
}
