import { expect, test } from "./fixtures";

// The served app (scripts/server.ts) takes the client IP from the socket: a forged
// X-Forwarded-For cannot buy a fresh budget per request.
test("a forged X-Forwarded-For changes nothing: the sixth wrong password from this client is refused", async ({ request, baseURL }) => {
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await request.post("/api/login/password", {
      headers: { origin: baseURL!, "x-forwarded-for": `203.0.113.${i + 1}`, "x-gatehouse-client-ip": `198.51.100.${i + 1}` },
      data: { email: "forged-ip@xcorp.example", password: `guess number ${i}` },
    });
    statuses.push(res.status());
    expect(res.headers()["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
});
