"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { memberKeys } from "./keys";

export interface Invitation {
  id: string;
  email: string;
  role: string;
  status: "pending" | "accepted" | "revoked" | "expired";
  createdAt: string;
  expiresAt: string;
  invitedBy: string | null;
}

export function useInvitations(slug: string) {
  return useQuery({
    queryKey: memberKeys.invitations(slug),
    queryFn: () => fetchJson<{ invitations: Invitation[] }>(`/api/orgs/${slug}/invitations`),
  });
}

/** Invite, resend or revoke; each refreshes the list and toasts the outcome. */
export function useInvitationAction<TInput>(slug: string, request: (input: TInput) => Promise<unknown>, success: (input: TInput) => string) {
  const queryClient = useQueryClient();
  return useMutation<unknown, ApiError, TInput>({
    mutationFn: request,
    onSuccess: (_d, input) => {
      toast.success(success(input));
      void queryClient.invalidateQueries({ queryKey: memberKeys.invitations(slug) });
    },
    onError: (error) => toast.error(error.message),
  });
}

export const inviteRequest = (slug: string) => (input: { email: string; roleKey: string }) =>
  fetchJson(`/api/orgs/${slug}/invitations`, { method: "POST", json: input });
export const resendRequest = (slug: string) => (input: { id: string; email: string }) =>
  fetchJson(`/api/orgs/${slug}/invitations/${input.id}/resend`, { method: "POST", json: {} });
export const revokeRequest = (slug: string) => (input: { id: string; email: string }) =>
  fetchJson(`/api/orgs/${slug}/invitations/${input.id}`, { method: "DELETE" });
