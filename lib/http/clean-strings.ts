import { invalidInput } from "@/lib/errors";
import { fieldName } from "@/lib/validation/issues";

// A NUL, or a UTF-16 surrogate without its pair: neither can be stored in a Postgres text column
// nor round-trips through UTF-8, so they are refused at the edge instead of failing deep inside.
const NUL = "\u0000";
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function problem(s: string): string | null {
  if (s.includes(NUL)) return "must not contain a NUL character (\\u0000)";
  if (LONE_SURROGATE.test(s)) return "must not contain an unpaired UTF-16 surrogate";
  return null;
}

/**
 * Throw a 400 naming the first field (path like `cells.0.permissionId`; `_` for the whole body)
 * whose string value or key holds a NUL or a lone surrogate. Iterative, so any nesting depth
 * JSON.parse accepts is walked without overflowing the stack.
 */
export function assertCleanStrings(value: unknown): void {
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === "string") {
      const why = problem(v);
      if (why) fail(path || "_", why);
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, path ? `${path}.${i}` : String(i)]));
    } else if (v && typeof v === "object") {
      for (const [key, item] of Object.entries(v)) {
        const keyWhy = problem(key);
        const name = keyWhy ? JSON.stringify(key) : key;
        const at = path ? `${path}.${name}` : name;
        if (keyWhy) fail(at, `the field name ${keyWhy}`);
        stack.push([item, at]);
      }
    }
  }
}

function fail(field: string, why: string): never {
  const path = field === "_" ? [] : field.split(".").map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  throw invalidInput(`${fieldName(path)} ${why}.`, { [field]: why });
}
