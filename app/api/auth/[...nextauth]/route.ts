// Auth.js endpoints: sign-in callbacks, session, CSRF token, sign-out
import { handlers } from "@/lib/auth";

export const { GET, POST } = handlers;
