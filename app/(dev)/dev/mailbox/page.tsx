import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { connection } from "next/server";
import { Suspense } from "react";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { getEnv } from "@/lib/env";
import { listMailbox } from "@/lib/mail/outbox";

export const metadata: Metadata = { title: "Mailbox" };

export default function MailboxPage({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  return (
    <main className="mx-auto grid max-w-3xl grid-cols-[minmax(0,1fr)] gap-4 p-4 md:p-8">
      <h1 className="text-2xl font-semibold">Development mailbox</h1>
      <p className="text-sm text-muted-foreground">
        Mail the app has queued. Shown only outside production; with SMTP_URL set it is also delivered.
      </p>
      <Suspense fallback={<Skeleton className="h-40" />}>
        <Messages searchParams={searchParams} />
      </Suspense>
    </main>
  );
}

async function Messages({ searchParams }: { searchParams: Promise<{ to?: string }> }) {
  await connection();
  if (!getEnv().DEV_MAILBOX) notFound();
  const { to } = await searchParams;
  const messages = await listMailbox({ to });
  if (messages.length === 0) return <p data-testid="mailbox-empty">No mail yet.</p>;
  return (
    <ul className="grid gap-3">
      {messages.map((m) => (
        <li key={m.id}>
          <Card data-testid="mail">
            <CardHeader>
              <CardTitle className="text-base">{m.subject}</CardTitle>
              <CardDescription>
                to {m.to} · {m.createdAt.toISOString()} <Badge variant="outline">{m.status}</Badge>
              </CardDescription>
            </CardHeader>
            <CardContent>
              <pre className="font-mono text-sm whitespace-pre-wrap [overflow-wrap:anywhere]">{m.text || "(body removed after delivery or expiry)"}</pre>
            </CardContent>
          </Card>
        </li>
      ))}
    </ul>
  );
}
