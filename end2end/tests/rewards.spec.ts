import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, signIn, unique } from "./helpers";

// Rewards (issue 19), as people use them: an administrator fills the
// catalogue (one with voucher codes); Omar says experiences motivate him,
// sees the cinema first, earns points by sharing and redeems it (spendable
// drops at once, lifetime does not); the administrator approves it on the
// fulfilment board and the code shows for Omar alone; a second request is
// declined with a reason and the points come back.
const PERSON_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const OMAR = "omar.haddad@demo.sprida.local";
const SARA = "sara.nilsson@demo.sprida.local";
const ADMIN = "admin@demo.sprida.local";

async function person(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ userAgent: PERSON_UA });
  // The share opens the network's page, which this machine cannot reach.
  await context.route(/linkedin\.com|x\.com/, (r) => r.fulfill({ status: 200, contentType: "text/html", body: "<h1>ok</h1>" }));
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function figure(page: Page, id: string) {
  return Number((await page.getByTestId(id).innerText()).replace(/\D/g, ""));
}

async function addReward(admin: Page, name: string, category: string, fulfilment: string) {
  await admin.getByTestId("new-reward").click();
  await admin.fill("#r-name", name);
  await admin.fill("#r-description", "For two, any weekday.");
  await admin.locator("#r-category").selectOption(category);
  await admin.fill("#r-price", "5");
  await admin.locator("#r-fulfilment").selectOption(fulfilment);
  await admin.getByTestId("save-reward").click();
  await expect(admin.getByTestId("reward-row").filter({ hasText: name })).toBeVisible();
}

