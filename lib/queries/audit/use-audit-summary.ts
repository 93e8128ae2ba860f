"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { type AuditApi, auditHeaders, auditKeys } from "./keys";

export interface AuditSummaryDto {
  count: number;
  capped: boolean;
  histogram: { bucketSeconds: number; from: string; to: string; buckets: { start: string; count: number }[] };
}

/** Capped count and histogram for the filter. */
export function useAuditSummary(api: AuditApi, filterQuery: string, enabled = true) {
  return useQuery({
    queryKey: auditKeys.summary(api, filterQuery),
    queryFn: ({ signal }) => fetchJson<AuditSummaryDto>(`${api.base}/summary?${filterQuery}`, { headers: auditHeaders(api), signal }),
    enabled,
  });
}
