"use client";

import { type InfiniteData, useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { memberKeys } from "./keys";
import type { Member } from "./use-members";

type Pages = InfiniteData<{ members: Member[]; nextCursor: string | null }>;

/** Change a member's role, shown at once (optimistic) and rolled back if the server refuses. */
export function useChangeRole(slug: string) {
  const queryClient = useQueryClient();
  return useMutation<{ role: Member["role"] }, ApiError, { userId: string; role: Member["role"] }, { snapshots: [readonly unknown[], Pages | undefined][] }>({
    mutationFn: ({ userId, role }) => fetchJson(`/api/orgs/${slug}/members/${userId}`, { method: "PATCH", json: { roleKey: role.key } }),
    onMutate: async ({ userId, role }) => {
      await queryClient.cancelQueries({ queryKey: memberKeys.all(slug) });
      const snapshots = queryClient.getQueriesData<Pages>({ queryKey: memberKeys.all(slug) });
      queryClient.setQueriesData<Pages>({ queryKey: memberKeys.all(slug) }, (data) =>
        data && {
          ...data,
          pages: data.pages.map((p) => ({ ...p, members: p.members.map((m) => (m.userId === userId ? { ...m, role } : m)) })),
        },
      );
      return { snapshots };
    },
    onError: (error, _vars, context) => {
      for (const [key, data] of context?.snapshots ?? []) queryClient.setQueryData(key, data);
      toast.error(error.message);
    },
    onSuccess: (_data, { role }) => toast.success(`Role changed to ${role.name}`),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: memberKeys.all(slug) }),
  });
}
