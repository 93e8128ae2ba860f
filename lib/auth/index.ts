import "server-only";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { recordAudit } from "@/lib/audit/record";
import { sha256 } from "@/lib/crypto";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { requestContextFrom } from "@/lib/http/request-context";
import { revokeSession, validateSession } from "./sessions";
import { signInWithPassword } from "./sign-in";

declare module "next-auth" {
  interface User {
    sid?: string;
  }
  interface Session {
    sid: string;
  }
}

const credentialsSchema = z.object({ email: z.string().min(1).max(320), password: z.string().min(1).max(1024) });

// Built lazily: building the config at import time would open the database during `next build`.
export const { handlers, auth, signIn, signOut } = NextAuth(() => {
  const env = getEnv();
  return {
    secret: env.AUTH_SECRET,
    trustHost: true,
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
      Credentials({
        id: "password",
        credentials: { email: {}, password: {} },
        async authorize(raw, request) {
          const parsed = credentialsSchema.safeParse(raw);
          if (!parsed.success) throw new CredentialsSignin();
          const result = await signInWithPassword(
            parsed.data.email,
            parsed.data.password,
            requestContextFrom(request.headers),
          );
          if (!result.ok) throw new CredentialsSignin();
          return { id: result.userId, sid: result.sid };
        },
      }),
    ],
    callbacks: {
      // Runs on every session read: a session revoked or expired server-side ends here.
      async jwt({ token, user }) {
        if (user?.sid) {
          token.sid = user.sid;
          token.sub = user.id;
          return token;
        }
        if (typeof token.sid !== "string") return null;
        const live = await validateSession(token.sid);
        if (!live || live.userId !== token.sub) return null;
        return token;
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
