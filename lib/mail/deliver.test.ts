import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mailOutbox } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { backoffSeconds, deliverDueMail, MAX_ATTEMPTS, type MailTransport, scrubMailBodies } from "./deliver";
import { enqueueMail, listMailbox } from "./outbox";

const getDb = useTestDatabase();
const FROM = "Gatehouse <no-reply@test>";

function recorder(fail = false): MailTransport & { sent: string[]; bodies: string[] } {
  const sent: string[] = [];
  const bodies: string[] = [];
  return {
    sent,
    bodies,
    async sendMail(mail) {
      if (fail) throw new Error("SMTP 451 try later");
      sent.push(mail.to);
      bodies.push(mail.text);
    },
  };
}

/** The outbox as a dump would show it: every column of every row, as text. */
async function dump() {
  const res = (await getDb().db.execute(sql`select m::text as row from mail_outbox m`)) as unknown as { rows: { row: string }[] };
  return res.rows.map((r) => r.row).join("\n");
}

const queue = (to: string) =>
  getDb().db.transaction((tx) => enqueueMail(tx, { to, subject: "Hi", text: "Hello", template: "test" }));

describe("mail outbox", () => {
  it("delivers due mail once and marks it sent", async () => {
    const id = await queue("a@example.com");
    const transport = recorder();
    expect(await deliverDueMail(getDb().db, transport, FROM)).toEqual({ sent: 1, failed: 0 });
    expect(await deliverDueMail(getDb().db, transport, FROM)).toEqual({ sent: 0, failed: 0 });
    expect(transport.sent).toEqual(["a@example.com"]);
    const [row] = await getDb().db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("never sends one mail twice when several workers run at once", async () => {
    for (let i = 0; i < 10; i++) await queue(`many${i}@example.com`);
    const transport = recorder();
    await Promise.all(Array.from({ length: 4 }, () => deliverDueMail(getDb().db, transport, FROM)));
    expect(transport.sent.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `many${i}@example.com`).sort());
  });

  it("retries with backoff and gives up after the last attempt", async () => {
    const id = await queue("flaky@example.com");
    const failing = recorder(true);
    expect(await deliverDueMail(getDb().db, failing, FROM)).toEqual({ sent: 0, failed: 1 });
    let [row] = await getDb().db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "SMTP 451 try later" });
    expect(row!.nextAttemptAt.getTime() - Date.now()).toBeGreaterThan((backoffSeconds(1) - 5) * 1000);
    // Not due yet: nothing happens.
    expect(await deliverDueMail(getDb().db, failing, FROM)).toEqual({ sent: 0, failed: 0 });
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      await getDb().db.update(mailOutbox).set({ nextAttemptAt: sql`now() - interval '1 second'` }).where(eq(mailOutbox.id, id));
      await deliverDueMail(getDb().db, failing, FROM);
    }
    [row] = await getDb().db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
  });

  it("lists the mailbox newest first, by recipient", async () => {
    await queue("Box@Example.com");
    const box = await listMailbox({ to: "box@example.com" });
    expect(box.map((m) => m.to)).toEqual(["box@example.com"]);
  });

  it("keeps no usable link at rest: sealed while queued, scrubbed once delivered or given up", async () => {
    const token = "tok_" + "x".repeat(40);
    const link = `http://localhost:3000/magic/${token}`;
    const ok = await getDb().db.transaction((tx) => enqueueMail(tx, { to: "link@example.com", subject: "Sign in", text: `Sign in: ${link}`, template: "login.magic_link" }));
    const doomed = await getDb().db.transaction((tx) => enqueueMail(tx, { to: "dead@example.com", subject: "Sign in", text: `Sign in: ${link}2`, template: "login.magic_link" }));
    expect(await dump()).not.toContain(token);
    // The development mailbox still reads it.
    expect((await listMailbox({ to: "link@example.com" }))[0]!.text).toContain(link);

    const transport = recorder();
    await getDb().db.update(mailOutbox).set({ nextAttemptAt: sql`now() + interval '1 hour'` }).where(eq(mailOutbox.id, doomed));
    await deliverDueMail(getDb().db, transport, FROM, 100);
    expect(transport.bodies.some((b) => b.includes(link))).toBe(true);
    const [sent] = await getDb().db.select().from(mailOutbox).where(eq(mailOutbox.id, ok));
    expect(sent).toMatchObject({ status: "sent", text: "", html: null });

    await getDb().db.update(mailOutbox).set({ status: "failed" }).where(eq(mailOutbox.id, doomed));
    expect(await scrubMailBodies(getDb().db)).toBeGreaterThanOrEqual(1);
    const everything = await dump();
    expect(everything).not.toContain(token);
    expect(everything).not.toMatch(/\/(magic|invite|reset-password|confirm-email)\//);
    expect(everything).not.toMatch(/v1\.[\w-]{16}\.[\w-]{22}\./); // not even sealed
  });

  it("scrubs bodies older than any link they can hold, delivered or not", async () => {
    const id = await queue("old@example.com");
    await getDb().db.update(mailOutbox).set({ createdAt: sql`now() - interval '8 days'`, nextAttemptAt: sql`now() + interval '1 day'` }).where(eq(mailOutbox.id, id));
    await scrubMailBodies(getDb().db);
    const [row] = await getDb().db.select().from(mailOutbox).where(eq(mailOutbox.id, id));
    expect(row).toMatchObject({ status: "pending", text: "" });
  });
});
