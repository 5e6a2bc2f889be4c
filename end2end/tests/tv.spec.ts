import type { Browser, Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { execSync } from "node:child_process";
import { hydrated, nav, openManaged, signIn, unique } from "./helpers";

// Headless Chromium calls itself a robot; people here use ordinary agents.
const PERSON_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const BASE = process.env.SPRIDA_E2E_URL ?? "http://127.0.0.1:3000";

test.describe.configure({ mode: "serial" });

/** scripts/e2e-server.sh, which scripts/test.sh points to; the restart part needs it. */
function server(command: "stop" | "start") {
  const script = process.env.SPRIDA_E2E_SERVER;
  if (!script) throw new Error("SPRIDA_E2E_SERVER is not set: run the tests with scripts/test.sh");
  execSync(`${script} ${command}`, { stdio: "inherit" });
}

async function person(browser: Browser, email: string, agent = PERSON_UA): Promise<Page> {
  const context = await browser.newContext({ userAgent: agent, viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** A live item whose link lands on this server, and the employee's tracked link to it. */
async function trackedLink(reviewer: Page, employee: Page): Promise<string> {
  const id = unique();
  const saved = await reviewer.request.post("/api/save_content", {
    data: {
      id: null,
      input: {
        title: `TV night ${id}`,
        summary: "A demo item for the TV test.",
        destination_url: `${BASE}/news/tv-${id}`,
        image_id: null,
        texts: [],
        tags: "",
        target_groups: [],
        publish_at: null,
        expires_at: null,
      },
    },
  });
  expect(saved.ok()).toBeTruthy();
  const item = await saved.json();
  const published = await reviewer.request.post("/api/set_content_status", { form: { id: String(item), status: "Published" } });
  expect(published.ok()).toBeTruthy();
  const link = await employee.request.post("/api/share_link", { form: { item_id: String(item), channel: "LinkedIn" } });
  expect(link.ok()).toBeTruthy();
  return (await link.json()).url;
}

async function clickPoints(page: Page): Promise<number> {
  const rules = await page.request.post("/api/get_point_rules", { form: {} });
  return (await rules.json()).per_qualified_click;
}

function number(text: string): number {
  return Number(text.replace(/\D/g, ""));
}

test("a paired TV and an open leaderboard show a new click live; revoking disconnects the TV; the TV survives a restart", async ({ browser }) => {
  // An admin creates a screen that shows the top people.
  const admin = await person(browser, "admin@demo.sprida.local");
  await openManaged(admin, "Screens");
  await hydrated(admin);
  const screen = `Lobby ${unique()}`;
  await admin.fill("#screen-name", screen);
  for (const panel of ["teams", "ticker", "reach", "kudos", "challenge"]) await admin.locator(`[data-panel=${panel}]`).uncheck();
  await admin.fill("#screen-rotate", "10");
  await admin.getByTestId("create-screen").click();
  const pairing = await admin.getByTestId("pairing-link").inputValue();
  expect(pairing).toMatch(/\/tv\/pair\/[0-9a-f]{32}$/);

  // Opening the link only asks (a chat app's link preview must not pair
  // itself): the TV shows the screen's name and a button.
  const preview = await (await browser.newContext()).request.get(pairing, { maxRedirects: 0 });
  expect(preview.status()).toBe(200);
  expect(preview.headers()["set-cookie"]).toBeUndefined();
  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(pairing);
  await expect(tv.getByRole("heading", { level: 1 })).toContainText(screen);
  // Paired by the button, and the token is gone from the address.
  await tv.getByRole("button", { name: /Pair this screen/ }).click();
  await expect(tv).toHaveURL(/\/tv$/);
  await expect(tv.getByTestId("tv").getByRole("heading")).toHaveText("Top sharers this month");
  const pairedAgain = await (await browser.newContext()).request.get(pairing, { maxRedirects: 0 });
  expect(pairedAgain.status()).toBe(404);
  // The admin sees that the TV is paired and when it was last seen.
  await admin.reload();
  await hydrated(admin);
  const row = admin.getByTestId("screen-row").filter({ hasText: screen });
  await expect(row.getByTestId("screen-status")).toHaveText("Paired");
  await expect(row.getByTestId("screen-seen")).toHaveText(/^\d+ min ago$/);

  // The employee has the leaderboard open; a visitor opens their tracked link.
  const reviewer = await person(browser, "reviewer@demo.sprida.local");
  const employee = await person(browser, "employee@demo.sprida.local");
  const link = await trackedLink(reviewer, employee);
  const perClick = await clickPoints(employee);
  await nav(employee).getByRole("link", { name: "Leaderboard" }).click();
  await hydrated(employee);
  await employee.locator("[data-period=month]").click();
  // Read my points only once this month's rows are drawn, not last week's.
  await expect(employee.locator("[data-testid=ranking][data-shown=people-month]")).toBeVisible();
  await expect(employee.locator("section[aria-busy=false]")).toHaveCount(1);
  const myRow = employee.locator(".rank-row.mine");
  const before = await myRow.count() ? number(await myRow.getByTestId("rank-points").innerText()) : 0;
  const tvRow = () => tv.getByTestId("tv-row").filter({ hasText: "Elias Employee" });
  const tvBefore = (await tvRow().count()) ? number(await tvRow().getByTestId("tv-points").innerText()) : 0;

  const visitorContext = await browser.newContext({
    userAgent: "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
  });
  const visitor = await visitorContext.newPage();
  await visitor.goto(link);
  await expect(visitor).toHaveURL(/\/news\/tv-/);

  // Both update without a reload.
  await expect(employee.locator(".rank-row.mine").getByTestId("rank-points")).toHaveText(String(before + perClick));
  await expect(tvRow().getByTestId("tv-points")).toHaveText(String(tvBefore + perClick));

  // The server goes away: the TV says since when, and comes back by itself.
  server("stop");
  await expect(tv.getByTestId("tv-offline")).toContainText(/Offline since \d\d:\d\d/);
  server("start");
  await expect(tv.getByTestId("tv-offline")).toHaveCount(0, { timeout: 45_000 });
  const second = await (await browser.newContext({ userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0" })).newPage();
  await second.goto(link);
  await expect(tvRow().getByTestId("tv-points")).toHaveText(String(tvBefore + 2 * perClick));

  // Revoked: the TV shows nothing but that it was disconnected.
  await admin.reload();
  await hydrated(admin);
  admin.once("dialog", (d) => d.accept());
  await admin.getByTestId("screen-row").filter({ hasText: screen }).getByTestId("revoke-screen").click();
  await expect(admin.getByTestId("screen-row").filter({ hasText: screen }).getByTestId("screen-status")).toHaveText("Revoked");
  await expect(tv.getByTestId("tv-revoked")).toHaveText("This screen has been disconnected.");
  await expect(tv.getByTestId("tv-row")).toHaveCount(0);
});

test("the leaderboard shows people and teams by period, with my rank", async ({ browser }) => {
  const employee = await person(browser, "employee@demo.sprida.local");
  await employee.goto("/leaderboard");
  await hydrated(employee);
  await employee.locator("[data-period=all]").click();
  await expect(employee.locator("[data-testid=ranking][data-shown=people-all]").getByTestId("rank-row").first()).toBeVisible();
  await expect(employee.locator(".rank-row.mine")).toHaveCount(1);
  await employee.locator("[data-ranked=team]").click();
  await expect(employee.locator("[data-testid=ranking][data-shown=team-all]").getByTestId("rank-row").first()).toBeVisible();
  await employee.locator("[data-ranked=people]").click();
  // The people board (the only one with a scope) replaces the team board once loaded.
  const scope = employee.getByTestId("scope");
  await expect(scope).toBeVisible();
  await expect.poll(() => scope.locator("option").count()).toBeGreaterThan(1);
  await scope.selectOption({ index: 1 });
  await expect(scope).toHaveValue(/^\d+$/);
  await expect(employee.locator(".rank-row.mine")).toHaveCount(1);
});
