import "server-only";
import { NextRequest } from "next/server";
import type { z } from "zod";
import { AppError, badRequest, invalidInput } from "@/lib/errors";
import { fieldName, plainIssues } from "@/lib/validation/issues";
import { assertCleanStrings } from "./clean-strings";

/** Default limit of a JSON or form body. */
export const MAX_JSON_BYTES = 64 * 1024;

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;
const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

/**
 * Validate `value` or throw a 400 whose message names, in plain words, each field that is wrong and
 * the value it had (see plainIssues); `fields` maps each field path to its own message, for forms.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const { message, fields } = plainIssues(parsed.error, value);
  throw invalidInput(message, fields);
}

function requireType(req: { headers: Headers }, type: RegExp, hint: string) {
  if (!type.test(req.headers.get("content-type") ?? "")) {
    throw new AppError(415, "unsupported_media_type", `Send the body as ${hint}.`);
  }
}

const tooLarge = (maxBytes: number) =>
  new AppError(413, "payload_too_large", `The body is larger than ${maxBytes} bytes.`);

/** No route takes a larger body (the largest per-route limit, /api/mcp's). */
export const MAX_ANY_BODY_BYTES = 1024 * 1024;

/**
 * 413 when the declared Content-Length is over `maxBytes`, before a byte is read (route() checks
 * every request against MAX_ANY_BODY_BYTES). The stream is touched so that Node.js does not drain
 * the unread rest after the answer either: the connection stays paused until the client gives up.
 */
export function refuseDeclaredOver(req: Request, maxBytes = MAX_ANY_BODY_BYTES): void {
  if (!(Number(req.headers.get("content-length")) > maxBytes)) return;
  if (req.body && !req.bodyUsed && !req.body.locked) void req.body.getReader().read().catch(() => {});
  throw tooLarge(maxBytes);
}

/**
 * The raw body, at most `maxBytes`: 413 from the declared Content-Length before a byte is read, and
 * 413 as soon as a streamed (chunked) body passes the limit. What is left is never pulled: the
 * connection stays paused (no cancel, which would destroy the socket before the 413 is written) and
 * the client, seeing the 413, stops sending.
 */
export async function readBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  refuseDeclaredOver(req, maxBytes);
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        reader.releaseLock();
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw badRequest("The body could not be read to its end.", "body_aborted");
  }
  return Buffer.concat(chunks);
}

/** The body as UTF-8 text (400 if it is not valid UTF-8), at most `maxBytes`. */
export async function readText(req: Request, maxBytes: number): Promise<string> {
  return utf8(await readBytes(req, maxBytes));
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw badRequest("The body is not valid UTF-8.", "invalid_encoding");
  }
}

/**
 * A JSON body, parsed but not validated: 415 if it is not JSON, 413 if it is too large, 400 if it
 * does not parse or any string in it (value or key) holds a NUL or a lone UTF-16 surrogate.
 */
export async function readJsonValue(req: Request, maxBytes = MAX_JSON_BYTES): Promise<unknown> {
  requireType(req, JSON_TYPE, JSON_HINT);
  return parseJsonText(await readText(req, maxBytes));
}

const JSON_HINT = "JSON (Content-Type: application/json)";

/**
 * A JSON body already read by the caller (the production server's direct lane reads it off the
 * socket): the same refusals as readJsonValue — 415, 413 when `bytes` is over `maxBytes`, 400.
 */
export function parseJsonBytes(headers: Headers, bytes: Uint8Array, maxBytes: number): unknown {
  requireType({ headers }, JSON_TYPE, JSON_HINT);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return parseJsonText(utf8(bytes));
}

function parseJsonText(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON.", "invalid_json");
  }
  assertCleanStrings(value);
  return value;
}

/** A JSON body validated by `schema` (see readJsonValue for the refusals; 400 naming the wrong fields). */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = MAX_JSON_BYTES): Promise<z.infer<S>> {
  return validate(schema, await readJsonValue(req, maxBytes));
}

/** Whether the body is a plain HTML form post (`application/x-www-form-urlencoded`). */
export function isFormPost(req: Request): boolean {
  return isFormType(req.headers);
}

export function isFormType(headers: Headers): boolean {
  return FORM_TYPE.test(headers.get("content-type") ?? "");
}

/**
 * A form-encoded body: 415 if it is not `application/x-www-form-urlencoded`, 413 if it is too large,
 * 400 naming the field whose name or value holds a NUL.
 */
export async function readFormBody(req: Request, maxBytes = MAX_JSON_BYTES): Promise<URLSearchParams> {
  return (await readFormText(req, maxBytes)).form;
}

async function readFormText(req: Request, maxBytes: number) {
  requireType(req, FORM_TYPE, FORM_HINT);
  return parseFormText(await readText(req, maxBytes));
}

const FORM_HINT = "a form (Content-Type: application/x-www-form-urlencoded)";

/**
 * A form body already read by the caller (the production server's token lane reads it off the
 * socket): the same refusals as readFormBody — 415, 413 when `bytes` is over `maxBytes`, 400.
 */
export function parseFormBytes(headers: Headers, bytes: Uint8Array, maxBytes: number): URLSearchParams {
  requireType({ headers }, FORM_TYPE, FORM_HINT);
  if (bytes.byteLength > maxBytes) throw tooLarge(maxBytes);
  return parseFormText(utf8(bytes)).form;
}

function parseFormText(text: string) {
  const form = new URLSearchParams();
  for (const pair of text.split("&")) {
    if (!pair) continue;
    const at = pair.indexOf("=");
    const name = decodeFormPart(at < 0 ? pair : pair.slice(0, at), "_");
    form.append(name, decodeFormPart(at < 0 ? "" : pair.slice(at + 1), name));
  }
  for (const [name, value] of form) assertCleanStrings({ [name]: value });
  return { text, form };
}

/**
 * One name or value of a form (as URLSearchParams does it), except that percent-escapes which are
 * not UTF-8 (e.g. %ED%A0%80, a lone surrogate) are a 400 naming the field, not silently U+FFFD.
 */
function decodeFormPart(raw: string, field: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " ").replace(/%(?![0-9a-f]{2})/gi, "%25"));
  } catch {
    throw invalidInput(`${fieldName(field === "_" ? [] : [field])} is not UTF-8 text.`, { [field]: "is not UTF-8 text" });
  }
}

/**
 * The same request with its form body read and checked as by readFormBody, for handlers that parse
 * the body themselves (Auth.js).
 */
export async function withCheckedForm(req: NextRequest, maxBytes = MAX_JSON_BYTES): Promise<NextRequest> {
  const { text } = await readFormText(req, maxBytes);
  const headers = new Headers(req.headers);
  headers.delete("content-length");
  return new NextRequest(req.url, { method: req.method, headers, body: text });
}
