import "server-only";
import { z } from "zod";
import { validate } from "@/lib/http/body";
import { type AuditFilterParams, auditFilterParamsSchema, readFilterParams } from "./filter-params";

const pageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** Validate an explorer request's query string: the filter and the page. 400 on bad input. */
export function parseAuditQuery(url: URL): { params: AuditFilterParams; page: { limit: number; cursor: string | null } } {
  const params = validate(auditFilterParamsSchema, readFilterParams(url.searchParams));
  const page = validate(pageSchema, {
    limit: url.searchParams.get("limit") ?? undefined,
    cursor: url.searchParams.get("cursor") ?? undefined,
  });
  return { params, page: { limit: page.limit, cursor: page.cursor ?? null } };
}

/** The export format from `?format=`. */
export function parseExportFormat(url: URL): "csv" | "ndjson" {
  return validate(z.enum(["csv", "ndjson"]), url.searchParams.get("format") ?? "csv");
}
