// The direct lane: the production server (scripts/server.ts) answers a few hot machine-to-machine
// endpoints itself instead of handing them to Next.js. Next's per-request machinery (routing, the
// request and response adapters) costs more CPU than these endpoints' own work; each answer comes from
// the same function as the endpoint's Next route, so `next dev`, `DIRECT_LANE=off` and the lane agree.
// Loaded after Next has started, so the database, the key caches and the audit sequencer are the ones
// Next's bundles opened (on globalThis).
import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { NextRequest } from "next/server";
import { AppError, toErrorBody } from "@/lib/errors";
import { answerPasswordJson } from "@/lib/login-flow/password-http";
import { answerTokenForm, MAX_FORM_BYTES } from "@/lib/oauth/token-http";
import { answerValidate, MAX_VALIDATE_BYTES } from "@/lib/user-api-keys/validate-http";
import { type Answer, isAnswer, jsonAnswer } from "./answer";
import { isFormType, MAX_ANY_BODY_BYTES, MAX_JSON_BYTES, parseFormBytes, parseJsonBytes } from "./body";
import { withLaneCookies } from "./cookie-jar";
import { type RequestContext, requestContextFrom } from "./request-context";
import { STATIC_HEADERS } from "./security-headers";
import type { NextHandler } from "./route";

/**
 * One endpoint on the lane: its body read to at most `maxBodyBytes + 1` bytes, answered as its route
 * answers. `path` may hold `[name]` segments, as the route's folder does; `target` is the request's
 * path and query string.
 */
export type LaneRoute = {
  method: "GET" | "POST";
  path: string;
  maxBodyBytes: number;
  answer: (headers: Headers, body: () => Promise<Buffer>, context: RequestContext, target: string) => Promise<Response | Answer>;
};

/**
 * A Next route handler answered on the lane: called with a NextRequest built from the bytes read (a
 * GET: from its query string; handlers read `req.nextUrl`) and the path's `[name]` segments as its
 * params, its cookies (lib/http/cookie-jar.ts) turned into Set-Cookie headers. The handler's own
 * wrapper (lib/http/route.ts) checks session, origin and body and maps errors, exactly as under Next;
 * its answer is taken before it is made a Response (`NextHandler.answer`).
 */
function routeHandler(path: string, load: () => Promise<NextHandler>, maxBodyBytes = MAX_JSON_BYTES, method: LaneRoute["method"] = "POST"): LaneRoute {
  let handler: Promise<NextHandler> | null = null;
  return {
    method,
    path,
    maxBodyBytes,
    answer: async (headers, body, _context, target) => {
      const url = `http://${headers.get("host") ?? "localhost"}${method === "GET" ? target : path}`;
      const request = new NextRequest(url, method === "GET" ? { method, headers } : { method, headers, body: new Uint8Array(await body()) });
      const params = matchPath(path, request.nextUrl.pathname) ?? {};
      const cookies = new Headers();
      const response = await withLaneCookies(headers, cookies, async () => {
        const handle = await (handler ??= load());
        return (handle.answer ?? handle)(request, { params: Promise.resolve(params) });
      });
      for (const cookie of cookies.getSetCookie()) response.headers.append("Set-Cookie", cookie);
      return response;
    },
  };
}

const ROUTES: LaneRoute[] = [
  {
    // OAuth 2.1 token endpoint (app/oauth/token/route.ts): every agent's refresh.
    method: "POST",
    path: "/oauth/token",
    maxBodyBytes: MAX_FORM_BYTES,
    answer: (headers, body, context) => answerTokenForm(headers, async () => parseFormBytes(headers, await body(), MAX_FORM_BYTES), context),
  },
  {
    // API key validation (app/api/v1/api-keys/validate/route.ts): the product's backend, on each of its requests.
    method: "POST",
    path: "/api/v1/api-keys/validate",
    maxBodyBytes: MAX_VALIDATE_BYTES,
    answer: (headers, body, context) => answerValidate(headers, async () => parseJsonBytes(headers, await body(), MAX_VALIDATE_BYTES), context),
  },
  passwordStep(),
  // The audit explorer's page (tenant admins, support staff): every filter change and every page.
  routeHandler("/api/orgs/[slug]/audit", async () => (await import("@/app/api/orgs/[slug]/audit/route")).GET, 0, "GET"),
  routeHandler("/api/audit", async () => (await import("@/app/api/audit/route")).GET, 0, "GET"),
];

