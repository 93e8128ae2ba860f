import { NextResponse } from "next/server";
import { getEnv } from "@/lib/env";
import { notFound } from "@/lib/errors";
import { json, route } from "@/lib/http/route";
import { Registry } from "@/lib/registry/build";

let registry: Registry | undefined;

/** Built from the source files in the working directory, once per process (items are cached). */
function getRegistry(): Registry {
  registry ??= new Registry(process.cwd(), getEnv().APP_URL);
  return registry;
}

const PUBLIC = {
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=300",
};

// GET /r/registry.json, /r/<item>.json — the shadcn registry of the sign-in kit and console
// components (README "Sign-in kit across origins"). Public: source code, no credentials.
export const GET = route<{ name: string }>(async ({ params }) => {
  const file = params.name;
  if (!/^[a-z0-9-]+\.json$/.test(file)) throw notFound("No such registry item.");
  const name = file.slice(0, -".json".length);
  const reg = getRegistry();
  if (name === "registry") return json(reg.index(), { headers: PUBLIC });
  if (!reg.has(name)) throw notFound(`No registry item "${name}".`);
  return json(reg.item(name), { headers: PUBLIC });
});

export function OPTIONS() {
  return new NextResponse(null, { status: 204, headers: { ...PUBLIC, "Access-Control-Allow-Methods": "GET" } });
}
