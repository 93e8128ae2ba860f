import { SMTPServer } from "smtp-server";

export interface SentMail {
  to: string[];
  raw: string;
  /** The text part, quoted-printable soft breaks and escapes undone. */
  text: string;
}

/** A local SMTP server that accepts every message and keeps it, for mail sent by a test install. */
export async function startSmtpSink(): Promise<{ url: string; mails: SentMail[]; waitFor(to: string, subject: RegExp): Promise<SentMail>; close(): Promise<void> }> {
  const mails: SentMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    onData(stream, session, callback) {
      let raw = "";
      stream.on("data", (b: Buffer) => (raw += b.toString("utf8")));
      stream.on("end", () => {
        const text = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()), raw, text });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    async waitFor(to, subject) {
      for (let i = 0; i < 120; i++) {
        const found = mails.find((m) => m.to.includes(to.toLowerCase()) && subject.test(m.text));
        if (found) return found;
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`no mail to ${to} matching ${subject}; got ${mails.length}: ${mails.map((m) => m.to.join(",")).join("; ")}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a mail whose path starts with `prefix`. */
export function mailLink(mail: SentMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`https?://[^\\s"<>]+${prefix.replace(/\//g, "\\/")}[^\\s"<>]*`));
  if (!match) throw new Error(`no ${prefix} link in mail:\n${mail.text}`);
  return match[0];
}
