import type { Metadata } from "next";
import Link from "next/link";
import { connection } from "next/server";
import { Suspense } from "react";
import { AcceptInvitation } from "@/components/login/accept-invitation";
import { StepCard } from "@/components/login/step-card";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Skeleton } from "@/components/ui/skeleton";
import { getCurrentUser } from "@/lib/auth/current-user";
import { invitationByToken } from "@/lib/invitations/accept";

export const metadata: Metadata = { title: "Invitation" };

export default function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Suspense fallback={<Skeleton className="h-60 w-full max-w-md" />}>
        <Invite params={params} />
      </Suspense>
    </main>
  );
}

async function Invite({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const [invitation, user] = await Promise.all([invitationByToken(token), getCurrentUser()]);
  if (!invitation || invitation.revokedAt || (!invitation.acceptedAt && invitation.expiresAt < new Date())) {
    return (
      <StepCard title="This invitation is no longer valid" testId="invitation-invalid">
        <p>It has expired or was withdrawn. Ask the person who invited you for a new one.</p>
      </StepCard>
    );
  }
  if (invitation.acceptedAt) {
    const mine = user && invitation.acceptedBy === user.id;
    return (
      <StepCard title={mine ? `You are a member of ${invitation.org.name}` : "This invitation was already used"} testId="invitation-accepted">
        {mine && (
          <Button asChild>
            <Link href={`/orgs/${invitation.org.slug}`}>Open {invitation.org.name}</Link>
          </Button>
        )}
      </StepCard>
    );
  }
  const next = `/invite/${token}`;
  return (
    <StepCard
      title={`Join ${invitation.org.name}`}
      testId="invitation"
      description={
        <>
          You are invited as <Badge variant="secondary">{invitation.role}</Badge> for <strong>{invitation.email}</strong>.
        </>
      }
    >
      {!user ? (
        <>
          <p className="text-sm">Sign in or create an account with {invitation.email} to accept.</p>
          <Button asChild>
            <Link href={`/login?next=${encodeURIComponent(next)}`}>Continue</Link>
          </Button>
        </>
      ) : user.email !== invitation.email ? (
        <p className="text-sm" data-testid="invitation-wrong-account">
          You are signed in as {user.email}. Sign out and sign in as {invitation.email} to accept.
        </p>
      ) : (
        <AcceptInvitation token={token} orgName={invitation.org.name} />
      )}
    </StepCard>
  );
}
