import "server-only";
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { desc, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { encryptSecret } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { invalidInput, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import { bareHost, isPrivateAddress } from "@/lib/oauth/ssrf";
import { getPlatformSetting } from "@/lib/platform/settings";
import { WEBHOOK_EVENT_TYPES } from "./events";
import { newWebhookSecret } from "./sign";

type Actor = { id: string; email: string; name: string | null };
const who = (a: Actor) => ({ type: "user" as const, id: a.id, name: a.name ?? a.email });

export const createWebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/, error: "Give an http(s) URL." }).max(2000),
    description: z.string().trim().max(200).default(""),
    eventTypes: z.array(z.enum([...WEBHOOK_EVENT_TYPES, "*"])).min(1, "Pick at least one event type.").max(WEBHOOK_EVENT_TYPES.length + 1),
  })
  .strict();

export const updateWebhookSchema = z.object({ enabled: z.boolean(), description: z.string().trim().max(200).optional() }).strict();

/**
 * Refuse a target on a private address (unless the platform allows them, for development): an IP
 * literal directly, a name by resolving it now. Delivery checks the connected address again.
 */
export async function assertAllowedTarget(raw: string, db: Executor = getDb()): Promise<void> {
  if (await getPlatformSetting("webhooks_allow_private_addresses", db)) return;
  const url = new URL(raw);
  const host = bareHost(url);
  const addresses = isIP(host) ? [host] : await lookup(host, { all: true }).then((list) => list.map((a) => a.address), () => [] as string[]);
  if (!addresses.length) throw invalidInput(`${host} does not resolve.`, { url: "unresolvable" });
  if (addresses.some(isPrivateAddress)) {
    throw invalidInput(`${host} is a private address: webhooks go to public addresses only (a platform setting allows private ones for development).`, { url: "private_address" });
  }
}

/** Register an endpoint; the secret is returned this once and stored encrypted. */
export async function createWebhookEndpoint(actor: Actor, input: z.infer<typeof createWebhookSchema>, context: RequestContext) {
  await assertAllowedTarget(input.url);
  const secret = newWebhookSecret();
  const eventTypes = [...new Set(input.eventTypes)].sort();
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookEndpoints)
      .values({ url: input.url, description: input.description, eventTypes, secretSealed: encryptSecret(secret), createdBy: actor.id })
      .returning({ id: webhookEndpoints.id, url: webhookEndpoints.url, eventTypes: webhookEndpoints.eventTypes });
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "webhook.endpoint_created", target: { type: "webhook_endpoint", id: row!.id, name: input.url }, context, metadata: { eventTypes } });
    return { ...row!, secret };
  });
}

/** Switch an endpoint on or off (switching on clears the failure count and the notice). */
export async function setWebhookEndpointEnabled(actor: Actor, id: string, enabled: boolean, context: RequestContext, description?: string) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx
      .update(webhookEndpoints)
      .set({
        ...(enabled ? { enabled, disabledAt: null, disabledReason: null, consecutiveFailures: 0 } : { enabled, disabledAt: new Date(), disabledReason: "Switched off by staff." }),
        ...(description !== undefined ? { description } : {}),
        updatedAt: new Date(),
      })
      .where(eq(webhookEndpoints.id, id))
      .returning({ url: webhookEndpoints.url });
    if (!row) throw notFound("No such webhook endpoint.");
    await recordAudit(tx, { orgId: null, actor: who(actor), action: enabled ? "webhook.endpoint_enabled" : "webhook.endpoint_disabled", target: { type: "webhook_endpoint", id, name: row.url }, context });
  });
}

export async function deleteWebhookEndpoint(actor: Actor, id: string, context: RequestContext) {
  await getDb().transaction(async (tx) => {
    const [row] = await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ url: webhookEndpoints.url });
    if (!row) throw notFound("No such webhook endpoint.");
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "webhook.endpoint_deleted", target: { type: "webhook_endpoint", id, name: row.url }, context });
  });
}

/** Send a delivery again: a new delivery of the same message (same webhook-id), due now. */
export async function resendWebhookDelivery(actor: Actor, deliveryId: number, context: RequestContext) {
  return getDb().transaction(async (tx) => {
    const [d] = await tx
      .select({ endpointId: webhookDeliveries.endpointId, eventId: webhookDeliveries.eventId, objectKey: webhookDeliveries.objectKey })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.id, deliveryId));
    if (!d) throw notFound("No such delivery.");
    const [created] = await tx.insert(webhookDeliveries).values(d).returning({ id: webhookDeliveries.id });
    await recordAudit(tx, { orgId: null, actor: who(actor), action: "webhook.delivery_resent", target: { type: "webhook_endpoint", id: d.endpointId }, context, metadata: { eventId: d.eventId, from: deliveryId, delivery: created!.id } });
    return { id: created!.id };
  });
}

export async function listWebhookEndpoints(db: Executor = getDb()) {
  return db
    .select({
      id: webhookEndpoints.id,
      url: webhookEndpoints.url,
      description: webhookEndpoints.description,
      eventTypes: webhookEndpoints.eventTypes,
      enabled: webhookEndpoints.enabled,
      disabledAt: webhookEndpoints.disabledAt,
      disabledReason: webhookEndpoints.disabledReason,
      consecutiveFailures: webhookEndpoints.consecutiveFailures,
      createdAt: webhookEndpoints.createdAt,
      pending: sql<number>`(select count(*)::int from webhook_deliveries d where d.endpoint_id = "webhook_endpoints"."id" and d.status = 'pending')`,
    })
    .from(webhookEndpoints)
    .orderBy(desc(webhookEndpoints.createdAt));
}

/** The latest deliveries of an endpoint with their attempts (status, response code, latency). */
export async function listWebhookDeliveries(endpointId: string, limit = 50, db: Executor = getDb()) {
  const deliveries = await db
    .select({
      id: webhookDeliveries.id,
      eventId: webhookDeliveries.eventId,
      type: webhookEvents.type,
      objectKey: webhookDeliveries.objectKey,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      createdAt: webhookDeliveries.createdAt,
      deliveredAt: webhookDeliveries.deliveredAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
    .where(eq(webhookDeliveries.endpointId, endpointId))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit);
  const ids = deliveries.map((d) => d.id);
  const attempts = ids.length
    ? await db
        .select({ deliveryId: webhookAttempts.deliveryId, attemptedAt: webhookAttempts.attemptedAt, statusCode: webhookAttempts.statusCode, error: webhookAttempts.error, latencyMs: webhookAttempts.latencyMs })
        .from(webhookAttempts)
        .where(inArray(webhookAttempts.deliveryId, ids))
        .orderBy(webhookAttempts.id)
    : [];
  return deliveries.map((d) => ({ ...d, attemptList: attempts.filter((a) => a.deliveryId === d.id) }));
}
