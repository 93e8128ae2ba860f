"use client";

import { Button } from "@/components/ui/button";

/**
 * What a page shows when rendering it failed on the server, most often because the database cannot
 * be reached (restarting, failing over). The details are in the server log, never here.
 */
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-dvh items-center justify-center p-4">
      <div className="grid max-w-md gap-4 text-center" data-testid="temporarily-unavailable">
        <h1 className="text-xl font-semibold">Temporarily unavailable</h1>
        <p className="text-sm text-muted-foreground">
          Gatehouse could not complete this request. You are still signed in; try again in a few seconds.
        </p>
        <div>
          <Button onClick={() => reset()}>Try again</Button>
        </div>
      </div>
    </main>
  );
}
