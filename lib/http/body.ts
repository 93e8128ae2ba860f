import "server-only";
import type { z } from "zod";
import { AppError, badRequest, invalidInput } from "@/lib/errors";

export const MAX_JSON_BYTES = 64 * 1024;

/** Field path → first message, for forms. */
export function zodFields(error: z.ZodError): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.join(".") : "_";
    fields[key] ??= issue.message;
  }
  return fields;
}

/** Validate `value` or throw a 400 naming the fields that are wrong. */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const fields = zodFields(parsed.error);
  const summary = Object.entries(fields)
    .map(([k, v]) => (k === "_" ? v : `${k}: ${v}`))
    .join("; ");
  throw invalidInput(`Invalid input — ${summary}`, fields);
}

/**
 * Read a JSON body: 415 if it is not JSON, 413 if it is too large (checked while reading, not only
 * by Content-Length), 400 if it does not parse or does not match `schema`.
 */
export async function readJson<S extends z.ZodType>(req: Request, schema: S, maxBytes = MAX_JSON_BYTES): Promise<z.infer<S>> {
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new AppError(415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json).");
  }
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readLimited(req, maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badRequest("The body is not valid JSON.", "invalid_json");
  }
  return validate(schema, value);
}

function tooLarge(maxBytes: number) {
  return new AppError(413, "payload_too_large", `The body is larger than ${maxBytes} bytes.`);
}

async function readLimited(req: Request, maxBytes: number): Promise<string> {
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}

/** Whether the body is a plain HTML form post (`application/x-www-form-urlencoded`). */
export function isFormPost(req: Request): boolean {
  return /^application\/x-www-form-urlencoded\b/i.test(req.headers.get("content-type") ?? "");
}

/** Read a form-encoded body: 413 if it is too large (checked while reading). */
export async function readFormBody(req: Request, maxBytes = MAX_JSON_BYTES): Promise<URLSearchParams> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw tooLarge(maxBytes);
  return new URLSearchParams(await readLimited(req, maxBytes));
}
