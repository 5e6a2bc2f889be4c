import { expect, test } from "./fixtures";
import { ADMIN_PAGES, hydrated, manageNav, nav, signIn } from "./helpers";

const DAILY = ["Home", "Hub", "My impact", "Leaderboard", "My posts", "Notifications", "My profile"];
const MANAGED = ["My team", "Content", "Review", "People", "Groups", "Point rules", "Blocked words", "Screens"];

/** What each role finds in the management menu (none: no Manage link). */
const managed: Record<string, string[]> = {
  "employee@demo.sprida.local": [],
  "reviewer@demo.sprida.local": ["Review", "Content"],
  "manager@demo.sprida.local": ["My team"],
  "admin@demo.sprida.local": MANAGED,
};

/** The link's exact name; Notifications may carry its count of new ones. */
function linkName(item: string): RegExp {
  return new RegExp(`^${item}( \\d+)?$`);
}

for (const [email, mine] of Object.entries(managed)) {
  test(`${email} signs in and sees their own menu`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator("h1")).toContainText("Welcome");
    const daily = async () => {
      for (const item of DAILY) {
        await expect(nav(page).getByRole("link", { name: linkName(item) })).toBeVisible();
      }
      await expect(nav(page).getByRole("link", { name: "Manage" })).toHaveCount(mine.length ? 1 : 0);
      // Management pages are not in the top bar.
      for (const item of MANAGED) await expect(nav(page).getByRole("link", { name: item, exact: true })).toHaveCount(0);
    };
    await daily();
    // The menu is the same after a full reload (server-rendered from the session).
    await page.reload();
    await hydrated(page);
    await daily();
    if (mine.length) {
      await nav(page).getByRole("link", { name: "Manage" }).click();
      await expect(page.locator("h1")).toHaveText("Manage Sprida");
      for (const item of MANAGED) {
        await expect(manageNav(page).getByRole("link", { name: item, exact: true })).toHaveCount(mine.includes(item) ? 1 : 0);
      }
    }
    await page.click("#sign-out");
    await expect(nav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
  });
}

/** Where each management link leads, and the page's heading there. */
const ADMIN_PLACES: [string, RegExp][] = [
  ["My team", /\/team$/],
  ["People", /\/admin\/people$/],
  ["Groups", /\/admin\/groups$/],
  ["Review", /\/review$/],
  ["Content", /\/content$/],
  ["Blocked words", /\/admin\/blocked-words$/],
  ["Point rules", /\/admin\/points$/],
  ["Screens", /\/admin\/screens$/],
];

for (const [device, viewport] of [["desktop", { width: 1366, height: 768 }], ["phone", { width: 390, height: 844 }]] as const) {
  test(`an admin reaches every management page through the menu on a ${device}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, isMobile: device === "phone", hasTouch: device === "phone" });
    const page = await context.newPage();
    await signIn(page, "admin@demo.sprida.local");
    // The top bar fits on one line at a laptop's width.
    if (device === "desktop") expect((await page.locator("header.topbar").boundingBox())!.height).toBeLessThan(70);
    await nav(page).getByRole("link", { name: "Manage" }).click();
    await hydrated(page);
    for (const [name, url] of ADMIN_PLACES) {
      const link = manageNav(page).getByRole("link", { name, exact: true });
      await link.scrollIntoViewIfNeeded();
      await link.click();
      await expect(page).toHaveURL(url);
      await expect(page.locator("h1").first()).toBeVisible();
      // The current place is always visible: marked in the side menu, and
      // Manage marked in the top bar.
      await expect(link).toHaveAttribute("aria-current", "page");
      await expect(nav(page).getByRole("link", { name: "Manage" })).toHaveClass(/current/);
    }
    await context.close();
  });
}

test("an employee who opens an admin page is told it is not for their role", async ({ page }) => {
  await signIn(page, "employee@demo.sprida.local");
  await expect(page.locator("h1")).toContainText("Welcome");
  for (const path of ["/admin/people", "/admin/points", "/admin/blocked-words", "/admin/screens", "/content", "/content/new", "/review"]) {
    await page.goto(path);
    await expect(page.locator("h1")).toHaveText("Not for your role");
  }
});

test("signed-out visitors are sent to the sign-in page, unknown pages get a 404", async ({ page }) => {
  await page.goto("/profile");
  await expect(page).toHaveURL(/\/sign-in$/);
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId("not-found")).toBeVisible();
});

test("on a phone-sized screen the pages fit the width and the menu is reachable", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  await signIn(page, "admin@demo.sprida.local");
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("h1").first()).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} is wider than the screen`).toBeLessThanOrEqual(0);
    await expect(nav(page).getByRole("link", { name: "My profile" })).toBeInViewport();
  }
  await context.close();
});
