"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { memberKeys } from "./keys";

export function useRemoveMember(slug: string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, { userId: string; email: string }>({
    mutationFn: ({ userId }) => fetchJson(`/api/orgs/${slug}/members/${userId}`, { method: "DELETE" }),
    onSuccess: (_d, { email }) => {
      toast.success(`${email} was removed`);
      void queryClient.invalidateQueries({ queryKey: memberKeys.all(slug) });
    },
    onError: (error) => toast.error(error.message),
  });
}
