"use client";

import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { gatehouseCall, useAction } from "./login-kit";
import { StepError } from "./step-card";

/** Accept an invitation as the signed-in user, then open the org. */
export function AcceptInvitation({ token, orgName }: { token: string; orgName: string }) {
  const router = useRouter();
  const accept = useAction<void, { org: { slug: string } }>(() => gatehouseCall("", "/api/invitations/accept", { token }));
  return (
    <div className="grid gap-2">
      <StepError message={accept.error?.message} />
      <Button onClick={() => accept.mutate(undefined, { onSuccess: ({ org }) => router.push(`/orgs/${org.slug}`) })} disabled={accept.isPending || accept.isSuccess}>
        Join {orgName}
      </Button>
    </div>
  );
}
