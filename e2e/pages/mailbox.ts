import { expect, type APIRequestContext } from "@playwright/test";

/** The newest mail of `template` to `to`, from the development mailbox API; waits for it to arrive. */
export async function latestMail(request: APIRequestContext, to: string, template: string) {
  let found: { text: string; subject: string } | undefined;
  await expect(async () => {
    const res = await request.get(`/api/dev/mailbox?to=${encodeURIComponent(to)}`);
    const { messages } = (await res.json()) as { messages: { template: string; text: string; subject: string }[] };
    found = messages.find((m) => m.template === template);
    expect(found, `a ${template} mail to ${to}`).toBeTruthy();
  }).toPass({ timeout: 10_000 });
  return found!;
}

/** The first link in a mail's text. */
export function linkIn(text: string): string {
  const match = text.match(/https?:\/\/\S+/);
  if (!match) throw new Error(`no link in mail: ${text}`);
  return new URL(match[0]).pathname;
}
