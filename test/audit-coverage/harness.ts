import path from "node:path";
import { NextRequest } from "next/server";
import { ROOT } from "./discover";

export const ORIGIN = "http://localhost:3000";

type Handler = (req: NextRequest, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

/** The exported value an entry key names. */
export async function loadEntry(key: string): Promise<unknown> {
  const [file, name] = key.split(" ") as [string, string];
  const mod = (await import(path.join(ROOT, file))) as Record<string, unknown>;
  return mod[name];
}

/** Call a route handler like Next.js would, as a same-origin browser request. */
export async function callRoute(
  handler: unknown,
  pathAndQuery: string,
  init: { method: string; params?: Record<string, string>; json?: unknown; headers?: Record<string, string>; body?: BodyInit },
): Promise<Response> {
  const req = new NextRequest(`${ORIGIN}${pathAndQuery}`, {
    method: init.method,
    headers: {
      origin: ORIGIN,
      host: "localhost:3000",
      ...(init.json !== undefined ? { "content-type": "application/json" } : {}),
      ...init.headers,
    },
    body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
  });
  return (handler as Handler)(req, { params: Promise.resolve(init.params ?? {}) });
}
