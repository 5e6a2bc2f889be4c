import { expect, test } from "@playwright/test";
import { ADMIN_PAGES, hydrated, nav, signIn } from "./helpers";

const menus: Record<string, { visible: string[]; hidden: string[] }> = {
  "employee@demo.sprida.local": {
    visible: ["Home", "Hub", "My impact", "Leaderboard", "My posts", "Notifications", "My profile"],
    hidden: ["My team", "Content", "Review", "People", "Groups", "Point rules", "Blocked words", "Screens"],
  },
  "reviewer@demo.sprida.local": {
    visible: ["Home", "Hub", "My impact", "Leaderboard", "My posts", "My profile", "Content", "Review"],
    hidden: ["My team", "People", "Groups", "Point rules", "Blocked words", "Screens"],
  },
  "manager@demo.sprida.local": {
    visible: ["Home", "Hub", "My impact", "Leaderboard", "My profile", "My team"],
    hidden: ["Content", "Review", "People", "Groups", "Point rules", "Blocked words", "Screens"],
  },
  "admin@demo.sprida.local": {
    visible: ["Home", "Hub", "My impact", "Leaderboard", "My posts", "My profile", "My team", "Content", "Review", "People", "Groups", "Point rules", "Blocked words", "Screens"],
    hidden: [],
  },
};

/** The link's exact name; Notifications may carry its count of new ones. */
function linkName(item: string): RegExp {
  return new RegExp(`^${item}( \\d+)?$`);
}

for (const [email, menu] of Object.entries(menus)) {
  test(`${email} signs in and sees their own menu`, async ({ page }) => {
    await signIn(page, email);
    await expect(page).toHaveURL(/\/$/);
    await expect(page.locator("h1")).toContainText("Welcome");
    for (const item of menu.visible) {
      await expect(nav(page).getByRole("link", { name: linkName(item) })).toBeVisible();
    }
    for (const item of menu.hidden) {
      await expect(nav(page).getByRole("link", { name: item, exact: true })).toHaveCount(0);
    }
    // The menu is the same after a full reload (server-rendered from the session).
    await page.reload();
    await hydrated(page);
    for (const item of menu.visible) {
      await expect(nav(page).getByRole("link", { name: linkName(item) })).toBeVisible();
    }
    await page.click("#sign-out");
    await expect(nav(page).getByRole("link", { name: "Sign in" })).toBeVisible();
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
