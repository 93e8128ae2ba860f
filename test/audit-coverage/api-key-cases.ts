import { eq } from "drizzle-orm";
import { users, webhookDeliveries } from "@/drizzle/schema";
import { createApiKey } from "@/lib/api-keys";
import { getDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { setPlatformSetting } from "@/lib/platform/settings";
import { createOrgApiKey, createPersonalApiKey } from "@/lib/user-api-keys/create";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { emitWebhookEvent } from "@/lib/webhooks/emit";
import { orgBySlug } from "@/test/oauth";
import type { CoverageCase } from "./cases";

const STAFF = "admin@gatehouse.example";
const KEY = { name: "Script", expiresInDays: 30, mode: "live" as const };

async function user(email: string) {
  const [u] = await getDb().select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, email));
  return u!;
}
async function ok(res: Response | Promise<Response>) {
  const r = await res;
  if (r.status >= 400) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  await r.arrayBuffer();
  return r;
}
/** A webhook endpoint on a local address (the development setting on), made outside the counted run. */
async function endpoint() {
  await getDb().transaction((tx) => setPlatformSetting(tx, "webhooks_allow_private_addresses", true));
  return createWebhookEndpoint(await user(STAFF), { url: "http://127.0.0.1:9/hook", description: "", eventTypes: ["org.updated"] }, systemContext());
}

/** Personal and org API keys, their validation, webhook endpoints (issue 18). */
export function API_KEY_COVERAGE_CASES(): Record<string, CoverageCase> {
  return {
    "app/api/account/api-keys/route.ts POST": {
      action: "api_key.created",
      run: async ({ entry, as, call }) => {
        await as("john@xcorp.example");
        await ok(call(entry, "/api/account/api-keys", { method: "POST", json: KEY }));
      },
    },
    "app/api/account/api-keys/[id]/route.ts DELETE": {
      action: "api_key.revoked",
      setup: async ({ state }) => {
        state.id = (await createPersonalApiKey(await user("john@xcorp.example"), KEY, systemContext())).id;
      },
      run: async ({ entry, as, call, state }) => {
        await as("john@xcorp.example");
        await ok(call(entry, `/api/account/api-keys/${state.id}`, { method: "DELETE", params: { id: state.id! } }));
      },
    },
    "app/api/orgs/[slug]/api-keys/route.ts POST": {
      action: "api_key.created",
      run: async ({ entry, as, call }) => {
        await as("admin@xcorp.example");
        await ok(call(entry, "/api/orgs/xcorp/api-keys", { method: "POST", params: { slug: "xcorp" }, json: { ...KEY, permissions: ["reports::read"] } }));
      },
    },
    "app/api/orgs/[slug]/api-keys/[id]/route.ts DELETE": {
      action: "api_key.revoked",
      setup: async ({ state }) => {
        const xcorp = await orgBySlug(getDb(), "xcorp");
        state.id = (await createOrgApiKey(await user("admin@xcorp.example"), xcorp, KEY, systemContext())).id;
      },
      run: async ({ entry, as, call, state }) => {
        await as("admin@xcorp.example");
        await ok(call(entry, `/api/orgs/xcorp/api-keys/${state.id}`, { method: "DELETE", params: { slug: "xcorp", id: state.id! } }));
      },
    },
    "app/api/v1/api-keys/validate/route.ts POST": {
      // A successful use is counted on the key (count, last time, address), not recorded as an event.
      action: null,
      setup: async ({ state }) => {
        state.platform = (await createApiKey(await user(STAFF), { name: "Backend" }, systemContext())).key;
        state.key = (await createPersonalApiKey(await user("john@xcorp.example"), KEY, systemContext())).key;
      },
      run: async ({ entry, as, call, state }) => {
        await as(null);
        await ok(call(entry, "/api/v1/api-keys/validate", { method: "POST", headers: { authorization: `Bearer ${state.platform}` }, json: { apiKey: state.key } }));
      },
    },
    "app/api/admin/webhooks/route.ts POST": {
      action: "webhook.endpoint_created",
      setup: () => getDb().transaction((tx) => setPlatformSetting(tx, "webhooks_allow_private_addresses", true)),
      run: async ({ entry, as, call }) => {
        await as(STAFF);
        await ok(call(entry, "/api/admin/webhooks", { method: "POST", json: { url: "http://127.0.0.1:9/hook", eventTypes: ["user.created"] } }));
      },
    },
    "app/api/admin/webhooks/[id]/route.ts PATCH": {
      action: "webhook.endpoint_disabled",
      setup: async ({ state }) => {
        state.id = (await endpoint()).id;
      },
      run: async ({ entry, as, call, state }) => {
        await as(STAFF);
        await ok(call(entry, `/api/admin/webhooks/${state.id}`, { method: "PATCH", params: { id: state.id! }, json: { enabled: false } }));
      },
    },
    "app/api/admin/webhooks/[id]/route.ts DELETE": {
      action: "webhook.endpoint_deleted",
      setup: async ({ state }) => {
        state.id = (await endpoint()).id;
      },
      run: async ({ entry, as, call, state }) => {
        await as(STAFF);
        await ok(call(entry, `/api/admin/webhooks/${state.id}`, { method: "DELETE", params: { id: state.id! } }));
      },
    },
    "app/api/admin/webhooks/deliveries/[id]/resend/route.ts POST": {
      action: "webhook.delivery_resent",
      setup: async ({ state }) => {
        const e = await endpoint();
        await getDb().transaction((tx) => emitWebhookEvent(tx, "org.updated", "org:coverage", {}));
        const [d] = await getDb().select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, e.id));
        state.id = String(d!.id);
      },
      run: async ({ entry, as, call, state }) => {
        await as(STAFF);
        await ok(call(entry, `/api/admin/webhooks/deliveries/${state.id}/resend`, { method: "POST", params: { id: state.id! } }));
      },
    },
    "app/api/dev/webhooks/route.ts POST": {
      // The development inbox (404 in production) keeps what arrives; it changes nothing of the product's.
      action: null,
      run: async ({ entry, as, call }) => {
        await as(null);
        await ok(call(entry, "/api/dev/webhooks", { method: "POST", json: { type: "org.updated" } }));
      },
    },
  };
}
