import { expect, type Page, type TestInfo } from "@playwright/test";
import { AxeWatch, axeFindings, formatFindings } from "./axe";

// What e2e/screens.spec.ts (console pages) and e2e/sign-in-screens.spec.ts (every sign-in state) check
// at a phone's width and a desktop's, light and dark.

export const VIEWPORTS = [
  { name: "390", width: 390, height: 844 },
  { name: "1440", width: 1440, height: 900 },
] as const;
export const SCHEMES = ["light", "dark"] as const;
export type Scheme = (typeof SCHEMES)[number];

/** Elements that end past the right edge (or start before the left), outside marked scroll containers. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = window.innerWidth;
    const out: string[] = [];
    const doc = document.documentElement.scrollWidth;
    if (doc > width) out.push(`document is ${doc}px wide in a ${width}px window`);
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (el.closest("[data-scroll-container]")) continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue; // visually hidden (sr-only, hidden native selects)
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || style.display === "none" || style.position === "fixed") continue;
      if (r.right > width + 1 || r.left < -1) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.dataset.slot ? `[data-slot=${el.dataset.slot}]` : ""}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ""}`;
        out.push(`${name} spans ${Math.round(r.left)}–${Math.round(r.right)}px: "${(el.textContent ?? "").trim().slice(0, 40)}"`);
      }
      if (out.length > 10) break;
    }
    return out;
  });
}

/**
 * Content that does not fit its own box, outside marked scroll containers: text cut off by a box that
 * hides what sticks out, or spilling over a box's edge (a long address through a card, a label past its
 * button). Text cut on purpose with an ellipsis (`truncate`) and a form field's own value are not counted.
 */
export async function clipped(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll<HTMLElement>("*"))) {
      if (el.closest("[data-scroll-container]")) continue;
      // A form field scrolls its own value (a long address in an email field is fine).
      if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) continue;
      const style = getComputedStyle(el);
      if (style.display === "none" || style.display === "contents" || style.visibility === "hidden" || style.position === "fixed") continue;
      if (style.overflowX === "auto" || style.overflowX === "scroll" || style.textOverflow === "ellipsis") continue;
      const r = el.getBoundingClientRect();
      if (r.width <= 1 || r.height <= 1) continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.dataset.slot ? `[data-slot=${el.dataset.slot}]` : ""}${el.dataset.testid ? `[data-testid=${el.dataset.testid}]` : ""}`;
        out.push(`${name} holds ${el.scrollWidth}px in ${el.clientWidth}px (${style.overflowX}): "${(el.textContent ?? "").trim().slice(0, 40)}"`);
      }
      if (out.length > 10) break;
    }
    return out;
  });
}

/** Switch the page to `scheme` (prefers-color-scheme) and wait for the theme script to follow. */
export async function useScheme(page: Page, scheme: Scheme) {
  await page.emulateMedia({ colorScheme: scheme });
  await expect(page.locator("html")).toHaveClass(new RegExp(scheme === "dark" ? "\\bdark\\b" : "^(?!.*\\bdark\\b)"));
}

/** A full-page screenshot attached to the test's report (not written into the repository). */
export async function attachScreenshot(page: Page, testInfo: TestInfo, name: string) {
  await testInfo.attach(`${name}.png`, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

/**
 * What the page shows now, at 390 and 1440 px in light and dark, without navigating (a sign-in step
 * lives in one URL): nothing off-screen; with `clipping`, nothing cut off or spilling over; with `axe`,
 * no serious or critical violations (once per scheme; on the page fixture's page they are reported with
 * its other findings when the test ends). Failures are soft: one run lists them all.
 */
export async function checkScreens(page: Page, testInfo: TestInfo, name: string, opts: { clipping?: boolean; axe?: boolean } = {}) {
  const original = page.viewportSize();
  for (const viewport of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      await page.setViewportSize({ width: viewport.width, height: viewport.height });
      await useScheme(page, scheme);
      // Let layout settle after the resize (fonts, images, a re-render on the media change).
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const where = `${name} at ${viewport.name}px, ${scheme}`;
      expect.soft(await overflowing(page), `${where}: off-screen`).toEqual([]);
      if (opts.clipping) expect.soft(await clipped(page), `${where}: clipped`).toEqual([]);
      if (opts.axe && viewport === VIEWPORTS[0]) {
        // The page fixture's watch reports its findings when the test ends; another page is checked here.
        const watch = AxeWatch.of(page);
        if (watch) await watch.checkNow();
        else {
          const findings = await axeFindings(page);
          expect.soft(findings, `${where}: axe\n${formatFindings(findings)}`).toEqual([]);
        }
      }
      await attachScreenshot(page, testInfo, `${name}-${viewport.name}-${scheme}`);
    }
  }
  if (original) await page.setViewportSize(original);
  await useScheme(page, "light");
}
