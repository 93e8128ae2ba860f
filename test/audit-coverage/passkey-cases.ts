import { eq, sql } from "drizzle-orm";
import { orgs, passkeys, users } from "@/drizzle/schema";
import { hashPassword } from "@/lib/auth/password";
import { getDb } from "@/lib/db";
import { systemContext } from "@/lib/http/request-context";
import { consumeTotp, currentCode, startEnrollment } from "@/lib/mfa/totp";
import { accountRegistrationOptions, registerPasskey } from "@/lib/passkeys/account";
import { SoftAuthenticator } from "@/test/webauthn-authenticator";
import type { CoverageCase, CoverageContext } from "./cases";
import { callRoute, loadEntry } from "./harness";

const PASSWORD = "plum-tractor-violet-41";
let counter = 0;
const fresh = (what: string) => `passkey-${what}-${Date.now().toString(36)}-${counter++}@example.com`;
// One authenticator per case, from its setup to its run.
const authenticators = new Map<string, SoftAuthenticator>();

async function json<T>(res: Response | Promise<Response>): Promise<T> {
  const r = await res;
  if (r.status >= 400) throw new Error(`HTTP ${r.status}: ${await r.text()}`);
  return (await r.json()) as T;
}

async function post<T = unknown>(path: string, body: unknown = {}, method = "POST"): Promise<T> {
  const file = path.replace(/^\/api\//, "app/api/").replace(/[0-9a-f-]{36}$/, "[id]");
  const id = path.match(/[0-9a-f-]{36}$/)?.[0];
  return json<T>(callRoute(await loadEntry(`${file}/route.ts ${method}`), path, { method, json: body, ...(id ? { params: { id } } : {}) }));
}

/** A confirmed, named user with a password (in `org` if given); returns the id. */
async function makeUser(email: string, org?: string): Promise<string> {
  const [u] = await getDb()
    .insert(users)
    .values({ email, name: "Pat Passkey", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() })
    .returning({ id: users.id });
  if (org) {
    await getDb().execute(
      sql`insert into memberships (org_id, user_id, role_id) select m.org_id, ${u!.id}, m.role_id from memberships m join orgs o on o.id = m.org_id where o.slug = ${org} limit 1`,
    );
  }
  return u!.id;
}

/** A passkey registered directly (outside the counted run). */
async function withPasskey(email: string, key: string) {
  const [u] = await getDb().select({ id: users.id, email: users.email, name: users.name }).from(users).where(eq(users.email, email));
  const authenticator = new SoftAuthenticator();
  const options = await accountRegistrationOptions(u!);
  const [row] = [await registerPasskey(u!, { name: "Laptop", response: authenticator.create(options as never) as never }, systemContext())];
  authenticators.set(key, authenticator);
  return row!;
}

const setupUser = (org?: string) => async ({ state }: CoverageContext) => {
  state.email = fresh("user");
  await makeUser(state.email, org);
};

/** Passkeys (issue 17): each answered ceremony leaves one event; handing out a challenge leaves none. */
export function PASSKEY_CASES(): Record<string, CoverageCase> {
  return {
    "app/api/login/passkey/options/route.ts POST": {
      // A challenge is not an event; the ceremony it starts is recorded when answered (used or refused).
      action: null,
      run: async () => void (await post("/api/login/passkey/options", { returnTo: "/" })),
    },
    "app/api/login/passkey/verify/route.ts POST": {
      action: "passkey.used",
      setup: async ({ state }) => {
        state.email = fresh("signin");
        await makeUser(state.email, "xcorp");
        await withPasskey(state.email, "verify");
        const { options } = await post<{ options: { challenge: string } }>("/api/login/passkey/options", {});
        state.response = JSON.stringify(authenticators.get("verify")!.get(options));
      },
      run: async ({ state }) => void (await post("/api/login/passkey/verify", { response: JSON.parse(state.response!) })),
    },
    "app/api/login/passkey/enroll/route.ts POST": {
      action: "passkey.registered",
      setup: async ({ state }) => {
        state.email = fresh("enroll");
        await makeUser(state.email, "techcorp");
        await getDb().update(orgs).set({ requirePasskey: true }).where(eq(orgs.slug, "techcorp"));
        await post("/api/login/password", { email: state.email, password: PASSWORD });
        const { options } = await post<{ options: never }>("/api/login/passkey/options", {});
        state.response = JSON.stringify(new SoftAuthenticator().create(options));
      },
      run: async ({ state }) => {
        try {
          await post("/api/login/passkey/enroll", { name: "Phone", response: JSON.parse(state.response!) });
        } finally {
          await getDb().update(orgs).set({ requirePasskey: false }).where(eq(orgs.slug, "techcorp"));
        }
      },
    },
    "app/api/account/passkeys/options/route.ts POST": {
      action: null,
      setup: setupUser(),
      run: async ({ as, state }) => {
        await as(state.email!);
        await post("/api/account/passkeys/options");
      },
    },
    "app/api/account/passkeys/route.ts POST": {
      action: "passkey.registered",
      setup: setupUser(),
      run: async ({ as, state }) => {
        await as(state.email!);
        const options = await post<never>("/api/account/passkeys/options");
        await post("/api/account/passkeys", { name: "Laptop", response: new SoftAuthenticator().create(options) });
      },
    },
    "app/api/account/passkeys/reauth/route.ts POST": {
      action: null,
      setup: async (ctx) => {
        await setupUser()(ctx);
        await withPasskey(ctx.state.email!, "reauth");
      },
      run: async ({ as, state }) => {
        await as(state.email!);
        await post("/api/account/passkeys/reauth");
      },
    },
    "app/api/account/passkeys/[id]/route.ts DELETE": {
      action: "passkey.removed",
      setup: async (ctx) => {
        await setupUser()(ctx);
        const [u] = await getDb().select().from(users).where(eq(users.email, ctx.state.email!));
        const enrollment = await getDb().transaction((tx) => startEnrollment(tx, u!));
        await consumeTotp(getDb(), u!.id, currentCode(enrollment.secret, Date.now() - 30_000), { enabling: true });
        ctx.state.secret = enrollment.secret;
        ctx.state.id = (await withPasskey(ctx.state.email!, "remove")).id;
      },
      run: async ({ as, state }) => {
        await as(state.email!);
        await post(`/api/account/passkeys/${state.id}`, { code: currentCode(state.secret!) }, "DELETE");
        const left = await getDb().select().from(passkeys).where(eq(passkeys.id, state.id!));
        if (left.length) throw new Error("the passkey is still there");
      },
    },
    "app/api/account/passkeys/offer/route.ts POST": {
      action: "passkey.offered",
      setup: setupUser(),
      run: async ({ as, state }) => {
        await as(state.email!);
        const { first } = await post<{ first: boolean }>("/api/account/passkeys/offer");
        if (!first) throw new Error("the offer was not new");
      },
    },
  };
}