/**
 * The params of `path` under a route `pattern` whose `[name]` segments match any one segment
 * (decoded, as Next decodes them), or null when it does not match (Next answers then).
 */
function matchPath(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const value = got[i]!;
    if (segment.startsWith("[") && segment.endsWith("]")) {
      if (!value || value === "." || value === "..") return null; // empty or dot segments: Next's to answer
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch {
        return null; // malformed escapes: Next's to answer
      }
    } else if (segment !== value) {
      return null;
    }
  }
  return params;
}

/**
 * The sign-in kit's password step: every sign-in, an argon2id verify plus one statement. JSON (the
 * kit's pages) is answered here; a plain form post (no JavaScript) goes to the route's own handler.
 */
function passwordStep(): LaneRoute {
  const form = routeHandler("/api/login/password", async () => (await import("@/app/api/login/password/route")).POST);
  return {
    ...form,
    answer: (headers, body, context, target) => (isFormType(headers) ? form.answer(headers, body, context, target) : answerPasswordJson(headers, body, context)),
  };
}

/** The lane route for this request (method and path, any query string), or null: Next answers it. */
export function laneRouteFor(req: IncomingMessage): LaneRoute | null {
  if (!req.url) return null;
  const q = req.url.indexOf("?");
  const path = q < 0 ? req.url : req.url.slice(0, q);
  return ROUTES.find((r) => r.method === req.method && matchPath(r.path, path)) ?? null;
}

export async function serveLaneRequest(route: LaneRoute, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const context = requestContextFrom(headers);
  let response: Response | Answer;
  try {
    // 413 on a declared length before reading anything, as every route does.
    if (Number(headers.get("content-length")) > MAX_ANY_BODY_BYTES) throw new AppError(413, "payload_too_large", `The body is larger than ${MAX_ANY_BODY_BYTES} bytes.`);
    // The body read here, at most one byte past the route's limit, refused as the route refuses it.
    response = await route.answer(headers, () => readAtMost(req, route.maxBodyBytes + 1), context, req.url ?? route.path);
  } catch (err) {
    const { status, body, headers: extra } = toErrorBody(err);
    response = jsonAnswer(body, { status, headers: { ...extra, "Cache-Control": "no-store" } });
  }
  response.headers.set("X-Request-Id", context.requestId);
  // What next.config.ts adds to every response Next answers.
  for (const { key, value } of STATIC_HEADERS) if (!response.headers.has(key)) response.headers.set(key, value);
  // The lane's own endpoints answer with plain data; a route handler's Response is read to its end.
  const body = isAnswer(response) ? Buffer.from(response.body) : Buffer.from(await response.arrayBuffer());
  response.headers.set("Content-Length", String(body.length));
  // A body not read to its end (refused as too large) is neither drained nor cut off: as on Next's
  // routes, the connection stays paused until the client, seeing the 413, gives up. Marking the
  // request as being consumed is what stops Node from reading the rest after the answer.
  if (!req.readableEnded) {
    req.read(0);
    req.pause();
  }
  // Headers as Node wants them; each Set-Cookie its own line (Headers would join them with commas).
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => void (name !== "set-cookie" && (out[name] = value)));
  const setCookies = response.headers.getSetCookie();
  if (setCookies.length) out["set-cookie"] = setCookies;
  res.writeHead(response.status, out);
  res.end(body);
}

/** Read a request body, stopping after `max` bytes (the rest is left unread, the stream paused). */
function readAtMost(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = () => {
      req.off("data", onData);
      req.off("end", done);
      req.off("error", reject);
      resolve(Buffer.concat(chunks, Math.min(size, max)));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= max) {
        req.pause();
        done();
      }
    };
    req.on("data", onData);
    req.on("end", done);
    req.on("error", reject);
  });
}