test("redeem a reward, approved with a code for its owner alone; a declined one gives the points back", async ({
  browser,
}) => {
  const id = unique();
  const cinema = `Cinema tickets ${id}`;
  const lunch = `Team lunch ${id}`;
  const admin = await person(browser, ADMIN);
  await openManaged(admin, "Rewards catalogue");
  await hydrated(admin);
  // Bad input first: a clear message, nothing saved.
  await admin.getByTestId("new-reward").click();
  await admin.fill("#r-price", "0");
  await admin.getByTestId("save-reward").click();
  await expect(admin.locator("#reward-form").getByRole("alert")).toHaveText("Enter a name.");
  await admin.getByRole("button", { name: "Cancel" }).click();
  await addReward(admin, cinema, "experiences", "voucher");
  await addReward(admin, lunch, "things", "manual");
  await admin.getByTestId("reward-row").filter({ hasText: cinema }).getByRole("button", { name: "Edit" }).click();
  await admin.fill("#voucher-text", `code\nCINE-${id}-1\nCINE-${id}-2\n`);
  await admin.getByTestId("add-vouchers").click();
  await expect(admin.getByTestId("voucher-report")).toHaveText("2 codes added, none already there; 2 left.");

  // Omar: experiences first; points from one share.
  const omar = await person(browser, OMAR);
  await nav(omar).getByRole("link", { name: "My profile" }).click();
  await hydrated(omar);
  await omar.locator("#motivations-form li[data-motivation=experiences]").getByRole("checkbox").check();
  await omar.locator("#motivations-form").getByRole("button", { name: "Save" }).click();
  await expect(omar.locator("#motivations-form").getByRole("status")).toHaveText("Saved.");
  await nav(omar).getByRole("link", { name: "Home" }).click();
  await hydrated(omar);
  await omar.getByTestId("home-share").click();
  const dialog = omar.getByTestId("share-dialog");
  await expect(dialog.getByTestId("tracked-link")).toHaveText(/\/s\//);
  const popup = omar.context().waitForEvent("page");
  await dialog.getByTestId("share-go").click();
  await (await popup).close();
  await expect(dialog.getByTestId("share-outcome")).toBeVisible();
  await dialog.getByRole("button", { name: "Close" }).click();

  await nav(omar).getByRole("link", { name: "Rewards" }).click();
  await hydrated(omar);
  const first = omar.getByTestId("reward").first();
  await expect(first).toContainText(cinema);
  await expect(first).toContainText("Matches what motivates you");
  const spendable = await figure(omar, "rewards-spendable");
  const lifetime = await figure(omar, "rewards-lifetime");
  expect(spendable).toBeGreaterThanOrEqual(10);
  await first.getByTestId("redeem").click();
  await omar.getByTestId("redeem-confirm").click();
  await expect(omar.getByTestId("redeem-outcome")).toContainText("5 points are set aside");
  await omar.getByTestId("redeem-dialog").getByRole("button", { name: "Close" }).click();
  await expect.poll(() => figure(omar, "rewards-spendable")).toBe(spendable - 5);
  expect(await figure(omar, "rewards-lifetime")).toBe(lifetime);
  expect(await figure(omar, "rewards-held")).toBe(5);

  // The administrator sets a monthly budget, then approves the request on
  // the fulfilment board by dragging it, as on the review board.
  await openManaged(admin, "Reward requests");
  await hydrated(admin);
  await admin.getByTestId("budget").locator("summary").click();
  await admin.getByTestId("budget-amount").fill("5000");
  await admin.getByTestId("budget-currency").fill("sek");
  await admin.getByTestId("budget").getByRole("button", { name: "Save" }).click();
  await expect(admin.getByTestId("budget-status")).toContainText("of 5 000 SEK approved");
  const card = admin.locator(".column[data-status=requested] [data-testid=request-card]", { hasText: cinema });
  await expect(card).toContainText("Omar Haddad");
  const grip = await card.locator("h3").boundingBox();
  const target = await admin.locator(".column[data-status=approved]").boundingBox();
  if (!grip || !target) throw new Error("card or column not on screen");
  await admin.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await admin.mouse.down();
  await admin.mouse.move(target.x + target.width / 2, target.y + 60, { steps: 15 });
  await expect(admin.locator(".column[data-status=approved]")).toHaveClass(/over/);
  await admin.mouse.up();
  await expect(admin.locator(".column[data-status=approved] [data-testid=request-card]", { hasText: cinema })).toBeVisible();

  // Omar sees his code (live, without a reload); Sara sees no one's.
  const mine = omar.getByTestId("my-request").filter({ hasText: cinema });
  await expect(mine.getByTestId("request-status")).toHaveText("Approved");
  await expect(mine.getByTestId("my-voucher")).toHaveText(`CINE-${id}-1`);
  expect(await figure(omar, "rewards-held")).toBe(0);
  const sara = await person(browser, SARA);
  await sara.goto("/rewards");
  await hydrated(sara);
  await expect(sara.getByText(`CINE-${id}-1`)).toHaveCount(0);

  // A second request, declined with a reason: the points come back.
  const before = await figure(omar, "rewards-spendable");
  await omar.getByTestId("reward").filter({ hasText: lunch }).getByTestId("redeem").click();
  await omar.getByTestId("redeem-confirm").click();
  await omar.getByTestId("redeem-dialog").getByRole("button", { name: "Close" }).click();
  await expect.poll(() => figure(omar, "rewards-spendable")).toBe(before - 5);
  await admin.reload();
  await hydrated(admin);
  const lunchCard = admin.locator(".column[data-status=requested] [data-testid=request-card]", { hasText: lunch });
  await lunchCard.getByRole("button", { name: "Move to: Declined" }).click();
  await expect(admin.getByRole("alert")).toContainText("Say why it is declined");
  await lunchCard.getByLabel("Note (required to decline)").fill("Fully booked this month");
  await lunchCard.getByRole("button", { name: "Move to: Declined" }).click();
  await expect(admin.locator(".column[data-status=declined] [data-testid=request-card]", { hasText: lunch })).toBeVisible();
  const declined = omar.getByTestId("my-request").filter({ hasText: lunch });
  await expect(declined.getByTestId("request-status")).toHaveText("Declined");
  await expect(declined.getByTestId("request-note")).toHaveText("Fully booked this month");
  await expect.poll(() => figure(omar, "rewards-spendable")).toBe(before);

  // And he was told, step by step.
  await nav(omar).getByRole("link", { name: /Notifications/ }).click();
  await expect(omar.getByTestId("notice").first()).toContainText(`Your request for “${lunch}” was declined`);
});
