import AxeBuilder from "@axe-core/playwright";
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ADMIN_PAGES, hydrated, signIn } from "./helpers";

// axe-core on every page, on a desktop and on a phone, signed out and as an
// administrator (who sees every page): WCAG 2.1 A and AA rules, 0 violations.

const SIZES = [
  { name: "desktop", viewport: { width: 1366, height: 800 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
];

async function violations(page: Page, path: string): Promise<string[]> {
  await page.goto(path);
  await hydrated(page);
  await expect(page.getByText(/^(Loading…|Laddar…)$/)).toHaveCount(0);
  const result = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return result.violations.map(
    (v) => `${path}: ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | ")}`,
  );
}

for (const size of SIZES) {
  test(`every page passes axe-core on a ${size.name}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: size.viewport });
    const page = await context.newPage();
    const found: string[] = [];
    found.push(...(await violations(page, "/sign-in")));
    await signIn(page, "admin@demo.sprida.local");
    const pages = [...ADMIN_PAGES];
    // One item's editor and one post's review page, when there are some.
    await page.goto("/content");
    await hydrated(page);
    const item = await page.locator("main a[href^='/content/']:not([href$='/new'])").first().getAttribute("href");
    if (item) pages.push(item);
    for (const path of pages) found.push(...(await violations(page, path)));
    expect(found).toEqual([]);
    await context.close();
  });
}
