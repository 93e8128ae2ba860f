import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { recordAudit } from "@/lib/audit/record";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { cookieName, hostCookieOptions, secureCookies } from "@/lib/http/cookies";
import { requestContextFrom } from "@/lib/http/request-context";
import { completeFlow } from "@/lib/login-flow/complete";
import { FLOW_COOKIE } from "@/lib/login-flow/flow";
import { revokeSession } from "./sessions";

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid: string;
  }
}

/** The value of one cookie from a Cookie header. */
function readCookie(header: string | null, name: string): string | null {
  for (const part of (header ?? "").split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}

/** Over https, every Auth.js cookie is `__Host-` prefixed (Auth.js would name the session `__Secure-`). */
const hostCookie = (name: string) => ({ name: cookieName(`authjs.${name}`), options: hostCookieOptions() });
const hostCookies = () => ({
  sessionToken: hostCookie("session-token"),
  callbackUrl: hostCookie("callback-url"),
  csrfToken: hostCookie("csrf-token"),
});

// Built lazily: building the config at import time would open the database during `next build`.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
    // Secure cookies follow APP_URL, not the request's (client-controlled) X-Forwarded-Proto.
    useSecureCookies: secureCookies(),
    cookies: secureCookies() ? hostCookies() : undefined,
    session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/login", error: "/login" },
    logger: {
      error(error) {
        // A failed sign-in is an expected outcome, audited elsewhere; keep the log for real errors.
        if ((error as { type?: string }).type === "CredentialsSignin") return;
        console.error("[auth]", error);
      },
    },
    providers: [
      // The only way to a session: a pending sign-in (login_flows) that reached LOGGED_IN, consumed once.
      Credentials({
        id: "login-flow",
        credentials: {},
        async authorize(_raw, request) {
          const token = readCookie(request.headers.get("cookie"), cookieName(FLOW_COOKIE));
          if (!token) throw new CredentialsSignin();
          const done = await completeFlow(token, requestContextFrom(request.headers));
          if (!done) throw new CredentialsSignin();
          return { id: done.userId, sid: done.sid };
        },
      }),
    ],
    callbacks: {
      // The session row is checked by getCurrentUser on every request, outside Auth.js: here a
      // database outage would be swallowed and the cookie cleared, signing everybody out.
      jwt({ token, user }) {
        if (user?.sid) {
          token.sid = user.sid;
          token.sub = user.id;
          return token;
        }
        return typeof token.sid === "string" ? token : null;
      },
      session({ session, token }) {
        session.user.id = token.sub as string;
        session.sid = token.sid as string;
        return session;
      },
    },
    events: {
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (typeof token?.sid !== "string") return;
        const sid = token.sid;
        await getDb().transaction(async (tx) => {
          if (!(await revokeSession(tx, sha256(sid), "signed_out"))) return;
          await recordAudit(tx, {
            orgId: null,
            actor: { type: "user", id: token.sub ?? null },
            action: "session.revoked",
            target: { type: "session", id: sha256(sid).slice(0, 12) },
            metadata: { reason: "signed_out" },
          });
        });
      },
    },
  };
});
