import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "./fixtures";
import { hydrated, nav, openManaged, DEMO_PASSWORD } from "./helpers";

// A real instance's first start (issue 30): the release binary started as
// the README's systemd unit starts it (no --demo), on an empty data
// directory, seeds nobody; `sprida admin create` makes the first
// administrator, who invites a colleague through the app.
const BIN = process.env.SPRIDA_BIN ?? "";
const PORT = Number(process.env.SPRIDA_E2E_SETUP_PORT ?? 3111);
const URL = `http://127.0.0.1:${PORT}`;

let server: ChildProcess | undefined;
let dir = "";
let console_ = "";

async function healthy() {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`${URL}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server did not come up:\n${console_}`);
}

test.beforeAll(async () => {
  // Never skipped: without the binary this test fails, it does not pass.
  if (!BIN) throw new Error("SPRIDA_BIN must name the binary under test (scripts/test.sh sets it)");
  dir = mkdtempSync(join(tmpdir(), "sprida-setup-"));
  server = spawn(
    BIN,
    ["--addr", `127.0.0.1:${PORT}`, "--data-dir", join(dir, "data"), "--base-url", URL, "--trust-proxy", "true"],
    { cwd: dir, env: { PATH: process.env.PATH ?? "", SPRIDA_LOG: "warn" } },
  );
  server.stdout?.on("data", (d) => (console_ += d.toString()));
  server.stderr?.on("data", (d) => (console_ += d.toString()));
  await healthy();
});

test.afterAll(async () => {
  server?.kill("SIGTERM");
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("a production start has no demo; the first admin is made on the command line and invites a colleague", async ({ page, browser }) => {
  // The console says how to make an administrator; no demo account exists.
  expect(console_).toContain("NO ADMINISTRATOR YET");
  expect(console_).not.toContain(DEMO_PASSWORD);
  await page.goto(`${URL}/sign-in`);
  await hydrated(page);
  await page.fill("#sign-in-form input[name=email]", "admin@demo.sprida.local");
  await page.fill("#sign-in-form input[name=password]", DEMO_PASSWORD);
  await page.click("#sign-in-form button[type=submit]");
  await expect(page.getByRole("alert")).toContainText("Wrong e-mail address or password");

  const said = execFileSync(
    BIN,
    ["--data-dir", join(dir, "data"), "--base-url", URL, "admin", "create", "first.admin@example.com", "--name", "Frida First"],
    { env: { PATH: process.env.PATH ?? "" } },
  ).toString();
  const link = said.match(/http\S+\/invite\/[0-9a-f]{64}/)?.[0];
  expect(link, said).toBeTruthy();

  await page.goto(link!);
  await hydrated(page);
  await expect(page.getByText("Hi Frida First!")).toBeVisible();
  await page.fill("input[name=password]", "first admin password 1");
  await page.getByRole("button", { name: "Activate my account" }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await expect(page.getByTestId("who")).toHaveText("Frida First");

  // An administrator: Manage → People → add a colleague, who gets a link.
  await openManaged(page, "People");
  await expect(page.locator("h1")).toHaveText("People");
  await page.getByText("Add a person").click();
  const form = page.locator("#add-person");
  await form.locator("input[name=email]").fill("colleague@example.com");
  await form.locator("input[name=name]").fill("Cole League");
  await form.locator("button[type=submit]").click();
  const invite = await page.getByTestId("invite-url").inputValue();
  expect(invite).toContain(`${URL}/invite/`);

  const context = await browser.newContext();
  const colleague = await context.newPage();
  await colleague.goto(invite);
  await hydrated(colleague);
  await colleague.fill("input[name=password]", "colleague password 1");
  await colleague.getByRole("button", { name: "Activate my account" }).click();
  await expect(colleague.getByTestId("who")).toHaveText("Cole League");
  await expect(nav(colleague).getByRole("link", { name: "Manage" })).toHaveCount(0);
  await context.close();
});
