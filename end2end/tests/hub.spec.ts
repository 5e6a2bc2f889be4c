import type { Browser, BrowserContext, Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { hydrated, nav, openManaged, signIn, unique } from "./helpers";

// Headless Chromium says "HeadlessChrome", which the click filter rightly
// treats as a robot: people in these tests use an ordinary browser's agent.
const PERSON_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const VISITOR_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";
const OTHER_UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";
const CRAWLER_UA = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)";

const REVIEWER = "reviewer@demo.sprida.local";
const EMPLOYEE = "employee@demo.sprida.local";

// A 2×2 PNG, made here so the upload is checked by its bytes.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGPgjlkLRAwQCgAbtgRR6cs/gQAAAABJRU5ErkJggg==",
  "base64",
);

const id = unique();
const TITLE = `Winter party ${id}`;
// The destination is a page of this same server, so the visitor really lands
// somewhere (this machine has no internet; a redirected navigation cannot be
// answered by a Playwright route).
const BASE = process.env.SPRIDA_E2E_URL ?? "http://127.0.0.1:3000";
const DESTINATION = `${BASE}/news/winter-${id}`;

test.describe.configure({ mode: "serial" });

async function personContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ userAgent: PERSON_UA });
  // Share intents and the destination are outside this machine: answer them here.
  for (const site of ["https://www.linkedin.com/**", "https://x.com/**"]) {
    await context.route(site, (route) => route.fulfill({ status: 200, contentType: "text/html", body: "<h1>outside</h1>" }));
  }
  return context;
}

async function impact(page: Page) {
  await page.goto("/impact");
  await hydrated(page);
  const figure = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/\D/g, ""));
  return {
    shares: await figure("impact-shares"),
    clicks: await figure("impact-clicks"),
    points: await figure("impact-spendable"),
    lifetime: await figure("impact-lifetime"),
  };
}

test("a reviewer publishes an item and it reaches the employees' hub", async ({ browser }) => {
  const context = await personContext(browser);
  const page = await context.newPage();
  await signIn(page, REVIEWER);
  await openManaged(page, "Content");
  await page.getByTestId("new-item").click();
  await expect(page.getByRole("heading", { name: "New item" })).toBeVisible();
  await hydrated(page);

  // Bad input is refused with a clear message, and nothing is lost.
  await page.fill("#c-title", TITLE);
  await page.fill("#c-url", "javascript:alert(1)");
  await page.getByTestId("publish-item").click();
  await expect(page.getByRole("alert")).toHaveText(/full web address/);
  await expect(page.locator("#c-title")).toHaveValue(TITLE);

  await page.fill("#c-url", DESTINATION);
  await page.fill("#c-summary", "Demo: the whole company celebrates the winter in Göteborg.");
  await page.fill("#c-text-linkedin", "Join us for the winter party in Göteborg this year.");
  await page.fill("#c-text-x", "Winter party in Göteborg!");
  await expect(page.getByTestId("x-suggested-counter")).toHaveText(/^49 \/ 280/);
  await page.fill("#c-tags", `#Events, Party-${id}`);
  await page.setInputFiles("#c-image", { name: "party.png", mimeType: "image/png", buffer: PNG });
  await expect(page.getByTestId("image-preview")).toBeVisible();
  // A file that only claims to be an image is refused.
  await page.setInputFiles("#c-image", { name: "evil.png", mimeType: "image/png", buffer: Buffer.from("<svg onload=alert(1)>") });
  await expect(page.getByRole("alert")).toHaveText(/JPEG, PNG or WebP/);
  await expect(page.getByTestId("image-preview")).toBeVisible();

  await page.getByTestId("publish-item").click();
  await expect(page).toHaveURL(/\/content\/\d+$/);
  await expect(page.getByTestId("item-status")).toContainText("Published");
  await expect(page.getByTestId("item-status")).toContainText("In the hub");
  await expect(page.locator("#c-tags")).toHaveValue(`events, party-${id}`);
  await context.close();

  const employee = await (await personContext(browser)).newPage();
  await signIn(employee, EMPLOYEE);
  await employee.locator("#main-nav").getByRole("link", { name: "Hub" }).click();
  await hydrated(employee);
  const card = employee.getByTestId("hub-card").filter({ hasText: TITLE });
  await expect(card).toBeVisible();
  await expect(card.getByTestId("new-badge")).toBeVisible();
  await expect(card.locator("img.hub-image")).toBeVisible();
  await expect(card.locator(".hub-link a")).toHaveAttribute("href", DESTINATION);
  // Newest first.
  await expect(employee.getByTestId("hub-card").first()).toContainText(TITLE);
  // Tag filter and search.
  await employee.locator(`button[data-tag="party-${id}"]`).click();
  await expect(employee.getByTestId("hub-card")).toHaveCount(1);
  await employee.getByRole("button", { name: "All", exact: true }).click();
  await employee.fill("#hub-search", "no such words anywhere");
  await expect(employee.getByTestId("hub-empty")).toBeVisible();
  await employee.fill("#hub-search", `party ${id}`);
  await expect(employee.getByTestId("hub-card")).toHaveCount(1);
  await employee.context().close();
});

