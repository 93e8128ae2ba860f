"use client";

import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { type AuditApi, auditHeaders, auditKeys } from "./keys";

export interface EventChainStatusDto {
  seq: number;
  contentIntact: boolean;
  linkedToPrevious: boolean;
  linkedFromNext: boolean | null;
  newest: boolean;
  nextMissing: boolean;
}

/** Whether one event is intact and linked in its org's chain. */
export function useEventChain(api: AuditApi, orgId: string | null, seq: number | null) {
  return useQuery({
    queryKey: auditKeys.chain(api, orgId ?? "", seq ?? 0),
    queryFn: ({ signal }) =>
      fetchJson<EventChainStatusDto>(`${api.base}/chain?${new URLSearchParams({ org: orgId ?? "", seq: String(seq) })}`, {
        headers: auditHeaders(api),
        signal,
      }),
    enabled: !!orgId && !!seq,
  });
}
