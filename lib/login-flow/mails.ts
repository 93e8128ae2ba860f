import "server-only";
import type { Tx } from "@/lib/db";
import { getBrand } from "@/lib/brand";
import { getEnv } from "@/lib/env";
import { enqueueMail } from "@/lib/mail/outbox";
import { TOKEN_TTL_MINUTES } from "./email-tokens";

const link = (path: string) => `${getEnv().APP_URL}${path}`;
const product = () => getBrand().productName;

export function sendConfirmEmail(tx: Tx, to: string, token: string) {
  const url = link(`/confirm-email/${token}`);
  return enqueueMail(tx, {
    to,
    template: "email.confirm",
    subject: `Confirm your email for ${product()}`,
    text: `Confirm your email address to finish signing up:\n\n${url}\n\nThe link works once and expires in 24 hours. If you did not sign up, ignore this mail.`,
  });
}

export function sendAlreadyRegistered(tx: Tx, to: string) {
  return enqueueMail(tx, {
    to,
    template: "email.already_registered",
    subject: `You already have a ${product()} account`,
    text: `Someone tried to sign up with this address, which already has an account.\n\nSign in: ${link("/login")}\nForgot your password? ${link("/login/forgot")}\n\nIf it was not you, you can ignore this mail.`,
  });
}

export function sendPasswordReset(tx: Tx, to: string, token: string) {
  const url = link(`/reset-password/${token}`);
  return enqueueMail(tx, {
    to,
    template: "password.reset",
    subject: `Reset your ${product()} password`,
    text: `Set a new password:\n\n${url}\n\nThe link works once and expires in ${TOKEN_TTL_MINUTES.password_reset} minutes. If you did not ask for it, ignore this mail.`,
  });
}

export function sendMagicLink(tx: Tx, to: string, token: string) {
  const url = link(`/magic/${token}`);
  return enqueueMail(tx, {
    to,
    template: "login.magic_link",
    subject: `Your ${product()} sign-in link`,
    text: `Sign in to ${product()}:\n\n${url}\n\nThe link works once and expires in ${TOKEN_TTL_MINUTES.magic_link} minutes. If you did not ask for it, ignore this mail.`,
  });
}
