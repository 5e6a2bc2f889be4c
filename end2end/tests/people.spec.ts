import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, signIn, trySignIn, unique } from "./helpers";

test("an admin creates a person who accepts the invitation and signs in", async ({ page, browser }) => {
  const email = `new.${unique()}@example.com`;
  await signIn(page, "admin@demo.sprida.local");
  await openManaged(page, "People");
  await expect(page.locator("h1")).toHaveText("People");
  await page.getByText("Add a person").click();
  const form = page.locator("#add-person");
  await form.locator("input[name=email]").fill(email);
  await form.locator("input[name=name]").fill("Nils Newcomer");
  await form.locator("input[name=title]").fill("Trainee");
  await form.locator("input[name=role-reviewer]").check();
  await form.getByRole("checkbox", { name: /Platform/ }).check();
  await form.locator("button[type=submit]").click();
  const link = page.getByTestId("invite-url");
  await expect(link).toBeVisible();
  const url = await link.inputValue();
  expect(url).toContain("/invite/");
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText("Invited");

  // The new person, in a browser of their own.
  const context = await browser.newContext();
  const newcomer = await context.newPage();
  await newcomer.goto(url);
  await hydrated(newcomer);
  await expect(newcomer.getByText("Hi Nils Newcomer!")).toBeVisible();
  await newcomer.fill("input[name=password]", "short");
  // The browser's own minlength check stops it; the server checks again.
  await newcomer.fill("input[name=password]", "newcomer password 1");
  await newcomer.getByRole("button", { name: "Activate my account" }).click();
  await expect(newcomer).toHaveURL(/\/profile$/);
  await expect(newcomer.getByTestId("who")).toHaveText("Nils Newcomer");
  await expect(nav(newcomer).getByRole("link", { name: "People" })).toHaveCount(0);

  // Later, from a fresh browser, with e-mail and password.
  await newcomer.click("#sign-out");
  // Signed out once the menu says so (going on at once raced the sign-out).
  await expect(nav(newcomer).getByRole("link", { name: "Sign in" })).toBeVisible();
  await signIn(newcomer, email, "newcomer password 1");
  await expect(newcomer.locator("h1")).toHaveText("Welcome, Nils Newcomer");
  // A reviewer: the management area is theirs to open.
  await expect(nav(newcomer).getByRole("link", { name: "Manage" })).toBeVisible();
  await context.close();
});

test("a deactivated person is signed out at once and cannot sign in", async ({ page, browser }) => {
  const email = `leaver.${unique()}@example.com`;
  // Set up a person with a password through the admin UI and an invitation.
  await signIn(page, "admin@demo.sprida.local");
  await page.goto("/admin/people");
  await hydrated(page);
  await page.getByText("Add a person").click();
  await page.locator("#add-person input[name=email]").fill(email);
  await page.locator("#add-person input[name=name]").fill("Lena Leaver");
  await page.locator("#add-person button[type=submit]").click();
  const url = await page.getByTestId("invite-url").inputValue();

  const context = await browser.newContext();
  const leaver = await context.newPage();
  await leaver.goto(url);
  await hydrated(leaver);
  await leaver.fill("input[name=password]", "leaver password 1");
  await leaver.getByRole("button", { name: "Activate my account" }).click();
  await expect(leaver).toHaveURL(/\/profile$/);

  page.once("dialog", (dialog) => dialog.accept());
  const row = page.locator(`tr[data-email="${email}"]`);
  await row.getByRole("button", { name: "Deactivate" }).click();
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText("Deactivated");

  // Their open page loses its session: the next load goes to sign-in.
  await leaver.reload();
  await expect(leaver).toHaveURL(/\/sign-in$/);
  await trySignIn(leaver, email, "leaver password 1");
  await expect(leaver.getByRole("alert")).toHaveText("This account has been deactivated. Contact an administrator.");

  // Reactivated, they are back.
  await page.locator(`tr[data-email="${email}"]`).getByRole("button", { name: "Reactivate" }).click();
  await expect(page.locator(`tr[data-email="${email}"]`)).toContainText("Active");
  await signIn(leaver, email, "leaver password 1");
  await expect(leaver.locator("h1")).toHaveText("Welcome, Lena Leaver");
  await context.close();
});

test("CSV import shows a per-row report", async ({ page }) => {
  const a = `csv.a.${unique()}@example.com`;
  await signIn(page, "admin@demo.sprida.local");
  await page.goto("/admin/people");
  await hydrated(page);
  await page.getByText("Import from CSV").click();
  await page.locator("#import-people textarea").fill(
    `email,name,title,department,team,office,roles\n${a},Csv Person,,Engineering,,,employee\nbad-address,Nobody,,,,,\n`,
  );
  await page.locator("#import-people button[type=submit]").click();
  const report = page.getByTestId("import-report");
  await expect(report).toContainText("Imported 1 person.");
  await expect(report).toContainText("Row 3 (bad-address): Enter a valid e-mail address.");
  await expect(page.locator(`tr[data-email="${a}"]`)).toBeVisible();
});

test("profile: networks and audiences are saved", async ({ page }) => {
  await signIn(page, "manager@demo.sprida.local");
  await expect(page.locator("h1")).toContainText("Welcome");
  await nav(page).getByRole("link", { name: "My profile" }).click();
  const form = page.locator("#profile-form");
  await expect(form.getByTestId("department")).toHaveText("Engineering");
  await form.locator("input[name=use-linkedin]").check();
  await form.locator("input[name=audience-linkedin]").fill("-3");
  await form.locator("button[type=submit]").click();
  await expect(form.getByRole("alert")).toContainText("whole numbers");
  await form.locator("input[name=audience-linkedin]").fill("2500");
  await form.locator("button[type=submit]").click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await hydrated(page);
  await expect(page.locator("input[name=audience-linkedin]")).toHaveValue("2500");
});
