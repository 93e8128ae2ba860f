"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { type ApiError, fetchJson } from "@/lib/queries/fetch-json";
import { StepError } from "./step-card";

/** Accept an invitation as the signed-in user, then open the org. */
export function AcceptInvitation({ token, orgName }: { token: string; orgName: string }) {
  const router = useRouter();
  const accept = useMutation<{ org: { slug: string } }, ApiError>({
    mutationFn: () => fetchJson("/api/invitations/accept", { method: "POST", json: { token } }),
    onSuccess: ({ org }) => router.push(`/orgs/${org.slug}`),
  });
  return (
    <div className="grid gap-2">
      <StepError message={accept.error?.message} />
      <Button onClick={() => accept.mutate()} disabled={accept.isPending || accept.isSuccess}>
        Join {orgName}
      </Button>
    </div>
  );
}