test("an employee shares in their own words, and only real clicks count", async ({ browser }) => {
  const context = await personContext(browser);
  const page = await context.newPage();
  await signIn(page, EMPLOYEE);
  const before = await impact(page);

  await page.goto("/hub");
  await hydrated(page);
  const card = page.getByTestId("hub-card").filter({ hasText: TITLE });
  await card.getByTestId("share-button").click();
  const dialog = page.getByTestId("share-dialog");
  await expect(dialog).toBeVisible();
  await expect(page.locator("#share-text")).toHaveValue("Join us for the winter party in Göteborg this year.");
  await expect(dialog.getByTestId("personalise-hint")).toContainText("Make it yours");
  await page.fill("#share-text", "My colleagues throw the best parties. Join us for the winter party in Göteborg!");
  await expect(dialog.getByTestId("personalise-hint")).toContainText("In your own words");
  // The link is fetched when the dialog opens: wait for it, not "Loading…".
  const trackedLink = /^http:\/\/127\.0\.0\.1:\d+\/s\/[0-9A-Za-z]{12}$/;
  await expect(dialog.getByTestId("tracked-link")).toHaveText(trackedLink);
  const linkedinLink = (await dialog.getByTestId("tracked-link").innerText()).trim();

  const linkedinPopup = context.waitForEvent("page");
  await dialog.getByTestId("share-go").click();
  const linkedin = await linkedinPopup;
  await linkedin.waitForURL(/linkedin\.com/);
  const opened = new URL(linkedin.url());
  expect(opened.origin + opened.pathname).toBe("https://www.linkedin.com/sharing/share-offsite/");
  expect(opened.searchParams.get("url")).toBe(linkedinLink);
  await expect(dialog.getByTestId("share-outcome")).toContainText("+15 points");
  await linkedin.close();

  // X: the text and the link go into the intent; the counter counts the link as 23.
  await dialog.locator("button[data-channel=x]").click();
  await expect(page.locator("#share-text")).toHaveValue("Winter party in Göteborg!");
  await expect(dialog.getByTestId("x-counter")).toHaveText(/^49 \/ 280/);
  await page.fill("#share-text", "Winter party in Göteborg! See you there, everyone.");
  await expect(dialog.getByTestId("x-counter")).toHaveText(/^74 \/ 280/);
  await page.fill("#share-text", "x".repeat(260));
  await expect(dialog.getByTestId("x-counter")).toHaveClass(/over/);
  await expect(dialog.getByTestId("share-go")).toBeDisabled();
  await page.fill("#share-text", "Winter party in Göteborg! See you there, everyone.");
  await expect(dialog.getByTestId("tracked-link")).not.toHaveText(linkedinLink);
  await expect(dialog.getByTestId("tracked-link")).toHaveText(trackedLink);
  const xLink = (await dialog.getByTestId("tracked-link").innerText()).trim();
  const xPopup = context.waitForEvent("page");
  await dialog.getByTestId("share-go").click();
  const xPage = await xPopup;
  await xPage.waitForURL(/x\.com/);
  const x = new URL(xPage.url());
  expect(x.origin + x.pathname).toBe("https://x.com/intent/tweet");
  expect(x.searchParams.get("text")).toBe("Winter party in Göteborg! See you there, everyone.");
  expect(x.searchParams.get("url")).toBe(xLink);
  await expect(dialog.getByTestId("share-outcome")).toContainText("+15 points");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(card.getByTestId("my-shares")).toContainText("LinkedIn, X");

  const shared = await impact(page);
  expect(shared.shares).toBe(before.shares + 2);
  expect(shared.points).toBe(before.points + 30);

  // A visitor opens the LinkedIn link and lands on the destination, tagged.
  const visitorContext = await browser.newContext({ userAgent: VISITOR_UA });
  const visitor = await visitorContext.newPage();
  const response = await visitor.goto(linkedinLink);
  const hop = response!.request().redirectedFrom();
  expect(hop!.url()).toBe(linkedinLink);
  expect((await hop!.response())!.status()).toBe(302);
  const code = linkedinLink.split("/s/")[1];
  const arrived = new URL(visitor.url());
  expect(arrived.origin + arrived.pathname).toBe(DESTINATION);
  expect(Object.fromEntries(arrived.searchParams)).toEqual({
    utm_source: "linkedin",
    utm_medium: "employee_advocacy",
    utm_campaign: `winter-party-${id}`,
    utm_content: code,
  });

  // Stored before the redirect; it shows in the tables within moments.
  await expect.poll(async () => (await impact(page)).clicks).toBe(shared.clicks + 1);
  const clicked = await impact(page);
  expect(clicked.points).toBe(shared.points + 2);

  // None of these count: the same visitor again, a crawler, a HEAD request,
  // and the sharer opening their own link.
  await visitor.goto(linkedinLink);
  await expect(visitor).toHaveURL(/utm_source=linkedin/);
  const crawlerContext = await browser.newContext({ userAgent: CRAWLER_UA });
  const crawler = await crawlerContext.newPage();
  await crawler.goto(linkedinLink);
  await expect(crawler).toHaveURL(/utm_source=linkedin/);
  const head = await visitorContext.request.fetch(linkedinLink, {
    method: "HEAD",
    headers: { "user-agent": OTHER_UA },
    maxRedirects: 0,
  });
  expect(head.status()).toBe(302);
  expect(head.headers()["location"]).toContain("utm_content=" + code);
  const own = await context.newPage();
  await own.goto(linkedinLink);
  await expect(own).toHaveURL(/utm_source=linkedin/);

  // Then a new visitor opens the X link. Clicks reach the tables in the
  // order they came, so once this one shows, the ones above have been
  // counted or not: exactly one more click and its points.
  const otherContext = await browser.newContext({ userAgent: OTHER_UA });
  const other = await otherContext.newPage();
  await other.goto(xLink);
  await expect(other).toHaveURL(/utm_source=x/);
  await expect.poll(async () => (await impact(page)).clicks).toBe(clicked.clicks + 1);
  const after = await impact(page);
  expect(after.points).toBe(clicked.points + 2);
  expect(after.lifetime).toBe(clicked.lifetime + 2);
  await expect(page.getByTestId("impact-networks").locator("tr[data-channel=linkedin]")).toContainText("1");
  await expect(page.getByTestId("impact-networks").locator("tr[data-channel=x]")).toContainText("1");
  await expect(page.getByTestId("impact-latest")).toContainText(TITLE);

  // The colleagues' view of the card counts the shares and the click.
  await page.goto("/hub");
  await hydrated(page);
  await expect(page.getByTestId("hub-card").filter({ hasText: TITLE }).getByTestId("card-stats")).toContainText(
    "2 shares by 1 person, 2 clicks",
  );
  await otherContext.close();
  await crawlerContext.close();
  await visitorContext.close();
  await context.close();
});

