"use client";

import { ShieldCheck } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { AuditApi } from "@/lib/queries/audit/keys";
import { useVerifyChain } from "@/lib/queries/audit/use-verify-chain";

/** Verify the org's hash chain against its signed checkpoints and show every break found. */
export function VerifyChainButton({ api }: { api: AuditApi }) {
  const verify = useVerifyChain(api);
  const r = verify.data;
  const holds = r?.lastHolding ? `checkpoint #${r.lastHolding.n} (event ${r.lastHolding.seq}, ${r.lastHolding.at})` : "none";
  return (
    <div className="flex flex-wrap items-center gap-2">
      <Button size="sm" variant="outline" onClick={() => verify.mutate()} disabled={verify.isPending}>
        <ShieldCheck /> {verify.isPending ? "Verifying…" : "Verify chain"}
      </Button>
      {r && (
        <div data-testid="verify-result" className={r.ok ? "text-sm text-success" : "text-sm text-destructive"}>
          {r.ok ? (
            `Chain intact (${r.checked.toLocaleString()} events, ${r.checkpoints} signed checkpoints)` +
            (r.unchained ? `; ${r.unchained.toLocaleString()} newer event${r.unchained === 1 ? "" : "s"} not linked yet.` : ".")
          ) : (
            <>
              {`${r.breaks.length} break${r.breaks.length === 1 ? "" : "s"} in ${r.checked.toLocaleString()} events; last checkpoint that holds: ${holds}.`}
              <ul className="list-disc pl-5">
                {r.breaks.map((b) => (
                  <li key={`${b.reason}-${b.seq}-${b.lastSeq}`}>
                    {b.seq === b.lastSeq ? `#${b.seq}` : `#${b.seq}–#${b.lastSeq}`}: {b.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  );
}
