// The password step on the production server's direct lane (lib/login-flow/password-http.ts) answers
// as its Next route does: the same refusals (origin, media type, JSON, fields, credentials), the
// flow cookie on success, and plain form posts handed to the route's own handler.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { browserHeadersMock, inBrowser, newJar } from "@/test/browser-jar";
import { useTestDatabase } from "@/test/db";
import { startLaneServer, type LaneServer } from "@/test/lane-server";
import { call } from "@/test/oauth";
import { createUser } from "@/test/sign-in";

vi.mock("next/headers", () => browserHeadersMock());
vi.mock("next/server", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next/server")>()),
  connection: async () => {},
}));

const { POST: passwordRoute } = await import("@/app/api/login/password/route");
const { flowByToken, FLOW_COOKIE } = await import("./flow");
const { backgroundSettled } = await import("./background");

useTestDatabase();
const PATH = "/api/login/password";
const EMAIL = "lane@example.com";
const PASSWORD = "a lane of its own 2026";

let lane: LaneServer;
let base: string;
beforeAll(async () => {
  await createUser(EMAIL, PASSWORD);
  lane = await startLaneServer();
  base = lane.url;
});
afterAll(async () => {
  await backgroundSettled();
  await lane.close();
});

/** The same request to the lane (its own host) and to the Next route (localhost:3000), same-origin for each. */
async function both(init: { body: string; type?: string; origin?: "same" | string }) {
  const answers = [];
  for (const viaLane of [true, false]) {
    const host = viaLane ? new URL(base).host : "localhost:3000";
    const headers: Record<string, string> = { "content-type": init.type ?? "application/json" };
    if (init.origin) headers.origin = init.origin === "same" ? `http://${host}` : init.origin;
    const res = viaLane
      ? await fetch(`${base}${PATH}`, { method: "POST", headers, body: init.body })
      : await inBrowser(newJar(), () => call(passwordRoute, PATH, { method: "POST", headers, body: init.body }));
    answers.push({ status: res.status, body: await res.json(), cache: res.headers.get("cache-control"), vary: res.headers.get("vary") });
  }
  return answers;
}

describe("the password step on the direct lane", () => {
  it.each([
    ["a wrong password", { body: JSON.stringify({ email: EMAIL, password: "not it" }), origin: "same" }],
    ["an unknown address", { body: JSON.stringify({ email: "nobody@example.com", password: PASSWORD }), origin: "same" }],
    ["another site's origin", { body: JSON.stringify({ email: EMAIL, password: PASSWORD }), origin: "https://evil.example" }],
    ["a body that is not JSON", { body: "{", origin: "same" }],
    ["a body of the wrong type", { body: JSON.stringify({ email: EMAIL, password: PASSWORD }), type: "text/plain", origin: "same" }],
    ["a field missing", { body: JSON.stringify({ email: EMAIL }), origin: "same" }],
    ["a NUL in a string", { body: '{"email":"lane@example.com","password":"\\u0000"}', origin: "same" }],
  ])("refuses %s as the route does", async (_, init) => {
    const [viaLane, viaRoute] = await both(init);
    expect(viaLane!.status).toBeGreaterThanOrEqual(400);
    expect(viaLane).toEqual(viaRoute);
  });

  it("answers a correct password with { ok: true } and the pending sign-in's cookie", async () => {
    const res = await fetch(`${base}${PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base },
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith(`${FLOW_COOKIE}=`));
    expect(cookie).toMatch(/HttpOnly/i);
    const flow = await flowByToken(cookie!.slice(FLOW_COOKIE.length + 1).split(";")[0]!);
    expect(flow).toMatchObject({ email: EMAIL });
    expect(flow?.passwordVerifiedAt).toBeTruthy();
  });

  it("hands a plain form post to the route's handler: a 303 back to the sign-in page", async () => {
    const res = await fetch(`${base}${PATH}`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
      body: new URLSearchParams({ email: EMAIL, password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((c) => c.startsWith(`${FLOW_COOKIE}=`))).toBe(true);
  });
});
