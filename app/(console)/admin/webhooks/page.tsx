import type { Metadata } from "next";
import { WebhooksPanel } from "@/components/webhooks/webhooks-panel";
import { listWebhookDeliveries, listWebhookEndpoints } from "@/lib/webhooks/endpoints";
import { WEBHOOK_EVENT_TYPES } from "@/lib/webhooks/events";
import { AdminPage } from "../admin-page";

export const metadata: Metadata = { title: "Webhooks" };

const iso = (d: Date | null) => d?.toISOString() ?? null;

export default function AdminWebhooksPage() {
  return (
    <AdminPage
      title="Webhooks"
      description="Signed events (Standard Webhooks) to your backends. Delivered from an outbox written with each change, retried with back-off for up to a day, in order per object."
      render={async () => {
        const endpoints = await listWebhookEndpoints();
        const withDeliveries = await Promise.all(
          endpoints.map(async (e) => ({
            ...e,
            disabledAt: iso(e.disabledAt),
            createdAt: e.createdAt.toISOString(),
            deliveries: (await listWebhookDeliveries(e.id, 20)).map((d) => ({
              ...d,
              nextAttemptAt: d.nextAttemptAt.toISOString(),
              createdAt: d.createdAt.toISOString(),
              deliveredAt: iso(d.deliveredAt),
              attemptList: d.attemptList.map((a) => ({ ...a, attemptedAt: a.attemptedAt.toISOString() })),
            })),
          })),
        );
        return <WebhooksPanel endpoints={withDeliveries} eventTypes={[...WEBHOOK_EVENT_TYPES]} />;
      }}
    />
  );
}
