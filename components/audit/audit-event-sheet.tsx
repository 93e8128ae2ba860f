"use client";

import { Badge } from "@/components/ui/badge";
import { Sheet, SheetContent, SheetDescription, SheetHeader, SheetTitle } from "@/components/ui/sheet";
import { Spinner } from "@/components/ui/spinner";
import { diffSnapshots } from "@/lib/audit/diff";
import type { AuditApi } from "@/lib/queries/audit/keys";
import type { AuditEventDto } from "@/lib/queries/audit/use-audit-events";
import { useEventChain } from "@/lib/queries/audit/use-event-chain";

function show(v: unknown) {
  if (v === undefined) return "—";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-1 text-sm">
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-all">{children ?? "—"}</dd>
    </div>
  );
}

function ChainStatus({ api, event }: { api: AuditApi; event: AuditEventDto }) {
  const chain = useEventChain(api, event.orgId, event.orgId ? event.chainSeq : null);
  if (!event.orgId) return <span className="text-muted-foreground">Platform chain</span>;
  if (event.chainSeq === null) {
    return (
      <span data-testid="event-chain-status" className="flex flex-wrap items-center gap-2">
        <Badge variant="secondary">Not linked yet</Badge>
        <span className="text-xs text-muted-foreground">written; the sequencer links it into the chain within a second</span>
      </span>
    );
  }
  if (chain.isPending) return <Spinner className="size-4" />;
  if (chain.isError) return <span className="text-destructive">{chain.error.message}</span>;
  const c = chain.data;
  const ok = c.contentIntact && c.linkedToPrevious && c.linkedFromNext !== false;
  return (
    <span data-testid="event-chain-status" className="flex flex-wrap items-center gap-2">
      <Badge variant={ok ? "success" : "destructive"}>{ok ? "Intact" : "Broken"}</Badge>
      <span className="text-xs text-muted-foreground">
        #{c.seq} · content {c.contentIntact ? "matches its hash" : "altered"} · link to previous {c.linkedToPrevious ? "ok" : "broken"} ·{" "}
        {c.newest ? "newest event" : c.nextMissing ? "next event missing" : c.linkedFromNext ? "next event links back" : "next event does not link back"}
      </span>
    </span>
  );
}

/** The full event: who, on whose behalf, what, the before → after diff, and its chain status. */
export function AuditEventSheet({ api, event, onClose }: { api: AuditApi; event: AuditEventDto | null; onClose: () => void }) {
  const meta = event?.metadata ?? {};
  const hasDiff = "before" in meta || "after" in meta;
  const changes = hasDiff ? diffSnapshots(meta.before, meta.after) : [];
  const rest = Object.fromEntries(Object.entries(meta).filter(([k]) => k !== "before" && k !== "after"));
  return (
    <Sheet open={!!event} onOpenChange={(open) => !open && onClose()}>
      <SheetContent className="w-full overflow-y-auto sm:max-w-xl" data-testid="audit-event-sheet">
        {event && (
          <>
            <SheetHeader>
              <SheetTitle className="font-mono">{event.action}</SheetTitle>
              <SheetDescription>{new Date(event.occurredAt).toLocaleString()} · {event.occurredAt}</SheetDescription>
            </SheetHeader>
            <div className="grid gap-6 px-4 pb-6">
              <dl>
                <Row label="Outcome">
                  <Badge variant={event.outcome === "success" ? "success" : "destructive"}>{event.outcome}</Badge>
                </Row>
                <Row label="Organization">{event.orgName ?? "Platform"}</Row>
                <Row label="Actor">
                  {event.actor.name ?? event.actor.id ?? "—"} <span className="text-muted-foreground">({event.actor.type})</span>
                </Row>
                <Row label="On behalf of">{event.onBehalfOf ? (event.onBehalfOf.name ?? event.onBehalfOf.userId) : null}</Row>
                <Row label="Client">{event.clientId}</Row>
                <Row label="Grant">{event.grantId}</Row>
                <Row label="Target">
                  {event.target ? `${event.target.name ?? event.target.id ?? ""} (${event.target.type})` : null}
                </Row>
                <Row label="IP">{event.ip}</Row>
                <Row label="User agent">{event.userAgent}</Row>
                <Row label="Request id">{event.requestId}</Row>
                <Row label="Event id">{event.id}</Row>
                <Row label="Chain">
                  <ChainStatus api={api} event={event} />
                </Row>
              </dl>
              {hasDiff && (
                <section aria-label="Changes">
                  <h3 className="mb-2 text-sm font-medium">Before → after</h3>
                  {changes.length === 0 ? (
                    <p className="text-sm text-muted-foreground">No field changed.</p>
                  ) : (
                    <table className="w-full text-sm" data-testid="audit-diff">
                      <tbody>
                        {changes.map((c) => (
                          <tr key={c.path} className="border-b align-top">
                            <td className="py-1 pr-2 font-mono text-xs">{c.path}</td>
                            <td className="py-1 pr-2 text-destructive line-through">{c.kind !== "added" ? show(c.before) : ""}</td>
                            <td className="py-1 text-success">{c.kind !== "removed" ? show(c.after) : ""}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  )}
                </section>
              )}
              {Object.keys(rest).length > 0 && (
                <section aria-label="Details">
                  <h3 className="mb-2 text-sm font-medium">Details</h3>
                  <pre className="overflow-x-auto rounded-md bg-muted p-3 text-xs">{JSON.stringify(rest, null, 2)}</pre>
                </section>
              )}
              {event.hash && <p className="break-all font-mono text-xs text-muted-foreground">hash {event.hash}</p>}
            </div>
          </>
        )}
      </SheetContent>
    </Sheet>
  );
}
