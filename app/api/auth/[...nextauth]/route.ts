// Auth.js endpoints: sign-in callbacks, session, CSRF token, sign-out
import type { NextRequest } from "next/server";
import { handlers } from "@/lib/auth";
import { withCheckedForm } from "@/lib/http/body";
import { errorResponse } from "@/lib/http/route";

export const { GET } = handlers;

// POST /api/auth/… — Auth.js form posts (sign-in callback, sign-out), read under the body limits first
export async function POST(req: NextRequest): Promise<Response> {
  let checked: NextRequest;
  try {
    checked = await withCheckedForm(req, 16 * 1024);
  } catch (err) {
    return errorResponse(err);
  }
  return handlers.POST(checked);
}
