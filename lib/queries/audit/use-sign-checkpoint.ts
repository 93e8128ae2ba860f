"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { fetchJson } from "@/lib/queries/fetch-json";
import { auditKeys } from "./keys";

/** Platform admins: sign a checkpoint of every moved chain head now. */
export function useSignCheckpoint() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => fetchJson<{ chains: number; delivered: number; queued: number }>("/api/audit/checkpoints", { method: "POST" }),
    onSuccess: (r) => {
      toast.success(`Signed ${r.chains} chain head${r.chains === 1 ? "" : "s"}${r.queued ? ` (${r.queued} queued for the sink)` : ""}.`);
      void qc.invalidateQueries({ queryKey: auditKeys.all() });
    },
    onError: (e) => toast.error(e.message),
  });
}
