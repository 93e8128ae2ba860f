import type { Metadata } from "next";
import { connection } from "next/server";
import { Suspense } from "react";
import { ConsentForm } from "@/components/mcp/consent-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { requireUser } from "@/lib/auth/guards";
import { getConsentView } from "@/lib/oauth/consent";

export const metadata: Metadata = { title: "Allow access" };

export default function ConsentPage({ searchParams }: { searchParams: Promise<{ request?: string }> }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Suspense fallback={<Skeleton className="h-96 w-full max-w-md" />}>
        <Consent searchParams={searchParams} />
      </Suspense>
    </main>
  );
}

async function Consent({ searchParams }: { searchParams: Promise<{ request?: string }> }) {
  await connection();
  const { request } = await searchParams;
  const user = await requireUser();
  const view = request ? await getConsentView(user, request) : null;
  if (!view || !request) {
    return (
      <Card className="w-full max-w-md">
        <CardHeader>
          <CardTitle>
            <h1>This request cannot be used</h1>
          </CardTitle>
        </CardHeader>
        <CardContent className="text-sm text-muted-foreground">
          It has expired or was started in another sign-in. Go back to the application and connect again.
        </CardContent>
      </Card>
    );
  }
  return <ConsentForm view={view} sealed={request} userEmail={user.email} />;
}
