import "server-only";
import { Resolver } from "node:dns/promises";
import { and, asc, eq, isNull } from "drizzle-orm";
import { orgs, ssoDomains } from "@/drizzle/schema";
import { recordAudit } from "@/lib/audit/record";
import { randomToken } from "@/lib/crypto";
import { type Executor, getDb } from "@/lib/db";
import { AppError, conflict, notFound } from "@/lib/errors";
import type { RequestContext } from "@/lib/http/request-context";
import type { Actor } from "./connections";

/** Consumer mail domains: nobody's company, never claimable. */
const PUBLIC_MAIL_DOMAINS = new Set([
  "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com", "icloud.com",
  "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "web.de", "mail.com", "yandex.ru", "qq.com",
]);

export interface DomainDto {
  id: string;
  domain: string;
  verified: boolean;
  verifiedBy: string | null;
  /** The TXT record to publish at `_gatehouse.<domain>`. */
  txtRecord: string;
}

/** The TXT lookup, behind an interface: DNS in production, a fixed answer in tests. */
export interface TxtResolver {
  resolveTxt(name: string): Promise<string[][]>;
}
const resolver = new Resolver({ timeout: 3000, tries: 2 });
export const dnsResolver: TxtResolver = { resolveTxt: (name) => resolver.resolveTxt(name) };

export const txtRecordName = (domain: string) => `_gatehouse.${domain}`;
const txtValue = (token: string) => `gatehouse-domain-verification=${token}`;

export async function listDomains(orgId: string, db: Executor = getDb()): Promise<DomainDto[]> {
  const rows = await db.select().from(ssoDomains).where(eq(ssoDomains.orgId, orgId)).orderBy(asc(ssoDomains.domain));
  return rows.map((r) => ({ id: r.id, domain: r.domain, verified: Boolean(r.verifiedAt), verifiedBy: r.verifiedBy, txtRecord: txtValue(r.verificationToken) }));
}

/**
 * Claim a domain for the org. A domain belongs to one org at most: the unique index decides between
 * concurrent claims, and the loser gets a 409 (nothing written, no event).
 */
export async function claimDomain(orgId: string, actor: Actor, domain: string, context: RequestContext): Promise<{ id: string }> {
  if (PUBLIC_MAIL_DOMAINS.has(domain)) throw new AppError(400, "invalid_input", `${domain} is a public mail domain; it cannot be claimed.`, { domain: "Public mail domain" });
  return getDb().transaction(async (tx) => {
    const [row] = await tx
      .insert(ssoDomains)
      .values({ orgId, domain, verificationToken: randomToken(24), claimedBy: actor.id })
      .onConflictDoNothing({ target: ssoDomains.domain })
      .returning({ id: ssoDomains.id });
    if (!row) throw conflict(`${domain} is already claimed by an organization.`, "domain_taken");
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: "sso.domain_claimed",
      target: { type: "domain", id: row.id, name: domain },
      context,
    });
    return row;
  });
}

/** Verify a claim by its DNS TXT record. A missing record is a 409 that says what to publish (and is audited). */
export async function verifyDomainByDns(orgId: string, actor: Actor, id: string, context: RequestContext, resolver: TxtResolver = dnsResolver): Promise<void> {
  const [claim] = await getDb().select().from(ssoDomains).where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.id, id)));
  if (!claim) throw notFound("No such domain claim.");
  if (claim.verifiedAt) return;
  let found = false;
  try {
    const records = await resolver.resolveTxt(txtRecordName(claim.domain));
    found = records.some((chunks) => chunks.join("") === txtValue(claim.verificationToken));
  } catch {
    found = false;
  }
  await getDb().transaction(async (tx) => {
    if (found) {
      await tx.update(ssoDomains).set({ verifiedAt: new Date(), verifiedBy: "dns" }).where(and(eq(ssoDomains.orgId, orgId), eq(ssoDomains.id, id), isNull(ssoDomains.verifiedAt)));
    }
    await recordAudit(tx, {
      orgId,
      actor: { type: "user", id: actor.id, name: actor.email },
      action: "sso.domain_verified",
      outcome: found ? "success" : "failure",
      target: { type: "domain", id, name: claim.domain },
      context,
      metadata: { method: "dns", record: txtRecordName(claim.domain) },
    });
  });
  if (!found) throw conflict(`No TXT record ${txtValue(claim.verificationToken)} at ${txtRecordName(claim.domain)} yet.`, "dns_record_missing");
}

/** Platform staff approve a claim (the offline path when DNS cannot be used). */
export async function approveDomain(staff: Actor, id: string, context: RequestContext): Promise<void> {
  await getDb().transaction(async (tx) => {
    const [claim] = await tx.select().from(ssoDomains).where(eq(ssoDomains.id, id)).for("update");
    if (!claim) throw notFound("No such domain claim.");
    if (claim.verifiedAt) throw conflict(`${claim.domain} is already verified.`, "already_verified");
    await tx.update(ssoDomains).set({ verifiedAt: new Date(), verifiedBy: `staff:${staff.id}` }).where(eq(ssoDomains.id, id));
    await recordAudit(tx, {
      orgId: claim.orgId,
      actor: { type: "user", id: staff.id, name: staff.email },
      action: "sso.domain_approved",
      target: { type: "domain", id, name: claim.domain },
      context,
    });
  });
}

/** Claims waiting for staff, across orgs. */
export async function pendingDomainClaims(db: Executor = getDb()) {
  return db
    .select({ id: ssoDomains.id, domain: ssoDomains.domain, orgSlug: orgs.slug, orgName: orgs.name, createdAt: ssoDomains.createdAt })
    .from(ssoDomains)
    .innerJoin(orgs, eq(orgs.id, ssoDomains.orgId))
    .where(isNull(ssoDomains.verifiedAt))
    .orderBy(asc(ssoDomains.createdAt));
}
