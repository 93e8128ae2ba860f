import type { z } from "zod";

/** What a failed validation tells a person: one sentence for a toast, one per field for a form. */
export interface PlainIssues {
  message: string;
  /** Field path (`autoJoinDomains.1`) → a message naming the bad value; `_` for the input as a whole. */
  fields: Record<string, string>;
}

/** Field names whose values are never repeated back (they could be secrets typed in the wrong box). */
const SECRET = /pass(word)?|secret|token|code|key|otp|totp|credential/i;
const MAX_SHOWN = 40;

const ORDINAL = (n: number) => `entry ${n + 1}`;

/** `autoJoinDomains` → `auto-join domains`-ish words: `auto join domains`. */
function words(key: string): string {
  return key
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .trim();
}

function capitalise(s: string) {
  return s ? s[0]!.toUpperCase() + s.slice(1) : s;
}

/** `["autoJoinDomains", 1]` → `Auto join domains, entry 2`; `[]` → `The input`. */
export function fieldName(path: readonly PropertyKey[], labels: Record<string, string> = {}): string {
  if (path.length === 0) return "The input";
  const parts: string[] = [];
  for (const [i, key] of path.entries()) {
    if (typeof key === "number") parts.push(ORDINAL(key));
    else if (i === 0) parts.push(labels[String(key)] ?? capitalise(words(String(key))));
    else parts.push(String(key));
  }
  return parts.join(", ");
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[key as never];
  }
  return v;
}

/** A short, quoted rendering of a value the person sent, or null when it should not be shown. */
function shown(value: unknown, path: readonly PropertyKey[]): string | null {
  if (path.some((k) => typeof k === "string" && SECRET.test(k))) return null;
  if (typeof value === "string") {
    if (!value.trim()) return null;
    const s = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
    return `“${s}”`;
  }
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

const DEFAULT_MESSAGE = /^(Invalid input|Invalid option|Too small|Too big|Invalid string|Invalid \w+ address|Invalid (url|uuid|date|datetime|email)|Unrecognized key|Invalid$)/i;

function describeType(expected: string) {
  switch (expected) {
    case "string":
      return "text";
    case "int":
      return "a whole number";
    case "number":
      return "a number";
    case "boolean":
      return "true or false";
    case "array":
      return "a list";
    case "object":
      return "an object";
    default:
      return expected;
  }
}

/** Plain words for one issue (the schema's own message when it wrote one). */
function plainMessage(issue: z.core.$ZodIssue, value: unknown): string {
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  const i = issue as z.core.$ZodIssue & Record<string, unknown>;
  switch (issue.code) {
    case "invalid_type":
      return value === undefined ? "is missing" : `must be ${describeType(String(i.expected))}`;
    case "invalid_value": {
      const values = (i.values as unknown[] | undefined) ?? [];
      return values.length === 1 ? `must be ${String(values[0])}` : `must be one of ${values.map(String).join(", ")}`;
    }
    case "too_small": {
      const min = Number(i.minimum);
      if (i.origin === "string") return min <= 1 ? "cannot be empty" : `must be at least ${min} characters`;
      if (i.origin === "array" || i.origin === "set") return min <= 1 ? "needs at least one entry" : `needs at least ${min} entries`;
      return `must be at least ${min}`;
    }
    case "too_big": {
      const max = Number(i.maximum);
      if (i.origin === "string") return `must be at most ${max} characters`;
      if (i.origin === "array" || i.origin === "set") return `can have at most ${max} entries`;
      return `must be at most ${max}`;
    }
    case "invalid_format": {
      const format = String(i.format);
      if (format === "email") return "is not an email address";
      if (format === "url") return "is not a URL";
      if (format === "regex") return "has characters or a shape that is not allowed";
      return `is not a valid ${format}`;
    }
    case "unrecognized_keys": {
      const keys = (i.keys as string[] | undefined) ?? [];
      return `has ${keys.length === 1 ? "a field" : "fields"} we do not know: ${keys.join(", ")}`;
    }
    default:
      return "is not valid";
  }
}

/** Whether a message reads as a sentence of its own ("Enter a domain…") rather than a predicate ("is missing"). */
const isSentence = (m: string) => /^[A-Z“"]/.test(m);

/**
 * Turn zod issues into plain words that name the field and the value that was wrong, e.g.
 * `Auto join domains, entry 2 “not a domain”: Enter a domain like example.com.` instead of
 * `autoJoinDomains.1: Enter a domain…`. Values of fields that may hold secrets are never echoed.
 */
export function plainIssues(error: z.ZodError, input: unknown, labels: Record<string, string> = {}): PlainIssues {
  const fields: Record<string, string> = {};
  const sentences: string[] = [];
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_";
    if (key in fields) continue;
    const value = valueAt(input, issue.path);
    const message = plainMessage(issue, value);
    const quoted = value === undefined ? null : shown(value, issue.path);
    const name = fieldName(issue.path, labels);
    const subject = quoted ? `${name} ${quoted}` : name;
    if (isSentence(message)) {
      fields[key] = quoted ? `${quoted}: ${message}` : message;
      sentences.push(`${subject}: ${message}`);
    } else {
      fields[key] = quoted ? `${quoted} ${message}` : capitalise(message);
      sentences.push(`${subject} ${message}`);
    }
  }
  const message = sentences.map((s) => (/[.!?…]$/.test(s) ? s : `${s}.`)).join(" ");
  return { message: message || "The input is not valid.", fields };
}
