import { type APIRequestContext, expect, test } from "@playwright/test";
import { latestMail, linkIn } from "./pages/mailbox";

const baseURL = `http://localhost:${process.env.E2E_PORT ?? 3100}`;
const headers = { origin: baseURL };

async function browserLike(playwright: { request: { newContext: (o: object) => Promise<APIRequestContext> } }) {
  return playwright.request.newContext({ baseURL, extraHTTPHeaders: headers, storageState: { cookies: [], origins: [] } });
}

test.describe("sign-in steps over HTTP", () => {
  test("every step called out of order gets 409 and changes nothing", async ({ playwright }) => {
    const api = await browserLike(playwright);
    const calls: [string, object][] = [
      ["resend", {}],
      ["change-email", { email: "x@example.com" }],
      ["update-password", { password: "a fine long passphrase" }],
      ["properties", { values: { name: "X" } }],
      ["mfa/enroll", {}],
      ["mfa/confirm", { code: "123456" }],
      ["mfa/verify", { code: "123456" }],
      ["join", { createOrg: { name: "Sneaky Org" } }],
      ["complete", {}],
    ];
    for (const [step, data] of calls) {
      const res = await api.post(`/api/login/${step}`, { data });
      expect(res.status(), step).toBe(409);
      expect((await res.json()).error.code, step).toBe("wrong_state");
    }
    // A fresh sign-up is waiting for its email: later steps are still refused.
    const email = `ooo-${Date.now()}@example.com`;
    expect((await api.post("/api/login/signup", { data: { email, password: "plum-tractor-violet-41" } })).status()).toBe(200);
    expect((await (await api.get("/api/login/state")).json()).state).toBe("EMAIL_NOT_CONFIRMED_YET");
    for (const [step, data] of calls.filter(([s]) => !["resend", "change-email"].includes(s))) {
      expect((await api.post(`/api/login/${step}`, { data })).status(), step).toBe(409);
    }
    expect((await (await api.get("/api/login/state")).json()).state).toBe("EMAIL_NOT_CONFIRMED_YET");
    await api.dispose();
  });

  test("an email confirmation link redeemed by 20 simultaneous requests works exactly once", async ({ playwright, request }) => {
    const api = await browserLike(playwright);
    const email = `race-${Date.now()}@example.com`;
    await api.post("/api/login/signup", { data: { email, password: "plum-tractor-violet-41" } });
    const token = linkIn((await latestMail(request, email, "email.confirm")).text).split("/").pop()!;
    const results = await Promise.all(Array.from({ length: 20 }, () => api.post("/api/login/confirm-email", { data: { token } })));
    const statuses = results.map((r) => r.status()).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 410)).toHaveLength(19);
    expect((await (await api.get("/api/login/state")).json()).state).toBe("USER_MISSING_REQUIRED_PROPERTIES");
    await api.dispose();
  });

  test("a sign-up with a taken address answers exactly like a new one", async ({ playwright }) => {
    const api = await browserLike(playwright);
    const taken = await api.post("/api/login/signup", { data: { email: "member@xcorp.example", password: "plum-tractor-violet-41" } });
    const takenState = await (await api.get("/api/login/state")).json();
    const api2 = await browserLike(playwright);
    const fresh = await api2.post("/api/login/signup", { data: { email: `fresh-${Date.now()}@example.com`, password: "plum-tractor-violet-41" } });
    const freshState = await (await api2.get("/api/login/state")).json();
    expect(taken.status()).toBe(fresh.status());
    expect(await taken.json()).toEqual(await fresh.json());
    expect(takenState.state).toBe(freshState.state);
    await api.dispose();
    await api2.dispose();
  });

  test("cross-site sign-in posts are refused (no login CSRF)", async ({ playwright }) => {
    const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { origin: "https://evil.example" } });
    const res = await api.post("/api/login/password", { data: { email: "member@xcorp.example", password: "gatehouse-demo-2026" } });
    expect(res.status()).toBe(403);
    await api.dispose();
  });
});
