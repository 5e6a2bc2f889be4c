import { expect, test } from "./fixtures";
import { hydrated, nav, signIn, trySignIn } from "./helpers";

test("bad sign-in input gets a clear message", async ({ page }) => {
  await trySignIn(page, "employee@demo.sprida.local", "not the password");
  await expect(page.getByRole("alert")).toHaveText("Wrong e-mail address or password.");
  await page.fill("input[name=email]", "nobody@example.com");
  await page.click("#sign-in-form button[type=submit]");
  await expect(page.getByRole("alert")).toHaveText("Wrong e-mail address or password.");
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("a Swedish browser gets Swedish, and the switch changes it", async ({ browser }) => {
  const context = await browser.newContext({ locale: "sv-SE" });
  const page = await context.newPage();
  await page.goto("/sign-in");
  await hydrated(page);
  await expect(page.locator("h1")).toHaveText("Logga in i Sprida");
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.locator("h1")).toHaveText("Sign in to Sprida");
  await page.reload();
  await expect(page.locator("h1")).toHaveText("Sign in to Sprida");
  await context.close();
});

test("the UI switches to Swedish in the profile and back", async ({ page }) => {
  await signIn(page, "reviewer@demo.sprida.local");
  await expect(page.locator("h1")).toHaveText("Welcome, Rasmus Reviewer");
  await nav(page).getByRole("link", { name: "My profile" }).click();
  await page.locator("#profile-form select[name=language]").selectOption("sv");
  await page.locator("#profile-form button[type=submit]").click();
  await expect(page.locator("#profile-form").getByRole("status")).toHaveText("Sparat.");
  await expect(nav(page).getByRole("link", { name: "Min profil" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "sv");
  // Remembered on the server: a reload renders Swedish straight away.
  await page.reload();
  await expect(page.locator("h1").first()).toHaveText("Min profil");
  await hydrated(page);
  await page.locator("#profile-form select[name=language]").selectOption("en");
  await page.locator("#profile-form button[type=submit]").click();
  await expect(page.locator("#profile-form").getByRole("status")).toHaveText("Saved.");
  await expect(nav(page).getByRole("link", { name: "My profile" })).toBeVisible();
});
