"use client";

import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";

/** Require a new password at next sign-in; `endpoint` is the org or the platform-staff route. */
export function useRequirePasswordChange(endpoint: string, email: string) {
  return useMutation<unknown, ApiError, void>({
    mutationFn: () => fetchJson(endpoint, { method: "POST" }),
    onSuccess: () => toast.success(`${email} will set a new password at their next sign-in`),
    onError: (error) => toast.error(error.message),
  });
}
