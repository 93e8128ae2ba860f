"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useAdminMutation } from "@/lib/queries/admin/use-admin-mutation";

interface Attempt {
  attemptedAt: string;
  statusCode: number | null;
  error: string | null;
  latencyMs: number;
}
interface Delivery {
  id: number;
  eventId: string;
  type: string;
  objectKey: string;
  status: string;
  attempts: number;
  nextAttemptAt: string;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: string | null;
  attemptList: Attempt[];
}
interface Endpoint {
  id: string;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  disabledAt: string | null;
  disabledReason: string | null;
  consecutiveFailures: number;
  pending: number;
  deliveries: Delivery[];
}

const at = (d: string | null) => (d ? new Date(d).toISOString().slice(0, 19).replace("T", " ") : "—");

/** Register endpoints (secret shown once), switch them on/off, see every attempt, resend. */
export function WebhooksPanel({ endpoints, eventTypes }: { endpoints: Endpoint[]; eventTypes: string[] }) {
  const [secret, setSecret] = useState<string | null>(null);
  const create = useAdminMutation(
    (input: { url: string; description: string; eventTypes: string[] }) => ({ url: "/api/admin/webhooks", method: "POST", json: input }),
    "Endpoint registered",
  );
  const toggle = useAdminMutation((e: { id: string; enabled: boolean }) => ({ url: `/api/admin/webhooks/${e.id}`, method: "PATCH", json: { enabled: e.enabled } }), (e) =>
    e.enabled ? "Endpoint switched on" : "Endpoint switched off",
  );
  const remove = useAdminMutation((id: string) => ({ url: `/api/admin/webhooks/${id}`, method: "DELETE" }), "Endpoint deleted");
  const resend = useAdminMutation((id: number) => ({ url: `/api/admin/webhooks/deliveries/${id}/resend`, method: "POST" }), "Queued again");
  return (
    <div className="grid gap-6">
      <form
        aria-label="New webhook endpoint"
        className="grid gap-3 rounded-md border p-3"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          create.mutate(
            { url: String(f.get("url") ?? ""), description: String(f.get("description") ?? ""), eventTypes: f.getAll("event").map(String) },
            { onSuccess: (r) => setSecret((r as { endpoint: { secret: string } }).endpoint.secret) },
          );
        }}
      >
        <div className="flex flex-wrap gap-2">
          <Input name="url" type="url" placeholder="https://api.example.com/gatehouse-webhooks" aria-label="Endpoint URL" className="min-w-80 flex-1" required />
          <Input name="description" placeholder="Billing backend" aria-label="Description" className="w-56" />
        </div>
        <div className="flex flex-wrap gap-3">
          <div className="flex items-center gap-1">
            <Checkbox id="event-all" name="event" value="*" />
            <Label htmlFor="event-all">every event</Label>
          </div>
          {eventTypes.map((t) => (
            <div key={t} className="flex items-center gap-1">
              <Checkbox id={`event-${t}`} name="event" value={t} />
              <Label htmlFor={`event-${t}`} className="font-mono text-xs">
                {t}
              </Label>
            </div>
          ))}
        </div>
        <Button type="submit" className="justify-self-start" disabled={create.isPending}>
          Add endpoint
        </Button>
      </form>
      {secret && (
        <div className="grid gap-2 rounded-md border p-3" data-testid="new-webhook-secret">
          <p className="text-sm">The signing secret, shown once. Give it to your receiver (any Standard Webhooks verifier accepts it).</p>
          <code className="break-all font-mono text-sm">{secret}</code>
          <Button variant="outline" size="sm" className="justify-self-start" onClick={() => setSecret(null)}>
            I copied it
          </Button>
        </div>
      )}
      {endpoints.length === 0 && <p className="text-sm text-muted-foreground">No endpoints yet.</p>}
      {endpoints.map((e) => (
        <section key={e.id} className="grid gap-2 rounded-md border p-3" data-testid="webhook-endpoint">
          <div className="flex flex-wrap items-center gap-2">
            <code className="font-mono text-sm">{e.url}</code>
            {e.enabled ? <Badge variant="success">on</Badge> : <Badge variant="destructive">off</Badge>}
            <span className="text-xs text-muted-foreground">
              {e.eventTypes.join(", ")} · {e.pending} pending · {e.consecutiveFailures} failures in a row
            </span>
            <Button size="sm" variant="outline" onClick={() => toggle.mutate({ id: e.id, enabled: !e.enabled })}>
              {e.enabled ? "Switch off" : "Switch on"}
            </Button>
            <Button size="sm" variant="ghost" onClick={() => remove.mutate(e.id)}>
              Delete
            </Button>
          </div>
          {!e.enabled && e.disabledReason && (
            <p role="status" className="rounded-md border border-destructive/40 p-2 text-sm" data-testid="webhook-disabled-notice">
              Switched off {at(e.disabledAt)}: {e.disabledReason}
            </p>
          )}
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Event</TableHead>
                <TableHead>Object</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Attempts (code, latency)</TableHead>
                <TableHead className="sr-only">Actions</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {e.deliveries.map((d) => (
                <TableRow key={d.id} data-testid="webhook-delivery">
                  <TableCell className="font-mono text-xs">
                    {d.type}
                    <div className="text-muted-foreground">{d.eventId}</div>
                  </TableCell>
                  <TableCell className="font-mono text-xs">{d.objectKey}</TableCell>
                  <TableCell>
                    <Badge variant={d.status === "succeeded" ? "success" : d.status === "failed" ? "destructive" : "outline"}>{d.status}</Badge>
                    {d.status === "pending" && d.attempts > 0 && <div className="text-xs text-muted-foreground">next {at(d.nextAttemptAt)}</div>}
                  </TableCell>
                  <TableCell className="text-xs">
                    {d.attemptList.length === 0
                      ? "not yet"
                      : d.attemptList.map((a, i) => (
                          <div key={i}>
                            {at(a.attemptedAt)} · {a.statusCode ?? a.error ?? "no answer"} · {a.latencyMs} ms
                          </div>
                        ))}
                  </TableCell>
                  <TableCell className="text-right">
                    <Button size="sm" variant="ghost" onClick={() => resend.mutate(d.id)}>
                      Resend
                    </Button>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </section>
      ))}
    </div>
  );
}
