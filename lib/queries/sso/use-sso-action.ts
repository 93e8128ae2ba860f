"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";

/** One SSO console write: JSON to `path`, a toast, and the server-rendered page refreshed. */
export function useSsoAction<TInput>(method: "POST" | "PATCH" | "PUT", path: (input: TInput) => string, done: string) {
  const router = useRouter();
  return useMutation<unknown, ApiError, TInput>({
    mutationFn: (input) => fetchJson(path(input), { method, json: input }),
    onSuccess: () => {
      toast.success(done);
      router.refresh();
    },
    onError: (error) => toast.error(error.message),
  });
}
