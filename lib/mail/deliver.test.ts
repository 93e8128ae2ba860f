import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { mailOutbox } from "@/drizzle/schema";
import { useTestDatabase } from "@/test/db";
import { backoffSeconds, deliverDueMail, MAX_ATTEMPTS, type MailTransport } from "./deliver";
import { enqueueMail, listMailbox } from "./outbox";

const getDb = useTestDatabase();
const FROM = "Gatehouse <no-reply@test>";

function recorder(fail = false): MailTransport & { sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    async sendMail(mail) {
      if (fail) throw new Error("SMTP 451 try later");
      sent.push(mail.to);
    },
  };
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
});
