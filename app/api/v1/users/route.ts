import { z } from "zod";
import { notFound } from "@/lib/errors";
import { withApiKey } from "@/lib/http/api-key";
import { validate } from "@/lib/http/body";
import { json } from "@/lib/http/route";
import { lookupUser } from "@/lib/users/lookup";

// GET /api/v1/users?user=<id or email> — a user and their orgs (platform API key)
export const GET = withApiKey(async ({ req }) => {
  const user = validate(z.string().min(3).max(320), new URL(req.url).searchParams.get("user"));
  const found = await lookupUser(user);
  if (!found) throw notFound("No such user.");
  return json(found);
});
