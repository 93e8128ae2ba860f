"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { accountKeys } from "./keys";

export function useMfaStatus() {
  return useQuery({
    queryKey: accountKeys.mfa(),
    queryFn: () => fetchJson<{ enrolled: boolean; backupCodesLeft: number }>("/api/account/mfa"),
  });
}

/** A two-factor change; refreshes the status and toasts the outcome. */
export function useMfaMutation<TInput, TResult>(path: string, method: "POST" | "DELETE", success: string) {
  const queryClient = useQueryClient();
  return useMutation<TResult, ApiError, TInput>({
    mutationFn: (input) => fetchJson<TResult>(path, { method, json: input ?? {} }),
    onSuccess: () => {
      toast.success(success);
      void queryClient.invalidateQueries({ queryKey: accountKeys.mfa() });
    },
    onError: (error) => toast.error(error.message),
  });
}
