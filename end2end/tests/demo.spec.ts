import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ADMIN_PAGES, hydrated, nav, openManaged, signIn } from "./helpers";
import { swedishAdmin, swedishProblems, vocabulary, walkInSwedish } from "./swedish";

// The living demo (issue 32): the release binary started as scripts/run.sh
// starts it (the demo with its history) plus --demo-live, on an empty data
// directory. Every place a newcomer opens is populated, and a paired TV
// moves by itself.
const BIN = process.env.SPRIDA_BIN ?? "";
const PORT = Number(process.env.SPRIDA_E2E_DEMO_PORT ?? 3112);
const URL = `http://127.0.0.1:${PORT}`;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: URL });

let server: ChildProcess | undefined;
let dir = "";
let console_ = "";

test.beforeAll(async () => {
  if (!BIN) throw new Error("SPRIDA_BIN must name the binary under test (scripts/test.sh sets it)");
  dir = mkdtempSync(join(tmpdir(), "sprida-demo-"));
  server = spawn(
    BIN,
    ["--addr", `127.0.0.1:${PORT}`, "--data-dir", join(dir, "data"), "--base-url", URL,
      "--demo", "true", "--demo-live", "true", "--demo-live-every-secs", "2"],
    { cwd: dir, env: { PATH: process.env.PATH ?? "", SPRIDA_LOG: "warn" } },
  );
  server.stdout?.on("data", (d) => (console_ += d.toString()));
  server.stderr?.on("data", (d) => (console_ += d.toString()));
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${URL}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the demo server did not come up:\n${console_}`);
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function person(browser: Browser, email: string, width = 1366): Promise<Page> {
  const context = await browser.newContext({ baseURL: URL, viewport: { width, height: 800 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

function number(text: string): number {
  return Number(text.replace(/[^0-9-]/g, ""));
}

test("a fresh demo is populated: home, leaderboard, My impact, review board", async ({ browser }) => {
  const employee = await person(browser, "employee@demo.sprida.local");
  // People who accepted their invitations can sign in too.
  const colleague = await person(browser, "linnea.berg@demo.sprida.local");
  await expect(colleague.getByTestId("who")).toHaveText("Linnea Berg");

  await nav(employee).getByRole("link", { name: "Leaderboard" }).click();
  await hydrated(employee);
  await employee.locator("[data-period=all]").click();
  await expect(employee.locator("[data-testid=ranking][data-shown=people-all]")).toBeVisible();
  const rows = employee.locator(".rank-row");
  await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(8);
  expect(number(await rows.first().getByTestId("rank-points").innerText())).toBeGreaterThan(50);

  await nav(employee).getByRole("link", { name: "My impact" }).click();
  await hydrated(employee);
  await expect(employee.getByTestId("impact-shares")).not.toHaveText("0");
  await expect(employee.getByTestId("impact-clicks")).not.toHaveText("0");

  // Rewards: a catalogue, and requests in several states (one waiting long
  // enough to be marked on the fulfilment board).
  await nav(employee).getByRole("link", { name: "Rewards" }).click();
  await hydrated(employee);
  await expect.poll(() => employee.getByTestId("reward").count()).toBeGreaterThanOrEqual(5);
  const admin = await person(browser, "admin@demo.sprida.local");
  await openManaged(admin, "Reward requests");
  await hydrated(admin);
  await expect(admin.locator("[data-testid=request-card]").first()).toBeVisible();
  await expect(admin.getByTestId("late").first()).toBeVisible();

  const reviewer = await person(browser, "reviewer@demo.sprida.local");
  await openManaged(reviewer, "Review");
  await hydrated(reviewer);
  for (const stage of ["submitted", "in_review", "changes_requested", "published", "rejected"]) {
    const count = reviewer.locator(`section.column[data-stage=${stage}] h2 .count`);
    await expect.poll(async () => number(await count.innerText()), { message: stage }).toBeGreaterThan(0);
  }
});

test("with --demo-live a paired TV changes within a minute without anyone touching it", async ({ browser }) => {
  const admin = await person(browser, "admin@demo.sprida.local");
  await openManaged(admin, "Screens");
  await hydrated(admin);
  await admin.fill("#screen-name", "Demo reception");
  for (const panel of ["teams", "ticker", "reach", "kudos", "challenge"]) await admin.locator(`[data-panel=${panel}]`).uncheck();
  await admin.fill("#screen-rotate", "10");
  await admin.getByTestId("create-screen").click();
  const pairing = await admin.getByTestId("pairing-link").inputValue();
  const tv = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await tv.goto(pairing);
  await tv.getByRole("button", { name: /Pair this screen/ }).click();
  await expect(tv.getByTestId("tv").getByRole("heading")).toHaveText("Top sharers this month");
  const points = async () =>
    (await tv.getByTestId("tv-points").allInnerTexts()).map(number).reduce((a, b) => a + b, 0);
  await expect.poll(points).toBeGreaterThan(0);
  const before = await points();
  await expect.poll(points, { timeout: 60_000, intervals: [1000] }).toBeGreaterThan(before);
});

// Last: it turns the administrator's language to Swedish. With twelve weeks of
// history every count is many (swedish.spec walks the pages at 0 and 1).
test("every page in Swedish with many of everything", async ({ browser }) => {
  const admin = await swedishAdmin(browser, URL);
  const first = async (path: string, links: string) => {
    await admin.goto(path);
    await hydrated(admin);
    return new globalThis.URL((await admin.locator(links).first().getAttribute("href")) ?? "", URL).pathname;
  };
  const pages = [
    ...ADMIN_PAGES,
    await first("/content", "main a[href^='/content/']:not([href$='/new'])"),
    await first("/review", "[data-testid=board-card] a[href^='/review/']"),
  ];
  const vocab = vocabulary();
  expect(await walkInSwedish(admin, pages, vocab), "with many").toEqual([]);

  // The TV, paired by a browser that asks for Swedish: each panel as it comes round.
  await admin.goto("/admin/screens");
  await hydrated(admin);
  await admin.fill("#screen-name", "Entré");
  await admin.fill("#screen-rotate", "5");
  await admin.getByTestId("create-screen").click();
  const pairing = await admin.getByTestId("pairing-link").inputValue();
  const tvContext = await browser.newContext({ locale: "sv-SE", viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(pairing);
  await tv.locator("#pair").click();
  const heading = tv.getByTestId("tv").getByRole("heading").first();
  await expect(heading).toHaveText("Flitigaste delarna den här månaden");
  const found: string[] = [];
  const panels = new Set<string>();
  for (let i = 0; i < 6; i++) {
    const name = await heading.innerText();
    panels.add(name);
    for (const p of await swedishProblems(tv, vocab)) found.push(`TV, ${name}: ${p}`);
    await expect(heading).not.toHaveText(name, { timeout: 15_000 });
  }
  expect(found).toEqual([]);
  expect(panels.size).toBe(6);
});
