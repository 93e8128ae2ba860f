"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { loginKeys } from "./keys";

/**
 * POST one sign-in step to /api/login/<step>. On success the state is fetched again, which moves
 * the page to the next step; `advance: false` keeps the current step (e.g. to show backup codes first).
 */
export function useLoginStep<TInput, TResult = { ok: true }>(step: string, opts: { advance?: boolean } = {}) {
  const queryClient = useQueryClient();
  return useMutation<TResult, ApiError, TInput>({
    mutationFn: (input) => fetchJson<TResult>(`/api/login/${step}`, { method: "POST", json: input ?? {} }),
    onSuccess: () => {
      if (opts.advance !== false) void queryClient.invalidateQueries({ queryKey: loginKeys.state() });
    },
    onError: (error) => {
      // A step out of order, or an ended sign-in: show where things really are.
      if (error.code === "wrong_state" || error.code === "too_many_attempts") {
        void queryClient.invalidateQueries({ queryKey: loginKeys.state() });
      }
    },
  });
}
