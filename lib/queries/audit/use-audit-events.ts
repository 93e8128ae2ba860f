"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import type { AuditEventDto } from "@/lib/audit/event-dto";
import { fetchJson } from "@/lib/queries/fetch-json";
import { type AuditApi, auditHeaders, auditKeys } from "./keys";

export type { AuditEventDto };
export interface AuditPageDto {
  events: AuditEventDto[];
  nextCursor: string | null;
}

export const AUDIT_PAGE_SIZE = 50;

/** Fetch one page of events for a filter query string. */
export function fetchAuditPage(api: AuditApi, filterQuery: string, cursor: string | null, signal?: AbortSignal) {
  const qs = new URLSearchParams(filterQuery);
  qs.set("limit", String(AUDIT_PAGE_SIZE));
  if (cursor) qs.set("cursor", cursor);
  return fetchJson<AuditPageDto>(`${api.base}?${qs}`, { headers: auditHeaders(api), signal });
}

/** Events for the filter, newest first, one keyset page at a time ("load more"). */
export function useAuditEvents(api: AuditApi, filterQuery: string, enabled = true) {
  return useInfiniteQuery({
    queryKey: auditKeys.events(api, filterQuery),
    queryFn: ({ pageParam, signal }) => fetchAuditPage(api, filterQuery, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}
