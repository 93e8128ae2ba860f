"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";

/**
 * A platform-admin change: sends JSON, toasts the outcome and refreshes the server-rendered page
 * (admin pages load their data on the server).
 */
export function useAdminMutation<TInput, TResult = unknown>(
  request: (input: TInput) => { url: string; method: "POST" | "PATCH" | "PUT" | "DELETE"; json?: unknown },
  success: string | ((input: TInput, result: TResult) => string),
) {
  const router = useRouter();
  return useMutation<TResult, ApiError, TInput>({
    mutationFn: (input) => {
      const { url, method, json } = request(input);
      return fetchJson<TResult>(url, { method, json });
    },
    onSuccess: (result, input) => {
      toast.success(typeof success === "string" ? success : success(input, result));
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
}
