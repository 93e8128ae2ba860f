"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { toast } from "sonner";
import { Button } from "@/components/ui/button";

/** The platform switch for dynamic client registration. */
export function DcrSwitch({
  enabled,
  set,
}: {
  enabled: boolean;
  set: (input: {
    enabled: boolean;
  }) => Promise<{ ok: true; data: unknown } | { ok: false; error: { message: string } }>;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <span data-testid="dcr-state">Dynamic client registration is {enabled ? "on" : "off"}.</span>
      <Button
        size="sm"
        variant={enabled ? "destructive" : "default"}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await set({ enabled: !enabled });
            if (r.ok) {
              toast.success(enabled ? "Dynamic registration turned off" : "Dynamic registration turned on");
              router.refresh();
            } else toast.error(r.error.message);
          })
        }
      >
        {enabled ? "Turn off" : "Turn on"}
      </Button>
    </div>
  );
}
