"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

type Result = { ok: true; data: { revoked: number } } | { ok: false; error: { message: string } };

/** Ends every session but this one. */
export function SignOutOthersButton({ action, disabled }: { action: (input: object) => Promise<Result>; disabled?: boolean }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <Button
      variant="outline"
      disabled={disabled || pending}
      onClick={() =>
        startTransition(async () => {
          const result = await action({});
          if (result.ok) {
            toast.success(result.data.revoked === 1 ? "Signed out 1 other session" : `Signed out ${result.data.revoked} other sessions`);
            router.refresh();
          } else toast.error(result.error.message);
        })
      }
    >
      {pending ? "Signing out…" : "Sign out other sessions"}
    </Button>
  );
}
