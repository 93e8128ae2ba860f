"use client";

import { Download, X } from "lucide-react";
import { Button } from "@/components/ui/button";
import type { AuditApi } from "@/lib/queries/audit/keys";
import { useAuditExport } from "@/lib/queries/audit/use-audit-export";

/** Export the current filter as CSV or NDJSON, with progress and cancel. */
export function AuditExportButtons({ api, filterQuery }: { api: AuditApi; filterQuery: string }) {
  const { start, cancel, progress } = useAuditExport(api, filterQuery);
  if (progress) {
    return (
      <div className="flex items-center gap-2 text-sm" role="status" data-testid="export-progress">
        <span>
          Exporting {progress.format.toUpperCase()}: {progress.rows.toLocaleString()} events ({(progress.bytes / 1024).toFixed(0)} KiB)
        </span>
        <Button size="sm" variant="outline" onClick={cancel}>
          <X /> Cancel
        </Button>
      </div>
    );
  }
  return (
    <div className="flex gap-2">
      <Button size="sm" variant="outline" onClick={() => void start("csv")}>
        <Download /> Export CSV
      </Button>
      <Button size="sm" variant="outline" onClick={() => void start("ndjson")}>
        <Download /> Export NDJSON
      </Button>
    </div>
  );
}
