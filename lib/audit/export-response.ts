import "server-only";
import type { ExportFormat } from "./export";

/** A streamed download response for an export. */
export function exportResponse(stream: ReadableStream<Uint8Array>, format: ExportFormat, label: string): Response {
  const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, "-");
  const name = `audit-${label.replace(/[^a-z0-9-]/gi, "")}-${stamp}.${format === "csv" ? "csv" : "ndjson"}`;
  return new Response(stream, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
