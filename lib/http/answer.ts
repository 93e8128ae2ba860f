/**
 * An HTTP answer as plain data: status, headers and a finished body. The endpoints of the production
 * server's direct lane (lib/http/direct-lane.ts) build their answers as these: the lane writes one
 * straight to the socket, and under Next `route()` sends it as a Response (`toResponse`). A Web
 * Response costs more to build and to read back (its body is a stream) than a token refresh's own
 * JavaScript at one connection.
 */
export type Answer = { status: number; headers: Headers; body: string };

/** JSON, as `Response.json` sends it (`content-type: application/json`). */
export function jsonAnswer(body: unknown, init: { status?: number; headers?: HeadersInit } = {}): Answer {
  const headers = new Headers(init.headers);
  if (!headers.has("content-type")) headers.set("content-type", "application/json");
  return { status: init.status ?? 200, headers, body: JSON.stringify(body) };
}

export function isAnswer(value: Response | Answer): value is Answer {
  return !(value instanceof Response);
}

export function toResponse(answer: Response | Answer): Response {
  return isAnswer(answer) ? new Response(answer.body, { status: answer.status, headers: answer.headers }) : answer;
}
