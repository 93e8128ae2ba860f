import type { Metadata } from "next";
import { Suspense } from "react";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";

export const metadata: Metadata = { title: "Cannot connect the application" };

/** Errors about the client or its redirect URI are shown here, never sent to an unverified redirect. */
export default function OAuthErrorPage({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; description?: string }>;
}) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <Suspense>
        <ErrorCard searchParams={searchParams} />
      </Suspense>
    </main>
  );
}

async function ErrorCard({
  searchParams,
}: {
  searchParams: Promise<{ error?: string; description?: string }>;
}) {
  const { error, description } = await searchParams;
  return (
    <Card className="w-full max-w-md" data-testid="oauth-error">
      <CardHeader>
        <CardTitle>
          <h1>The application cannot be connected</h1>
        </CardTitle>
      </CardHeader>
      <CardContent className="grid gap-2 text-sm">
        <p>{(description ?? "The request was not valid.").slice(0, 300)}</p>
        <p className="text-muted-foreground">Error code: {(error ?? "invalid_request").slice(0, 40)}</p>
      </CardContent>
    </Card>
  );
}
