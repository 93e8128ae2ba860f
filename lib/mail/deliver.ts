import "server-only";
import { and, asc, eq, isNotNull, lt, lte, ne, or, sql } from "drizzle-orm";
import { mailOutbox } from "@/drizzle/schema";
import type { Db } from "@/lib/db";
import { MAIL_BODY_MAX_AGE_DAYS, openMailBody } from "./body";

export const MAX_ATTEMPTS = 6;

export interface MailTransport {
  sendMail(mail: { from: string; to: string; subject: string; text: string; html?: string }): Promise<unknown>;
}

/** Seconds to wait before attempt n+1: 30 s, 2 min, 8 min, 32 min, ~2 h. */
export function backoffSeconds(attempts: number): number {
  return 30 * 4 ** Math.max(0, attempts - 1);
}

const SCRUBBED = { text: "", html: null };

/**
 * Scrub the bodies of mail that was delivered or given up on, or that is older than any link it
 * can hold (mail written before bodies were sealed, or never delivered). Returns how many.
 */
export async function scrubMailBodies(db: Db, now = new Date()): Promise<number> {
  const expired = new Date(now.getTime() - MAIL_BODY_MAX_AGE_DAYS * 86_400_000);
  const rows = await db
    .update(mailOutbox)
    .set(SCRUBBED)
    .where(and(or(ne(mailOutbox.text, ""), isNotNull(mailOutbox.html)), or(ne(mailOutbox.status, "pending"), lt(mailOutbox.createdAt, expired))))
    .returning({ id: mailOutbox.id });
  return rows.length;
}

/**
 * Send due mail. Each row is claimed with FOR UPDATE SKIP LOCKED inside its own transaction, so
 * several app nodes can run this at once without sending anything twice.
 */
export async function deliverDueMail(db: Db, transport: MailTransport, from: string, batch = 20): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (let i = 0; i < batch; i++) {
    const outcome = await db.transaction(async (tx) => {
      const [mail] = await tx
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, new Date())))
        .orderBy(asc(mailOutbox.nextAttemptAt))
        .limit(1)
        .for("update", { skipLocked: true });
      if (!mail) return "empty" as const;
      try {
        const html = mail.html ? openMailBody(mail.html) : undefined;
        await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: openMailBody(mail.text), html });
        // Delivered: the body (and its one-time links) has no reason to stay.
        await tx
          .update(mailOutbox)
          .set({ status: "sent", sentAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1`, lastError: null, ...SCRUBBED })
          .where(eq(mailOutbox.id, mail.id));
        return "sent" as const;
      } catch (err) {
        const attempts = mail.attempts + 1;
        const gaveUp = attempts >= MAX_ATTEMPTS;
        await tx
          .update(mailOutbox)
          .set({
            attempts,
            status: gaveUp ? "failed" : "pending",
            ...(gaveUp ? SCRUBBED : {}),
            lastError: String((err as Error).message ?? err).slice(0, 500),
            nextAttemptAt: new Date(Date.now() + backoffSeconds(attempts) * 1000),
          })
          .where(eq(mailOutbox.id, mail.id));
        return "failed" as const;
      }
    });
    if (outcome === "empty") break;
    if (outcome === "sent") sent++;
    else failed++;
  }
  return { sent, failed };
}

/** Start a background loop that delivers mail over SMTP every few seconds, and scrubs old bodies every ten minutes. */
export async function startMailWorker(db: Db, smtpUrl: string, from: string, intervalMs = 5000): Promise<() => void> {
  const nodemailer = await import("nodemailer");
  const transport = nodemailer.createTransport(smtpUrl);
  let running = false;
  let lastScrub = 0;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    try {
      await deliverDueMail(db, transport, from);
      if (Date.now() - lastScrub > 10 * 60_000) {
        lastScrub = Date.now();
        await scrubMailBodies(db);
      }
    } catch (err) {
      console.error("[mail] delivery loop failed", (err as Error).message);
    } finally {
      running = false;
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** Without SMTP nothing is delivered, but bodies still expire: scrub them now and every ten minutes. */
export function startMailScrubber(db: Db, intervalMs = 10 * 60_000): () => void {
  const run = () => void scrubMailBodies(db).catch((err: unknown) => console.error("[mail] scrub failed", (err as Error).message));
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
