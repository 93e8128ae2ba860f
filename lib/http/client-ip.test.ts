import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTrustProxy, readStamp, resolveClientIp, STAMP_HEADERS } from "./client-ip";
import { requestContextFrom } from "./request-context";
import { createStampingServer } from "./stamping-server";

describe("resolveClientIp", () => {
  const cases: [string, string | undefined, string | undefined, string | null][] = [
    // TRUST_PROXY, socket, X-Forwarded-For, client
    ["false", "203.0.113.9", undefined, "203.0.113.9"],
    ["false", "203.0.113.9", "1.2.3.4", "203.0.113.9"], // forged header ignored
    ["", "::ffff:203.0.113.9", "1.2.3.4, 5.6.7.8", "203.0.113.9"],
    ["1", "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"], // one proxy: its entry, not the forged one
    ["1", "10.0.0.2", undefined, "10.0.0.2"],
    ["2", "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3", "198.51.100.7"],
    ["10.0.0.0/8", "10.0.0.2", "1.2.3.4, 198.51.100.7", "198.51.100.7"],
    ["10.0.0.0/8", "10.0.0.2", "1.2.3.4, 198.51.100.7, 10.1.1.1", "198.51.100.7"],
    ["10.0.0.0/8", "203.0.113.9", "1.2.3.4", "203.0.113.9"], // not from our proxy: header ignored
    ["10.0.0.0/8, ::1", "::1", "2001:db8::1", "2001:db8::1"],
    ["10.0.0.0/8", "10.0.0.2", "not-an-ip, 198.51.100.7", "198.51.100.7"],
    ["10.0.0.0/8", "10.0.0.2", "198.51.100.7, garbage", "10.0.0.2"], // a bad entry stops the walk
    ["true", "10.0.0.2", "1.2.3.4, 198.51.100.7", "1.2.3.4"], // every hop is ours: left-most
    ["false", undefined, "1.2.3.4", null],
  ];
  it.each(cases)("TRUST_PROXY=%j socket=%s XFF=%j → %s", (trust, socket, xff, expected) => {
    expect(resolveClientIp(socket, xff, parseTrustProxy(trust))).toBe(expected);
  });

  it("refuses a TRUST_PROXY it cannot read", () => {
    expect(() => parseTrustProxy("10.0.0.0/99")).toThrow();
    expect(() => parseTrustProxy("my-proxy")).toThrow();
  });

  it("believes no stamp without this process's secret (e.g. under next dev)", () => {
    const headers = new Headers({ [STAMP_HEADERS.ip]: "1.2.3.4", [STAMP_HEADERS.proof]: "guess" });
    expect(readStamp(headers, undefined)).toBeNull();
    expect(readStamp(headers, "the-real-secret")).toBeNull();
    expect(requestContextFrom(headers).ip).toBeNull();
  });
});

describe("the stamping server over HTTP", () => {
  let url = "";
  const server = createStampingServer((req, res) => {
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify(requestContextFrom(headers)));
  }, parseTrustProxy("false"));
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("takes the socket address: forged X-Forwarded-For, stamp headers and request id change nothing", async () => {
    const res = await fetch(url, {
      headers: {
        "x-forwarded-for": "1.2.3.4",
        "x-real-ip": "1.2.3.4",
        [STAMP_HEADERS.ip]: "5.6.7.8",
        [STAMP_HEADERS.proof]: "forged",
        [STAMP_HEADERS.requestId]: "mine",
        "x-request-id": "client-chosen-id",
      },
    });
    const context = await res.json();
    expect(context.ip).toBe("127.0.0.1");
    expect(context.requestId).not.toBe("mine");
    expect(context.requestId).not.toBe("client-chosen-id");
    expect(context.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.clientRequestId).toBe("client-chosen-id");
  });
});
