"use client";

import { useMutation } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";

export interface SupportAccessDto {
  token: string;
  access: { org: { id: string; slug: string; name: string } | null; reason: string; expiresAt: string };
}

/** State a reason to open an org's audit log (or all orgs'); the opening is recorded. */
export function useSupportAccess() {
  return useMutation({
    mutationFn: (input: { org?: string; reason: string }) =>
      fetchJson<SupportAccessDto>("/api/audit/access", { method: "POST", json: input }),
  });
}
