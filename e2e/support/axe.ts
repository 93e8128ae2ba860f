import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";

/** The impacts that fail a test. */
const FAILING = new Set(["serious", "critical"]);

/** Where the URL names one thing (an id, a token), so that `/invite/abc` and `/invite/def` count as one page. */
export function pageKey(url: string): string {
  const u = new URL(url);
  const path = u.pathname
    .split("/")
    .map((part) => (/^[0-9a-f-]{20,}$/i.test(part) || /^[\w-]{24,}$/.test(part) ? ":id" : part))
    .join("/");
  return path;
}

export interface AxeFinding {
  page: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Serious and critical WCAG 2.1 A/AA violations on what `page` shows now (light or dark, whichever it
 * is in). The Next.js dev overlay and route announcer are not ours and are left out.
 */
export async function axeFindings(page: Page): Promise<AxeFinding[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .exclude("next-route-announcer")
    .exclude("nextjs-portal")
    .analyze();
  return results.violations
    .filter((v) => FAILING.has(v.impact ?? ""))
    .map((v) => ({
      page: pageKey(page.url()),
      rule: v.id,
      impact: v.impact ?? "",
      help: v.help,
      targets: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")} — ${n.failureSummary?.split("\n").slice(1).join(" ").trim() ?? ""}`),
    }));
}

export function formatFindings(findings: AxeFinding[]): string {
  return findings.map((f) => `${f.page}: [${f.impact}] ${f.rule} — ${f.help}\n    ${f.targets.join("\n    ")}`).join("\n");
}

/**
 * Let transitions end: a button fading back in after its form was sent (opacity on its way from 50 %) is
 * no state anyone reads, and axe would judge its contrast mid-fade. Endless animations (spinners) excepted.
 */
async function transitionsEnded(page: Page): Promise<void> {
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running" || a.effect?.getComputedTiming().iterations === Infinity), undefined, { timeout: 2_000 })
    .catch(() => {});
}

/**
 * Runs axe on every page a test's `page` shows: after each completed navigation (once the page has
 * settled) and once more at the end of the test, for what clicks opened (dialogs, errors). A page
 * already checked in this worker in the same state (URL shape and theme) is not checked again.
 */
export class AxeWatch {
  private readonly found = new Map<string, AxeFinding>();
  /** Checks run one at a time (axe refuses to run twice at once in a page). */
  private queue: Promise<void> = Promise.resolve();
  private static readonly seen = new Set<string>();
  private static readonly watches = new WeakMap<Page, AxeWatch>();

  /** The watch on `page` (the page fixture's), if any. */
  static of(page: Page): AxeWatch | undefined {
    return AxeWatch.watches.get(page);
  }

  constructor(private readonly page: Page) {
    AxeWatch.watches.set(page, this);
    // Full loads and client-side (App Router) navigations alike.
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame()) return;
      this.enqueue(false);
    });
  }

  /** Every distinct finding so far. */
  get findings(): AxeFinding[] {
    return [...this.found.values()];
  }

  private enqueue(force: boolean): Promise<void> {
    this.queue = this.queue.then(() =>
      this.check(force).catch((err: unknown) => {
        this.add({ page: pageKey(this.page.url()), rule: "axe-error", impact: "critical", help: String(err).split("\n")[0] ?? "", targets: [] });
      }),
    );
    return this.queue;
  }

  private add(finding: AxeFinding) {
    this.found.set(`${finding.page}|${finding.rule}|${finding.targets.join(",")}`, finding);
  }

  /** Check what the page shows now; `force` checks it even when a page of that shape was checked before. */
  private async check(force: boolean): Promise<void> {
    const { page } = this;
    if (page.isClosed()) return;
    // Let the page load, client components render and skeletons resolve before judging.
    await page.waitForLoadState("load", { timeout: 10_000 }).catch(() => {});
    await page.waitForLoadState("networkidle", { timeout: 5_000 }).catch(() => {});
    await page.locator('[aria-busy="true"]').first().waitFor({ state: "detached", timeout: 5_000 }).catch(() => {});
    await transitionsEnded(page);
    if (page.isClosed()) return;
    const url = page.url();
    if (!url.startsWith("http")) return;
    // Pages answered as JSON or plain text are not documents a person reads.
    const state = await page
      .evaluate(() => ({ html: document.contentType === "text/html" && !!document.body, dark: document.documentElement.classList.contains("dark") }))
      .catch(() => null);
    if (!state?.html) return;
    const key = `${pageKey(url)}|${state.dark ? "dark" : "light"}`;
    if (!force && AxeWatch.seen.has(key)) return;
    try {
      let findings = await axeFindings(page);
      // Something that began a transition while axe ran (a toast fading in) is judged mid-fade: judge the
      // page again once it has settled, and keep what that finds.
      if (findings.some((f) => f.rule === "color-contrast")) {
        await transitionsEnded(page);
        findings = await axeFindings(page);
      }
      AxeWatch.seen.add(key);
      for (const f of findings) this.add(f);
    } catch (err) {
      // The page navigated or closed while axe ran: the next navigation is checked instead.
      if (!/navigat|closed|destroyed|detached|Target page/i.test(String(err))) throw err;
    }
  }

  /**
   * Check what the page shows now (a state reached without navigating, e.g. a sign-in step), in turn
   * with the checks already queued: axe runs one at a time in a page. Findings go with the others.
   */
  async checkNow(): Promise<void> {
    await this.enqueue(true);
  }

  /** Wait for running checks, check the final state, and return every finding. */
  async finish(): Promise<AxeFinding[]> {
    await this.enqueue(true);
    return this.findings;
  }
}
