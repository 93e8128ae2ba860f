"use client";

import { Button } from "@/components/ui/button";
import { useRequirePasswordChange } from "@/lib/queries/members/use-require-password-change";

/** "Require new password": the user must set a new password at their next sign-in. */
export function RequirePasswordChangeButton({ endpoint, email }: { endpoint: string; email: string }) {
  const mutation = useRequirePasswordChange(endpoint, email);
  return (
    <Button
      variant="ghost"
      size="sm"
      disabled={mutation.isPending}
      aria-label={`Require a new password from ${email}`}
      onClick={() => {
        if (window.confirm(`${email} will have to set a new password at their next sign-in. Continue?`)) mutation.mutate();
      }}
    >
      Require new password
    </Button>
  );
}
