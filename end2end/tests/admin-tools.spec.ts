import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, signIn, trySignIn, unique } from "./helpers";

test("an admin edits a person's roles, and makes a new invitation link", async ({ page }) => {
  await signIn(page, "admin@demo.sprida.local");
  await page.goto("/admin/people");
  await hydrated(page);
  const row = page.locator('tr[data-email="sara.nilsson@demo.sprida.local"]');
  await expect(row).toContainText("Employee");
  await row.getByRole("button", { name: "Edit" }).click();
  const editor = page.locator("form.edit-person");
  await editor.locator("input[name=title]").fill("Lead designer <b>bold</b>");
  await editor.locator("input[name=role-reviewer]").check();
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(page.locator("form.edit-person")).toHaveCount(0);
  const updated = page.locator('tr[data-email="sara.nilsson@demo.sprida.local"]');
  await expect(updated).toContainText("Employee, Reviewer");
  // Markup typed into a field is shown as text, never interpreted.
  await expect(updated).toContainText("Lead designer <b>bold</b>");
  await expect(updated.locator("b")).toHaveCount(0);

  // An empty name is refused with a clear message and nothing is saved.
  await updated.getByRole("button", { name: "Edit" }).click();
  await page.locator("form.edit-person input[name=name]").fill("   ");
  await page.locator("form.edit-person").getByRole("button", { name: "Save" }).click();
  await expect(page.locator("form.edit-person").getByRole("alert")).toHaveText("Enter a name.");
  await page.locator("form.edit-person").getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator('tr[data-email="sara.nilsson@demo.sprida.local"]')).toContainText("Sara Nilsson");

  await page.locator('tr[data-email="omar.haddad@demo.sprida.local"]').getByRole("button", { name: "New invitation link" }).click();
  const link = page.getByTestId("invite-url");
  await expect(link).toHaveValue(/\/invite\/[0-9a-f]{64}$/);
  await expect(page.getByText("Invitation link for Omar Haddad")).toBeVisible();
});

test("an admin adds, renames and deletes a group", async ({ page }) => {
  const name = `Guild ${unique()}`;
  await signIn(page, "admin@demo.sprida.local");
  await openManaged(page, "Groups");
  await expect(page.locator("h1")).toHaveText("Groups");
  await page.locator("#add-group select[name=kind]").selectOption("team");
  await page.locator("#add-group input[name=name]").fill(name);
  await page.locator("#add-group button[type=submit]").click();
  const row = page.locator(`tr[data-group="${name}"]`);
  await expect(row).toContainText("Team");
  // The same name again is refused with a message.
  await page.locator("#add-group input[name=name]").fill(name);
  await page.locator("#add-group button[type=submit]").click();
  await expect(page.getByRole("alert")).toHaveText("A group of that kind already has that name.");

  await row.getByRole("textbox").fill(`${name} renamed`);
  await row.getByRole("button", { name: "Rename" }).click();
  const renamed = page.locator(`tr[data-group="${name} renamed"]`);
  await expect(renamed).toHaveCount(1);
  // The message reflects the latest action: the old error is gone.
  await expect(page.getByRole("alert")).toHaveCount(0);
  page.once("dialog", (dialog) => dialog.accept());
  await renamed.getByRole("button", { name: "Delete" }).click();
  await expect(page.locator(`tr[data-group="${name} renamed"]`)).toHaveCount(0);
});

test("a manager sees their team; an employee cannot", async ({ page }) => {
  await signIn(page, "manager@demo.sprida.local");
  await openManaged(page, "My team");
  await expect(page.locator("h1")).toHaveText("My team");
  await expect(page.locator("ul.team")).toContainText("Elias Employee");
  await expect(page.locator("ul.team")).not.toContainText("Maja Manager");
  await page.click("#sign-out");
  await signIn(page, "employee@demo.sprida.local");
  await page.goto("/team");
  await expect(page.locator("h1")).toHaveText("Not for your role");
});

test("changing the password: wrong current password is refused, then the new one works", async ({ page, browser }) => {
  // A person of its own, so other tests keep the demo password.
  const email = `pw.${unique()}@example.com`;
  await signIn(page, "admin@demo.sprida.local");
  await page.goto("/admin/people");
  await hydrated(page);
  await page.getByText("Add a person").click();
  await page.locator("#add-person input[name=email]").fill(email);
  await page.locator("#add-person input[name=name]").fill("Petra Password");
  await page.locator("#add-person button[type=submit]").click();
  const url = await page.getByTestId("invite-url").inputValue();

  const context = await browser.newContext();
  const petra = await context.newPage();
  await petra.goto(url);
  await hydrated(petra);
  await petra.fill("input[name=password]", "first password 1");
  await petra.getByRole("button", { name: "Activate my account" }).click();
  await expect(petra).toHaveURL(/\/profile$/);
  const form = petra.locator("#password-form");
  await form.locator("input[name=current]").fill("not my password");
  await form.locator("input[name=new]").fill("second password 2");
  await form.locator("button[type=submit]").click();
  await expect(form.getByRole("alert")).toHaveText("The current password is wrong.");
  await form.locator("input[name=current]").fill("first password 1");
  await form.locator("button[type=submit]").click();
  await expect(form.getByRole("status")).toContainText("Password changed.");
  await petra.click("#sign-out");
  await trySignIn(petra, email, "first password 1");
  await expect(petra.getByRole("alert")).toHaveText("Wrong e-mail address or password.");
  await signIn(petra, email, "second password 2");
  await context.close();
});
