"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchJson } from "@/lib/queries/fetch-json";
import { memberKeys } from "./keys";

export interface Member {
  userId: string;
  email: string;
  name: string | null;
  role: { key: string; name: string; rank: number };
  mfaEnabled: boolean;
  lastSignInAt: string | null;
  joinedAt: string;
}

/** The org's members, 25 at a time, filtered by `search`. */
export function useMembers(slug: string, search: string) {
  return useInfiniteQuery({
    queryKey: memberKeys.list(slug, search),
    initialPageParam: null as string | null,
    queryFn: ({ pageParam }) => {
      const params = new URLSearchParams({ limit: "25" });
      if (search) params.set("search", search);
      if (pageParam) params.set("after", pageParam);
      return fetchJson<{ members: Member[]; nextCursor: string | null; total?: number }>(`/api/orgs/${slug}/members?${params}`);
    },
    getNextPageParam: (last) => last.nextCursor,
  });
}
