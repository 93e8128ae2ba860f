"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { ConfirmAction } from "@/components/console/confirm-action";

type Result = { ok: true; data: { revoked: number } } | { ok: false; error: { message: string } };

/** Ends every session but this one. */
export function SignOutOthersButton({ action, disabled }: { action: (input: object) => Promise<Result>; disabled?: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <ConfirmAction
      label={pending ? "Signing out…" : "Sign out other sessions"}
      variant="outline"
      size="default"
      disabled={disabled || pending}
      title="Sign out every other session?"
      description="Every other browser and device signed in as you is signed out on its next request. This one stays signed in."
      confirmLabel="Sign out other sessions"
      onConfirm={() =>
        startTransition(async () => {
          const result = await action({});
          if (result.ok) {
            toast.success(result.data.revoked === 1 ? "Signed out 1 other session" : `Signed out ${result.data.revoked} other sessions`);
            router.refresh();
          } else toast.error(result.error.message);
        })
      }
    />
  );
}
