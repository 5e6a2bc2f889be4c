import { ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures";
import { ADMIN_PAGES, hydrated } from "./helpers";
import { swedishAdmin, swedishProblems, vocabulary, walkInSwedish } from "./swedish";

// Every page in Swedish with counts of 0 and then 1 (issue 32); demo.spec
// walks them again with many of everything. A server of its own, on an empty
// database with the demo's people and items but no history, so that the
// counts start at zero whatever the other specs did.
const BIN = process.env.SPRIDA_BIN ?? "";
const PORT = Number(process.env.SPRIDA_E2E_SWEDISH_PORT ?? 3114);
const BASE = `http://127.0.0.1:${PORT}`;
const VISITOR_UA =
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15";

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });

let server: ChildProcess | undefined;
let dir = "";
let output = "";

test.beforeAll(async () => {
  if (!BIN) throw new Error("SPRIDA_BIN must name the binary under test (scripts/test.sh sets it)");
  dir = mkdtempSync(join(tmpdir(), "sprida-sv-"));
  server = spawn(
    BIN,
    ["--addr", `127.0.0.1:${PORT}`, "--data-dir", join(dir, "data"), "--base-url", BASE,
      "--demo", "true", "--demo-history", "false"],
    { cwd: dir, env: { PATH: process.env.PATH ?? "", SPRIDA_LOG: "warn" } },
  );
  server.stdout?.on("data", (d) => (output += d.toString()));
  server.stderr?.on("data", (d) => (output += d.toString()));
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(`${BASE}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not come up:\n${output}`);
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const vocab = vocabulary();

test("the vocabulary check finds English words and wrong plurals", async ({ page }) => {
  // The check itself, on a page made for it: it must not pass everything.
  await page.setContent(
    `<html lang="sv"><title>Sprida</title><body><p>1 delningar av 3 person</p>` +
      `<input placeholder="hiring, events"><p>Redeem</p></body></html>`,
  );
  const found = (await swedishProblems(page, vocab)).join("\n");
  expect(found).toContain("wrong plural");
  expect(found).toMatch(/English words: .*redeem/);
  await page.setContent(`<html lang="sv"><body><p>1 delning av 3 personer. Logga in.</p></body></html>`);
  expect(await swedishProblems(page, vocab)).toEqual([]);
});

test("every page in Swedish with nothing shared yet, then with one of each", async ({ browser }) => {
  const admin = await swedishAdmin(browser, BASE);
  const pages = [...ADMIN_PAGES];
  await admin.goto("/content");
  await hydrated(admin);
  pages.push(new URL(await admin.locator("main a[href^='/content/']:not([href$='/new'])").first().getAttribute("href") ?? "", BASE).pathname);
  expect(await walkInSwedish(admin, pages, vocab), "with counts of 0").toEqual([]);

  // One share, from the start page, in Swedish.
  await admin.goto("/");
  await hydrated(admin);
  await admin.getByTestId("home-share").click();
  const dialog = admin.getByTestId("share-dialog");
  await expect(dialog.getByTestId("tracked-link")).toHaveText(/\/s\/[0-9A-Za-z]{12}$/);
  expect(await swedishProblems(admin, vocab), "the share dialog").toEqual([]);
  const link = (await dialog.getByTestId("tracked-link").innerText()).trim();
  const popup = admin.context().waitForEvent("page");
  await dialog.getByTestId("share-go").click();
  await (await popup).close();
  await expect(dialog.getByTestId("share-outcome")).toBeVisible();
  // One visitor opens it.
  const visitor = await browser.newContext({ userAgent: VISITOR_UA });
  // The demo's destinations are outside, which this machine cannot reach:
  // the click is counted at the redirect, before the browser goes there.
  await (await visitor.newPage()).goto(link).catch(() => undefined);
  await visitor.close();
  await expect
    .poll(async () => {
      await admin.goto("/impact");
      await hydrated(admin);
      return admin.getByTestId("impact-clicks").innerText();
    })
    .toBe("1");

  // One post, submitted, with one comment.
  await admin.goto("/posts/new");
  await hydrated(admin);
  await admin.fill("#p-title", "Vårt nya labb");
  await admin.locator("#p-body").fill("Vi har öppnat ett labb i Luleå.");
  await admin.fill("#p-url", "https://example.com/labb");
  await expect(admin).toHaveURL(/\/posts\/\d+$/, { timeout: 15_000 });
  const post = new URL(admin.url()).pathname;
  await admin.getByTestId("submit-post").click();
  await expect(admin).toHaveURL(/\/posts$/);
  const review = post.replace("/posts/", "/review/");
  await admin.goto(review);
  await hydrated(admin);
  await admin.fill("#comment-text", "Skriv gärna när besökare får komma.");
  await admin.getByTestId("send-comment").click();
  await expect(admin.getByTestId("comments").locator("li")).toHaveCount(1);

  expect(await walkInSwedish(admin, [...pages, post, review], vocab), "with counts of 1").toEqual([]);
});