test("a reviewer archives an item: it leaves the hub but cannot be deleted once shared", async ({ browser }) => {
  const context = await personContext(browser);
  const page = await context.newPage();
  await signIn(page, REVIEWER);
  await page.goto("/content");
  await hydrated(page);
  const row = page.getByTestId("content-table").locator("tr").filter({ hasText: TITLE });
  await expect(row).toContainText("In the hub");
  await row.getByRole("link", { name: TITLE }).click();
  await expect(page.getByTestId("item-status")).toContainText("2 shares");
  // Shared items offer archiving, not deletion.
  await expect(page.getByTestId("delete-item")).toHaveCount(0);
  await page.getByTestId("archive-item").click();
  await expect(page.getByTestId("item-status")).toContainText("Archived");
  await expect(page.getByTestId("restore-item")).toBeVisible();

  const employee = await context.browser()!.newPage({ userAgent: PERSON_UA });
  await signIn(employee, EMPLOYEE);
  await employee.goto("/hub");
  await hydrated(employee);
  await expect(employee.getByTestId("hub-card").first()).toBeVisible();
  await expect(employee.getByTestId("hub-card").filter({ hasText: TITLE })).toHaveCount(0);
  await employee.close();
  await context.close();
});

test("an admin sets the point rules; bad values are refused", async ({ page }) => {
  await signIn(page, "admin@demo.sprida.local");
  await openManaged(page, "Point rules");
  await hydrated(page);
  const perShare = page.locator("#per_share");
  await expect(perShare).toHaveValue("10");
  await perShare.fill("-3");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("alert")).toHaveText(/whole number from 0 to 10 000/);
  await perShare.fill("12");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await hydrated(page);
  await expect(page.locator("#per_share")).toHaveValue("12");
  // Back to the default, so re-runs start from the same rules.
  await page.locator("#per_share").fill("10");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status")).toHaveText("Saved.");
});

test("on a phone an employee shares from the start page in two taps, without scrolling", async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    userAgent: PERSON_UA,
  });
  await context.route("https://www.linkedin.com/**", (route) =>
    route.fulfill({ status: 200, contentType: "text/html", body: "<h1>outside</h1>" }),
  );
  const page = await context.newPage();
  await signIn(page, EMPLOYEE);
  await expect(page.getByTestId("home-figures")).toBeVisible();
  // The suggested item's Share button is on the first screen, above the tab bar.
  const share = page.getByTestId("home-share");
  await expect(share).toBeInViewport({ ratio: 1 });
  const tabs = await page.locator(".daily").boundingBox();
  expect((await share.boundingBox())!.y + 44).toBeLessThanOrEqual(tabs!.y);
  await share.tap();
  const dialog = page.getByTestId("share-dialog");
  await expect(dialog.getByTestId("tracked-link")).toHaveText(/\/s\/[0-9A-Za-z]{12}$/);
  const go = dialog.getByTestId("share-go");
  await expect(go).toBeInViewport({ ratio: 1 });
  const popup = context.waitForEvent("page");
  await go.tap();
  await (await popup).close();
  await expect(dialog.getByTestId("share-outcome")).toBeVisible();
  // No scrolling was needed.
  expect(await page.evaluate(() => window.scrollY)).toBe(0);
  await context.close();
});
