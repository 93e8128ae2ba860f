import "server-only";
import { getBrand } from "@/lib/brand";
import { desc, eq } from "drizzle-orm";
import { mailOutbox } from "@/drizzle/schema";
import { type Executor, getDb, type Tx } from "@/lib/db";
import { openMailBody, sealMailBody } from "./body";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** What kind of mail, e.g. `email.confirm`, `invitation`. */
  template: string;
  orgId?: string | null;
}

/**
 * Queue a mail in the caller's transaction: it is sent only if the change commits. Bodies carry
 * one-time links, so they are stored encrypted, and scrubbed once delivered or expired.
 */
export async function enqueueMail(tx: Tx, mail: OutgoingMail): Promise<string> {
  // With a support link configured (BRAND_SUPPORT_URL), every mail ends with it.
  const { productName, supportUrl } = getBrand();
  const text = supportUrl ? `${mail.text}\n\n--\n${productName} · Help: ${supportUrl}` : mail.text;
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      ...mail,
      to: mail.to.trim().toLowerCase(),
      text: sealMailBody(text),
      html: mail.html ? sealMailBody(mail.html) : null,
      orgId: mail.orgId ?? null,
    })
    .returning({ id: mailOutbox.id });
  return row!.id;
}

export interface MailboxEntry {
  id: string;
  to: string;
  subject: string;
  /** The body, decrypted; empty once scrubbed after delivery or expiry. */
  text: string;
  template: string;
  status: string;
  createdAt: Date;
}

/** The newest mail, optionally to one address: for the development mailbox only. */
export async function listMailbox(opts: { to?: string; limit?: number } = {}, db: Executor = getDb()): Promise<MailboxEntry[]> {
  const rows = await db
    .select({
      id: mailOutbox.id,
      to: mailOutbox.to,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      template: mailOutbox.template,
      status: mailOutbox.status,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .where(opts.to ? eq(mailOutbox.to, opts.to.trim().toLowerCase()) : undefined)
    .orderBy(desc(mailOutbox.createdAt))
    .limit(Math.min(opts.limit ?? 50, 200));
  return rows.map((r) => ({ ...r, text: openMailBody(r.text) }));
}
