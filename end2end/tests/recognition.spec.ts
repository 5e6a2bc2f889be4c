import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, signIn, unique } from "./helpers";

// Recognition and challenges (issue 19), as people use them: a manager
// thanks Fatima for one of the company's values with points and an award;
// she sees it and is told, her points grow, and a paired TV's ticker shows
// it. A challenge made in the app ends and its winner is paid, once.
const PERSON_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const MANAGER = "manager@demo.sprida.local";
const FATIMA = "fatima.ali@demo.sprida.local";
const ERIK = "erik.lund@demo.sprida.local";
const ADMIN = "admin@demo.sprida.local";

async function person(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ userAgent: PERSON_UA, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function figure(page: Page, id: string) {
  return Number((await page.getByTestId(id).innerText()).replace(/\D/g, ""));
}

async function lifetime(page: Page) {
  await page.goto("/rewards");
  await hydrated(page);
  return figure(page, "rewards-lifetime");
}

test("a manager thanks a colleague with a value, points and an award; she sees it and the TV ticker shows it", async ({
  browser,
}) => {
  const id = unique();
  // A screen that shows the ticker alone, paired.
  const admin = await person(browser, ADMIN);
  await openManaged(admin, "Screens");
  await hydrated(admin);
  await admin.fill("#screen-name", `Kitchen ${id}`);
  for (const panel of ["people", "teams", "reach", "kudos", "challenge"]) await admin.locator(`[data-panel=${panel}]`).uncheck();
  await admin.getByTestId("create-screen").click();
  const pairing = await admin.getByTestId("pairing-link").inputValue();
  const tv = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await tv.goto(pairing);
  await tv.getByRole("button", { name: /Pair this screen/ }).click();
  await expect(tv.getByTestId("tv").getByRole("heading")).toHaveText("Latest shares and thanks");

  const fatima = await person(browser, FATIMA);
  const before = await lifetime(fatima);

  // Maja opens Thanks from the daily bar; bad input gets a clear message.
  const maja = await person(browser, MANAGER);
  await nav(maja).getByRole("link", { name: "Thanks" }).click();
  await hydrated(maja);
  await expect(maja.getByTestId("allowance")).toContainText("this month (of 200)");
  await maja.getByTestId("kudos-send").click();
  await expect(maja.getByTestId("give-form").getByRole("alert")).toHaveText("Choose a colleague to thank.");
  await maja.getByTestId("kudos-who").fill("fatima");
  await maja.getByTestId("colleague").filter({ hasText: "Fatima Ali" }).click();
  await expect(maja.getByTestId("thanking")).toContainText("Fatima Ali");
  await maja.getByTestId("kudos-message").fill(`Thank you for the customer workshop ${id}!`);
  await maja.getByTestId("kudos-send").click();
  await expect(maja.getByTestId("give-form").getByRole("alert")).toHaveText("Choose at least one of our values.");
  await maja.getByLabel(/^Courage/).check();
  await maja.getByTestId("kudos-points").fill("20");
  await maja.getByTestId("kudos-award").fill("Workshop hero");
  await maja.getByTestId("kudos-send").click();
  await expect(maja.getByTestId("kudos-sent")).toHaveText("Thanks sent.");
  const card = maja.getByTestId("kudos").filter({ hasText: id });
  await expect(card).toContainText("Maja Manager thanked Fatima Ali");
  await expect(card).toContainText("Courage");
  await expect(card.getByTestId("kudos-award-title")).toHaveText("Workshop hero");
  await expect(card.getByTestId("kudos-points-given")).toHaveText("+20 points");

  // Fatima: on her wall, told in her notifications, 20 points more.
  await nav(fatima).getByRole("link", { name: /Notifications/ }).click();
  await expect(fatima.getByTestId("notice").first()).toContainText("Maja Manager thanked you");
  await fatima.getByTestId("notice").first().getByRole("link").click();
  await expect(fatima).toHaveURL(/\/recognition#k\d+$/);
  await expect(fatima.getByTestId("kudos").filter({ hasText: id })).toBeVisible();
  expect(await lifetime(fatima)).toBe(before + 20);

  // The TV's ticker, live.
  await expect(tv.getByTestId("tv-thanks").first()).toHaveText("Maja Manager thanked Fatima Ali");
});

/** `datetime-local` text for a time, in the browser's zone. */
async function local(page: Page, ms: number): Promise<string> {
  return page.evaluate((t) => {
    const d = new Date(t);
    const p = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
  }, ms);
}

test("a challenge made in the app ends and its winner is paid once", async ({ browser }) => {
  // It waits for the end, up to a minute and a half (the form has minutes).
  test.setTimeout(240_000);
  const id = unique();
  const tag = `sprint${id}`;
  const admin = await person(browser, ADMIN);
  // An item with the challenge's own tag, so only shares of it count.
  const saved = await admin.request.post("/api/save_content", {
    data: {
      id: null,
      input: {
        title: `Sprint item ${id}`, summary: "For the challenge test.", destination_url: `https://example.com/${id}`,
        image_id: null, texts: [], tags: tag, target_groups: [], publish_at: null, expires_at: null,
      },
    },
  });
  expect(saved.ok()).toBeTruthy();
  const item = await saved.json();
  const published = await admin.request.post("/api/set_content_status", { form: { id: String(item), status: "Published" } });
  expect(published.ok()).toBeTruthy();

  await openManaged(admin, "Challenges");
  await hydrated(admin);
  await admin.getByTestId("new-challenge").click();
  // Bad input first: a clear message, nothing saved.
  await admin.getByTestId("challenge-save").click();
  await expect(admin.getByTestId("challenge-form").getByRole("alert")).toHaveText("Give both a start and an end.");
  const title = `Sprint ${id}`;
  const now = Date.now();
  // The form has minutes: the end is the next whole minute at least 25 s away.
  let end = Math.ceil(now / 60_000) * 60_000;
  if (end - now < 25_000) end += 60_000;
  await admin.getByTestId("challenge-title").fill(title);
  await admin.getByTestId("challenge-metric").selectOption("shares");
  await admin.getByTestId("challenge-tag").fill(tag);
  await admin.getByTestId("challenge-starts").fill(await local(admin, now - 120_000));
  await admin.getByTestId("challenge-ends").fill(await local(admin, end));
  await admin.getByTestId("challenge-minimum").fill("1");
  await admin.getByTestId("challenge-prize").fill("50");
  await admin.getByTestId("challenge-save").click();
  const challenge = admin.getByTestId("challenge").filter({ hasText: title });
  await expect(challenge.getByTestId("challenge-phase")).toHaveText("On now");

  // Erik shares the item: he leads, live.
  const erik = await person(browser, ERIK);
  const shared = await erik.request.post("/api/record_share", { form: { item_id: String(item), channel: "LinkedIn", text: "Have a look" } });
  expect(shared.ok()).toBeTruthy();
  // (The share itself pays too: the prize is counted from here.)
  const before = await lifetime(erik);
  await expect(challenge.getByTestId("placing").first()).toContainText("Erik Lund");
  await erik.goto("/challenges");
  await hydrated(erik);
  const his = erik.getByTestId("challenge").filter({ hasText: title });
  await expect(his.getByTestId("placing").first()).toHaveClass(/mine/);

  // It ends: the winner is paid by the server on its own, and told.
  await expect(his.getByTestId("challenge-phase")).toHaveText("Ended, prizes paid", { timeout: 150_000 });
  await expect(his.getByTestId("winner")).toHaveText("Winner");
  await nav(erik).getByRole("link", { name: /Notifications/ }).click();
  await expect(erik.getByTestId("notice").first()).toContainText(`You won “${title}”!`);
  expect(await lifetime(erik)).toBe(before + 50);
  // Once: a while later nothing more was paid.
  await erik.waitForTimeout(6_000);
  expect(await lifetime(erik)).toBe(before + 50);
});
