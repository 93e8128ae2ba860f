"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { accountKeys } from "./keys";

export interface PasskeyItem {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  backedUp: boolean;
  flagged: boolean;
}

export function usePasskeys() {
  return useQuery({
    queryKey: accountKeys.passkeys(),
    queryFn: () => fetchJson<{ passkeys: PasskeyItem[] }>("/api/account/passkeys").then((r) => r.passkeys),
  });
}

/** A passkey change (the ceremony runs in `run`); refreshes the list and toasts the outcome. */
export function usePasskeyMutation<TInput>(run: (input: TInput) => Promise<unknown>, success: string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, TInput>({
    mutationFn: run,
    onSuccess: () => {
      toast.success(success);
      void queryClient.invalidateQueries({ queryKey: accountKeys.all() });
    },
    onError: (error) => toast.error(error.message),
  });
}
