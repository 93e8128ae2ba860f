"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { fetchJson } from "@/lib/queries/fetch-json";
import { type AuditApi, auditHeaders, auditKeys } from "./keys";

export interface ChainBreakDto {
  seq: number;
  lastSeq: number;
  eventId: string | null;
  reason: string;
  message: string;
}

export interface ChainReportDto {
  chainKey: string;
  checked: number;
  ok: boolean;
  breaks: ChainBreakDto[];
  firstBreak: ChainBreakDto | null;
  checkpoints: number;
  lastHolding: { n: number; seq: number; at: string } | null;
  /** Events written but not linked into the chain yet (the sequencer links them within a second). */
  unchained: number;
}

/** Verify the org's whole chain; the verification is recorded, so the log refreshes. */
export function useVerifyChain(api: AuditApi) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<ChainReportDto>(`${api.base}/verify`, { method: "POST", headers: auditHeaders(api) }),
    onSuccess: (r) => {
      if (r.ok) toast.success(`Chain intact: ${r.checked.toLocaleString()} events verified.`);
      else toast.error(`${r.breaks.length} break${r.breaks.length === 1 ? "" : "s"}, first at event ${r.firstBreak?.seq}: ${r.firstBreak?.message}`);
      void qc.invalidateQueries({ queryKey: auditKeys.scope(api) });
    },
    onError: (e) => toast.error(e.message),
  });
}
