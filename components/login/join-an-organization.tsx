"use client";

import { Button } from "@/components/ui/button";
import { Badge } from "@/components/ui/badge";
import { FormField, fieldA11y } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { Separator } from "@/components/ui/separator";
import type { LoginStateResponse } from "./login-kit";
import { useLoginStep } from "./login-kit";
import { StepCard, StepError } from "./step-card";

type JoinInput = { invitationId: string } | { autoJoinOrgId: string } | { createOrg: { name: string } };

/** USER_MUST_BE_IN_AT_LEAST_ONE_ORG: accept an invitation, join by email domain, or create an org. */
export function JoinAnOrganization({ join }: { join: NonNullable<LoginStateResponse["join"]> }) {
  const step = useLoginStep<JoinInput, { slug: string }>("join");
  const nothing = join.invitations.length === 0 && join.autoJoin.length === 0 && !join.canCreateOrg;
  const createError = step.error?.fields?.["createOrg.name"];
  return (
    <StepCard title="Join an organization" testId="join-an-organization" description="You need to belong to an organization to continue.">
      {join.invitations.length > 0 && (
        <section aria-label="Invitations" className="grid gap-2">
          <h2 className="text-sm font-medium">Invitations</h2>
          {join.invitations.map((inv) => (
            <div key={inv.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3">
              <span>
                {inv.org.name} <Badge variant="secondary">{inv.role}</Badge>
              </span>
              <Button size="sm" disabled={step.isPending} onClick={() => step.mutate({ invitationId: inv.id })}>
                Accept invitation to {inv.org.name}
              </Button>
            </div>
          ))}
        </section>
      )}
      {join.autoJoin.length > 0 && (
        <section aria-label="Organizations for your email domain" className="grid gap-2">
          <h2 className="text-sm font-medium">Organizations using your email domain</h2>
          {join.autoJoin.map((org) => (
            <div key={org.id} className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3">
              <span>{org.name}</span>
              <Button size="sm" variant="outline" disabled={step.isPending} onClick={() => step.mutate({ autoJoinOrgId: org.id })}>
                Join {org.name}
              </Button>
            </div>
          ))}
        </section>
      )}
      {join.canCreateOrg && (
        <>
          {(join.invitations.length > 0 || join.autoJoin.length > 0) && <Separator />}
          <form
            className="grid gap-3"
            onSubmit={(e) => {
              e.preventDefault();
              step.mutate({ createOrg: { name: String(new FormData(e.currentTarget).get("org-name") ?? "") } });
            }}
          >
            <FormField label="Create a new organization" id="new-org-name" error={createError}>
              <Input name="org-name" placeholder="Acme Inc." required {...fieldA11y("new-org-name", createError)} />
            </FormField>
            <Button type="submit" variant="outline" disabled={step.isPending}>
              Create organization
            </Button>
          </form>
        </>
      )}
      {nothing && <p data-testid="no-org-options">There is nothing to join yet. Ask an administrator of your organization to invite you.</p>}
      {!createError && <StepError message={step.error?.message} />}
    </StepCard>
  );
}
