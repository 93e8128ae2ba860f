"use client";

import type { AuditSummaryDto } from "@/lib/queries/audit/use-audit-summary";

function label(iso: string, bucketSeconds: number) {
  const d = new Date(iso);
  return bucketSeconds >= 86_400
    ? d.toLocaleDateString(undefined, { month: "short", day: "numeric" })
    : d.toLocaleString(undefined, { month: "short", day: "numeric", hour: "2-digit", minute: "2-digit" });
}

/** Events over time for the current filter: one bar per bucket. */
export function AuditHistogram({ histogram }: { histogram: AuditSummaryDto["histogram"] }) {
  const max = Math.max(1, ...histogram.buckets.map((b) => b.count));
  const first = histogram.buckets[0];
  const last = histogram.buckets.at(-1);
  return (
    <figure data-testid="audit-histogram" className="grid gap-1">
      <div className="flex h-20 items-end gap-px" role="img" aria-label="Events over time">
        {histogram.buckets.map((b) => (
          <div
            key={b.start}
            title={`${label(b.start, histogram.bucketSeconds)}: ${b.count.toLocaleString()} events`}
            className="min-w-[2px] flex-1 rounded-t-sm bg-primary/70"
            style={{ height: `${b.count ? Math.max(4, (b.count / max) * 100) : 0}%` }}
          />
        ))}
      </div>
      {first && last && (
        <figcaption className="flex justify-between text-xs text-muted-foreground">
          <span>{label(first.start, histogram.bucketSeconds)}</span>
          <span>{label(last.start, histogram.bucketSeconds)}</span>
        </figcaption>
      )}
    </figure>
  );
}
