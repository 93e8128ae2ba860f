"use client";

import { useEffect, useRef } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { AuditEventDto } from "@/lib/queries/audit/use-audit-events";

/** Events as rows; more load when the end scrolls into view or on "Load more". */
export function AuditTable({
  events,
  showOrg,
  hasMore,
  loadingMore,
  onLoadMore,
  onOpen,
}: {
  events: AuditEventDto[];
  showOrg: boolean;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
  onOpen: (e: AuditEventDto) => void;
}) {
  const sentinel = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = sentinel.current;
    if (!el || !hasMore) return;
    const io = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loadingMore) onLoadMore();
    });
    io.observe(el);
    return () => io.disconnect();
  }, [hasMore, loadingMore, onLoadMore]);

  return (
    <div className="grid gap-3">
      <Table data-testid="audit-table">
        <TableHeader>
          <TableRow>
            <TableHead>Time</TableHead>
            {showOrg && <TableHead>Org</TableHead>}
            <TableHead>Actor</TableHead>
            <TableHead>On behalf of</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Outcome</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {events.map((e) => (
            <TableRow
              key={e.id}
              data-testid="audit-row"
              tabIndex={0}
              className="cursor-pointer"
              onClick={() => onOpen(e)}
              onKeyDown={(k) => (k.key === "Enter" || k.key === " ") && (k.preventDefault(), onOpen(e))}
            >
              <TableCell className="whitespace-nowrap text-xs" title={e.occurredAt}>
                {new Date(e.occurredAt).toLocaleString()}
              </TableCell>
              {showOrg && <TableCell>{e.orgName ?? "Platform"}</TableCell>}
              <TableCell>
                {e.actor.name ?? e.actor.id ?? "—"}
                {e.actor.type !== "user" && <span className="ml-1 text-xs text-muted-foreground">({e.actor.type})</span>}
              </TableCell>
              <TableCell>{e.onBehalfOf ? (e.onBehalfOf.name ?? e.onBehalfOf.userId) : "—"}</TableCell>
              <TableCell className="font-mono text-xs">{e.action}</TableCell>
              <TableCell className="max-w-48 truncate">{e.target ? (e.target.name ?? e.target.id ?? e.target.type) : "—"}</TableCell>
              <TableCell>
                <Badge variant={e.outcome === "success" ? "secondary" : "destructive"}>{e.outcome}</Badge>
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <div ref={sentinel} />
      {hasMore ? (
        <Button variant="outline" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? "Loading…" : "Load more"}
        </Button>
      ) : (
        events.length > 0 && <p className="text-center text-sm text-muted-foreground">End of results.</p>
      )}
    </div>
  );
}
