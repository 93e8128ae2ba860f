import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError, toErrorBody } from "@/lib/errors";
import { countingBody, HUNDRED_MB } from "@/test/counting-body";
import { parseJsonBytes, readBytes, readFormBody, readJson, readJsonValue } from "./body";
import { assertCleanStrings } from "./clean-strings";

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

const streamed = (stream: ReadableStream<Uint8Array>, type: string, headers: Record<string, string> = {}) =>
  new Request("http://localhost/x", { method: "POST", body: stream, headers: { "content-type": type, ...headers }, duplex: "half" } as RequestInit);

describe("reading a body under its limit", () => {
  it("refuses a declared 100 MB body without pulling a byte", async () => {
    const { stream, counter } = countingBody(HUNDRED_MB);
    const { status, body } = await errorOf(readBytes(streamed(stream, "application/json", { "content-length": String(HUNDRED_MB) }), 64 * 1024));
    expect([status, body.error.code]).toEqual([413, "payload_too_large"]);
    expect(counter.pulled).toBeLessThanOrEqual(64 * 1024); // one chunk, so that Node.js leaves the rest unread
  });

  it.each([
    ["JSON", (r: Request) => readJsonValue(r), "application/json"],
    ["form", (r: Request) => readFormBody(r), "application/x-www-form-urlencoded"],
  ])("refuses a chunked 100 MB %s body after pulling little more than the limit", async (_, read, type) => {
    const { stream, counter } = countingBody(HUNDRED_MB);
    const { status, body } = await errorOf(read(streamed(stream, type)));
    expect([status, body.error.code]).toEqual([413, "payload_too_large"]);
    await new Promise((r) => setTimeout(r, 20));
    // The limit and the chunk that crossed it; nothing after.
    expect(counter.pulled).toBeGreaterThan(MAX);
    expect(counter.pulled).toBeLessThanOrEqual(MAX + 64 * 1024);
  });

  it("reads a body of exactly the limit", async () => {
    const { stream } = countingBody(1000, 100);
    expect((await readBytes(streamed(stream, "text/plain"), 1000)).byteLength).toBe(1000);
  });
});

const MAX = 64 * 1024;

describe("strings in bodies", () => {
  it.each([
    ['{"name":"a\\u0000b","count":1}', "name", "Name must not contain a NUL"],
    ['{"name":"ok","count":1,"tags":["x","\\ud800"]}', "tags.1", "Tags, entry 2 must not contain an unpaired"],
    ['{"a":{"b":[{"c":"\\udc00x"}]}}', "a.b.0.c", "A, b, entry 1, c must not"],
    ['{"k\\u0000":1}', '"k\\u0000"', "the field name must not contain a NUL"],
    ['"\\u0000"', "_", "The input must not contain a NUL"],
  ])("refuses %s naming %s", async (json, field, words) => {
    const { status, body } = await errorOf(readJsonValue(req(json)));
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_input");
    expect(Object.keys(body.error.fields ?? {})).toEqual([field]);
    expect(body.error.message).toContain(words);
  });

  it("accepts paired surrogates (emoji) and other control-free text", async () => {
    expect(await readJsonValue(req('{"name":"\\ud83d\\ude00 ok"}'))).toEqual({ name: "😀 ok" });
  });

  it("refuses invalid UTF-8 bytes", async () => {
    const bad = new Request("http://localhost/x", { method: "POST", body: new Uint8Array([0x22, 0xff, 0x22]), headers: { "content-type": "application/json" } });
    expect((await errorOf(readJsonValue(bad))).body.error.code).toBe("invalid_encoding");
  });

  it("walks deep nesting without overflowing the stack", () => {
    const deep = JSON.parse("[".repeat(20_000) + '"\\u0000"' + "]".repeat(20_000));
    expect(() => assertCleanStrings(deep)).toThrow(/NUL/);
  });

  it("refuses a NUL in a form field, and a form body that is not a form", async () => {
    const form = (body: string, type = "application/x-www-form-urlencoded") => readFormBody(req(body, type));
    const nul = await errorOf(form("grant_type=x&code=a%00b"));
    expect([nul.status, Object.keys(nul.body.error.fields ?? {})]).toEqual([400, ["code"]]);
    expect((await errorOf(form("{}", "application/json"))).status).toBe(415);
    expect((await errorOf(form("a=b", "multipart/form-data; boundary=x"))).status).toBe(415);
    expect(Object.fromEntries(await form("a=1&b=%C3%A9&c=x+y%2By&d=50%zz&e"))).toEqual({ a: "1", b: "é", c: "x y+y", d: "50%zz", e: "" });
    const latin1 = await errorOf(form("name=caf%E9"));
    expect([latin1.status, Object.keys(latin1.body.error.fields ?? {})]).toEqual([400, ["name"]]);
  });
});

describe("parseJsonBytes (a body the direct lane read)", () => {
  it.each([
    ["valid", '{"name":"ok","count":2}', "application/json"],
    ["not JSON", "{nope", "application/json"],
    ["a NUL in a key", '{"a\\u0000":1}', "application/json"],
    ["not UTF-8", "\xff", "application/json"],
    ["wrong content type", "{}", "text/plain"],
    ["too large", JSON.stringify({ name: "x".repeat(70_000) }), "application/json"],
  ])("%s: as readJsonValue", async (_, body, type) => {
    const bytes = Buffer.from(body, body === "\xff" ? "latin1" : "utf8");
    const lane = (() => {
      try {
        return { value: parseJsonBytes(new Headers({ "content-type": type }), bytes, 64 * 1024) };
      } catch (err) {
        return toErrorBody(err);
      }
    })();
    const route = await readJsonValue(new Request("http://localhost/x", { method: "POST", body: bytes, headers: { "content-type": type } })).then(
      (value) => ({ value }),
      (err: unknown) => toErrorBody(err),
    );
    expect(lane).toEqual(route);
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
