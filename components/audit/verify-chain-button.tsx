"use client";

import { ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { AuditApi } from "@/lib/queries/audit/keys";
import { useVerifyChain } from "@/lib/queries/audit/use-verify-chain";

/** Verify the org's hash chain and show the result, with the first broken link if any. */
export function VerifyChainButton({ api }: { api: AuditApi }) {
  const verify = useVerifyChain(api);
  const r = verify.data;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button size="sm" variant="outline" onClick={() => verify.mutate()} disabled={verify.isPending}>
        <ShieldCheck /> {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      {r && (
        <span data-testid="verify-result" className={r.ok ? "text-sm text-success" : "text-sm text-destructive"}>
          {r.ok
            ? `Chain intact (${r.checked.toLocaleString()} events).`
            : `Broken at event #${r.firstBreak?.seq}: ${r.firstBreak?.message} (${r.checked.toLocaleString()} verified before it).`}
        </span>
      )}
    </div>
  );
}
