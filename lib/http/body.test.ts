import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toErrorBody } from "@/lib/errors";
import { readJson } from "./body";

const schema = z.object({ name: z.string().min(2), count: z.number().int() }).strict();
const req = (body: string, type = "application/json", headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body, headers: { "content-type": type, ...headers } });

async function errorOf(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    return toErrorBody(err);
  }
  throw new Error("expected an error");
}

describe("readJson", () => {
  it("parses a valid body", async () => {
    expect(await readJson(req('{"name":"ok","count":2}'), schema)).toEqual({ name: "ok", count: 2 });
  });

  it.each([
    ["not JSON", req("{nope"), 400, "invalid_json"],
    ["wrong types", req('{"name":5,"count":"2"}'), 400, "invalid_input"],
    ["unknown fields", req('{"name":"ok","count":1,"extra":1}'), 400, "invalid_input"],
    ["not an object", req("[]"), 400, "invalid_input"],
    ["wrong content type", req('{"name":"ok","count":2}', "text/plain"), 415, "unsupported_media_type"],
    ["too large", req(JSON.stringify({ name: "x".repeat(70_000), count: 1 })), 413, "payload_too_large"],
    ["too large by header", req("{}", "application/json", { "content-length": "999999" }), 413, "payload_too_large"],
  ])("refuses %s with a 4xx and the error shape", async (_, request, status, code) => {
    const { status: s, body } = await errorOf(readJson(request, schema));
    expect(s).toBe(status);
    expect(body.error.code).toBe(code);
    expect(body.error.message.length).toBeGreaterThan(5);
  });

  it("names the fields that are wrong", async () => {
    const { body } = await errorOf(readJson(req('{"name":"x","count":1.5}'), schema));
    expect(Object.keys(body.error.fields ?? {}).sort()).toEqual(["count", "name"]);
  });
});

describe("toErrorBody", () => {
  it("maps client-caused database errors to 4xx and hides everything else", () => {
    expect(toErrorBody(Object.assign(new Error("dup"), { code: "23505" })).status).toBe(409);
    expect(toErrorBody({ message: "wrapped", cause: { code: "22P02" } }).status).toBe(400);
    const hidden = toErrorBody(new Error("connection string postgres://secret"));
    expect(hidden.status).toBe(500);
    expect(JSON.stringify(hidden.body)).not.toContain("secret");
    expect(toErrorBody(new AppError(409, "wrong_state", "Not now")).body).toEqual({ error: { code: "wrong_state", message: "Not now" } });
  });
});
