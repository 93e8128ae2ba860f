"use client";

import { Download, KeyRound, Stamp } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { useSignCheckpoint } from "@/lib/queries/audit/use-sign-checkpoint";

export interface AuditKeyDto {
  kid: string;
  publicKey: string;
}

/**
 * Tamper evidence: the key that signs checkpoints of the chain heads, the org's signed checkpoints
 * to download (tenant) and "sign now" (platform admin).
 */
export function AuditIntegrityCard({ auditKey, orgSlug, canSign }: { auditKey: AuditKeyDto; orgSlug?: string; canSign?: boolean }) {
  const sign = useSignCheckpoint();
  return (
    <Card data-testid="audit-integrity">
      <CardHeader>
        <CardTitle className="flex items-center gap-2 text-base">
          <KeyRound className="size-4" /> Tamper evidence
        </CardTitle>
        <CardDescription>
          Each chain head is signed (Ed25519) every hour, at shutdown and on demand; the checkpoints leave the database.
          {orgSlug && " Download the events (NDJSON) and the checkpoints, then check them offline with scripts/verify-audit-export.mjs."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <div>
          Public key <span className="font-mono">{auditKey.kid}</span>:{" "}
          <code data-testid="audit-public-key" className="break-all rounded bg-muted px-1 py-0.5 font-mono text-xs">
            {auditKey.publicKey}
          </code>{" "}
          (<a className="underline" href="/.well-known/gatehouse-audit-key">/.well-known/gatehouse-audit-key</a>)
        </div>
        <div className="flex flex-wrap gap-2">
          {orgSlug && (
            <Button asChild size="sm" variant="outline">
              <a href={`/api/orgs/${orgSlug}/audit/checkpoints`} download>
                <Download /> Signed checkpoints
              </a>
            </Button>
          )}
          {canSign && (
            <Button size="sm" variant="outline" onClick={() => sign.mutate()} disabled={sign.isPending}>
              <Stamp /> {sign.isPending ? "Signing…" : "Sign checkpoint now"}
            </Button>
          )}
        </div>
      </CardContent>
    </Card>
  );
}
