import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { getEnv } from "@/lib/env";
import { listDevWebhooks } from "@/lib/webhooks/dev-inbox";

export const metadata: Metadata = { title: "Webhook inbox" };

export default function WebhookInboxPage() {
  return (
    <main className="mx-auto grid max-w-3xl gap-4 p-4 md:p-8">
      <h1 className="text-2xl font-semibold">Development webhook inbox</h1>
      <p className="text-sm text-muted-foreground">
        What the demo&apos;s webhook endpoint received, with its Standard Webhooks signature checked. Shown only outside production.
      </p>
      <Suspense fallback={<Skeleton className="h-40" />}>
        <Messages />
      </Suspense>
    </main>
  );
}

async function Messages() {
  await connection();
  if (!getEnv().DEV_MAILBOX) notFound();
  const messages = await listDevWebhooks();
  if (messages.length === 0) return <p data-testid="webhooks-empty">Nothing received yet.</p>;
  return (
    <ul className="grid gap-3">
      {messages.map((m) => {
        let type = "?";
        try {
          type = String((JSON.parse(m.body) as { type?: string }).type ?? "?");
        } catch {
          // not JSON: shown raw below
        }
        return (
          <li key={m.id}>
            <Card data-testid="webhook">
              <CardHeader>
                <CardTitle className="text-base font-mono">{type}</CardTitle>
                <CardDescription>
                  {m.headers["webhook-id"]} · {m.receivedAt.toISOString()}{" "}
                  {m.verified ? <Badge variant="success">signature valid</Badge> : <Badge variant="destructive">signature invalid</Badge>}
                </CardDescription>
              </CardHeader>
              <CardContent>
                <pre className="whitespace-pre-wrap break-words font-mono text-xs">{m.body}</pre>
              </CardContent>
            </Card>
          </li>
        );
      })}
    </ul>
  );
}
