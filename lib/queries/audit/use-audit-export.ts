"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useRef, useState } from "react";
import { toast } from "sonner";
import { ApiError } from "@/lib/queries/fetch-json";
import { type AuditApi, auditHeaders, auditKeys } from "./keys";

export interface ExportProgress {
  format: "csv" | "ndjson";
  rows: number;
  bytes: number;
}

/**
 * Download the filter's events as CSV or NDJSON, reading the streamed response to show progress.
 * Cancel aborts the request, which stops the export on the server before its next batch.
 */
export function useAuditExport(api: AuditApi, filterQuery: string) {
  const qc = useQueryClient();
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const abort = useRef<AbortController | null>(null);

  const start = useCallback(
    async (format: "csv" | "ndjson") => {
      const controller = new AbortController();
      abort.current = controller;
      setProgress({ format, rows: 0, bytes: 0 });
      try {
        const qs = new URLSearchParams(filterQuery);
        qs.set("format", format);
        const res = await fetch(`${api.base}/export?${qs}`, { method: "POST", headers: auditHeaders(api), signal: controller.signal });
        if (!res.ok || !res.body) {
          const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
          throw new ApiError(res.status, body?.error?.code ?? "http_error", body?.error?.message ?? "Export failed.");
        }
        const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? `audit.${format}`;
        const reader = res.body.getReader();
        const parts: BlobPart[] = [];
        let rows = format === "csv" ? -1 : 0; // the CSV header line is no row
        let bytes = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          parts.push(value as BlobPart);
          bytes += value.byteLength;
          for (const b of value) if (b === 10) rows++;
          setProgress({ format, rows: Math.max(rows, 0), bytes });
        }
        const url = URL.createObjectURL(new Blob(parts, { type: res.headers.get("content-type") ?? "text/plain" }));
        const a = document.createElement("a");
        a.href = url;
        a.download = name;
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        toast.success(`Exported ${Math.max(rows, 0).toLocaleString()} events.`);
      } catch (err) {
        if (controller.signal.aborted) toast.info("Export cancelled.");
        else toast.error(err instanceof Error ? err.message : "Export failed.");
      } finally {
        abort.current = null;
        setProgress(null);
        // The export itself is an audit event.
        void qc.invalidateQueries({ queryKey: auditKeys.scope(api) });
      }
    },
    [api, filterQuery, qc],
  );

  const cancel = useCallback(() => abort.current?.abort(), []);
  return { start, cancel, progress };
}
