import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb, queryRows } from "@/lib/db";
import { createUser } from "@/test/sign-in";
import { useTestDatabase } from "@/test/db";
import { cleanUpExpiredRows } from ".";

useTestDatabase();

const count = async (table: string, where = "true") =>
  Number((await queryRows<{ n: string }>(getDb(), sql.raw(`select count(*) as n from ${table} where ${where}`)))[0]!.n);

describe("housekeeping", () => {
  it("deletes the rows whose purpose has ended, in batches, and keeps every live one", async () => {
    const db = getDb();
    const { id: user } = await createUser("keeper@example.com", "correct horse battery staple");
    // 12,000 ended limiter windows (more than two batches) and one live one.
    await db.execute(sql`insert into rate_limit_buckets (key, hits, reset_at)
      select 'old:' || g, 1, now() - interval '2 hours' from generate_series(1, 12000) g`);
    await db.execute(sql`insert into rate_limit_buckets (key, hits, reset_at) values ('live', 1, now() + interval '1 minute'), ('just-ended', 1, now() - interval '1 minute')`);
    const flow = (hash: string, expires: string) =>
      sql`insert into login_flows (token_hash, user_id, email, method, expires_at) values (${hash}, ${user}, 'keeper@example.com', 'password', now() + ${expires}::interval) returning id`;
    const [old] = await queryRows<{ id: string }>(db, flow("old-flow", "-2 days"));
    await db.execute(flow("live-flow", "10 minutes"));
    await db.execute(flow("recent-flow", "-1 hour"));
    // A passkey challenge of the old flow goes with it; a live challenge stays.
    await db.execute(sql`insert into webauthn_challenges (challenge, purpose, login_flow_id, expires_at) values ('c-old-flow', 'sign_in', ${old!.id}, now() + interval '5 minutes')`);
    await db.execute(sql`insert into webauthn_challenges (challenge, purpose, user_id, expires_at) values ('c-ended', 'register', ${user}, now() - interval '2 hours'), ('c-live', 'register', ${user}, now() + interval '5 minutes')`);
    await db.execute(sql`insert into email_tokens (token_hash, purpose, user_id, email, expires_at) values
      ('t-old', 'password_reset', ${user}, 'keeper@example.com', now() - interval '8 days'),
      ('t-recent', 'password_reset', ${user}, 'keeper@example.com', now() - interval '1 day')`);
    await db.execute(sql`insert into sessions (id_hash, user_id, expires_at) values
      ('s-old', ${user}, now() - interval '31 days'), ('s-recent', ${user}, now() - interval '1 day'), ('s-live', ${user}, now() + interval '1 day')`);

    const removed = await cleanUpExpiredRows();
    expect(removed).toMatchObject({ rate_limit_buckets: 12000, login_flows: 1, webauthn_challenges: 1, email_tokens: 1, sessions: 1 });
    expect(await count("rate_limit_buckets", "key in ('live', 'just-ended')")).toBe(2);
    expect(await count("rate_limit_buckets", "key like 'old:%'")).toBe(0);
    expect(await count("login_flows", "token_hash in ('live-flow', 'recent-flow')")).toBe(2);
    expect(await count("webauthn_challenges")).toBe(1); // c-live; c-old-flow went with its flow
    expect(await count("email_tokens", "token_hash = 't-recent'")).toBe(1);
    expect(await count("sessions")).toBe(2);
    // Nothing left to do: a second run removes nothing.
    expect(Object.values(await cleanUpExpiredRows()).every((n) => n === 0)).toBe(true);
  });
});
