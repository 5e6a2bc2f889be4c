import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, signIn } from "./helpers";

// What motivates me (issue 19): chosen and ordered in My profile, by mouse
// and by keyboard, kept across a reload, and seen by the person's manager.
// Jonas is in Maja's team and in no other spec.
const JONAS = "jonas.ek@demo.sprida.local";
const MANAGER = "manager@demo.sprida.local";

test("a person orders what motivates them and their manager sees it", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, JONAS);
  await nav(page).getByRole("link", { name: "My profile" }).click();
  await hydrated(page);
  const form = page.locator("#motivations-form");
  const row = (code: string) => form.locator(`li[data-motivation=${code}]`);
  await row("time_off").getByRole("checkbox").check();
  await row("training").getByRole("checkbox").check();
  await row("charity").getByRole("checkbox").check();
  // Chosen ones come first, numbered in the order ticked.
  await expect(form.locator("li.chosen")).toHaveText([/1\. Time off/, /2\. Training/, /3\. Giving to charity/]);
  // By keyboard: Training up one place.
  await row("training").getByRole("button", { name: "Move Training and courses up" }).focus();
  await page.keyboard.press("Enter");
  await expect(form.locator("li.chosen")).toHaveText([/1\. Training/, /2\. Time off/, /3\. Giving to charity/]);
  await row("charity").getByRole("checkbox").uncheck();
  await form.locator("input[name=on-boards]").uncheck();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");

  await page.reload();
  await hydrated(page);
  await expect(form.locator("li.chosen")).toHaveText([/1\. Training/, /2\. Time off/]);
  await expect(form.locator("input[name=on-boards]")).not.toBeChecked();

  const manager = await (await browser.newContext()).newPage();
  await signIn(manager, MANAGER);
  await openManaged(manager, "My team");
  const jonas = manager.locator("ul.team li", { hasText: "Jonas Ek" });
  await expect(jonas.getByTestId("team-motivations")).toHaveText("Motivated by: Training and courses, Time off");
  await expect(manager.locator("ul.team li", { hasText: "Linnea Berg" }).getByTestId("team-motivations")).toHaveText(
    "Has not said what motivates them yet.",
  );

  // Back on the boards, for whoever runs the suite again.
  await form.locator("input[name=on-boards]").check();
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("status")).toHaveText("Saved.");
  await context.close();
});
