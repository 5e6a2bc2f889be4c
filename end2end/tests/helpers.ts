import { expect, Page } from "@playwright/test";

export const DEMO_PASSWORD = "sprida-demo";

/** Waits until the WASM app has hydrated, so clicks reach Leptos handlers. */
export async function hydrated(page: Page) {
  await expect(page.locator("body[data-hydrated]")).toHaveCount(1);
}

/** Submits the sign-in form, whatever the outcome. */
export async function trySignIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.fill("#sign-in-form input[name=email]", email);
  await page.fill("#sign-in-form input[name=password]", password);
  await page.click("#sign-in-form button[type=submit]");
}

/** Signs in and waits until the app shows the person as signed in. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await trySignIn(page, email, password);
  await expect(page.getByTestId("who")).not.toBeEmpty();
  await expect(page).toHaveURL(/\/$/);
}

export function nav(page: Page) {
  return page.locator("#main-nav");
}

/** The management area's side menu (on its pages only). */
export function manageNav(page: Page) {
  return page.locator("#manage-nav");
}

/** Opens a management page as a person would: Manage in the top bar, then
 * the page in the side menu. */
export async function openManaged(page: Page, name: string) {
  await nav(page).getByRole("link", { name: "Manage" }).click();
  await expect(page).toHaveURL(/\/manage$/);
  await hydrated(page);
  await manageNav(page).getByRole("link", { name, exact: true }).click();
}

/** A unique suffix so tests can be re-run against the same database. */
export function unique() {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
}

/** Every page an administrator can open (all but the TV and per-item pages). */
export const ADMIN_PAGES = [
  "/",
  "/hub",
  "/impact",
  "/profile",
  "/content",
  "/content/new",
  "/admin/people",
  "/admin/groups",
  "/admin/points",
  "/admin/blocked-words",
  "/admin/screens",
  "/manage",
  "/leaderboard",
  "/team",
  "/posts",
  "/posts/new",
  "/review",
  "/notifications",
  "/rewards",
  "/admin/rewards",
  "/admin/fulfilment",
  "/recognition",
  "/admin/recognition",
  "/challenges",
];
