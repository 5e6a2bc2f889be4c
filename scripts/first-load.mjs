// A first visit to the hub in Chromium, signed in as an employee, with an
// empty cache: every response and the bytes its body took on the wire (as
// the browser received it: brotli). Prints JSON lines {path, bytes}.
// Usage: node first-load.mjs BASE_URL (Playwright from end2end/node_modules).
import { createRequire } from "node:module";
const require = createRequire(new URL("../end2end/package.json", import.meta.url));
const { chromium } = require("@playwright/test");

const base = process.argv[2];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
const context = await browser.newContext({ baseURL: base, serviceWorkers: "block" });
const signIn = await context.request.post("/api/sign_in", {
  form: { email: "employee@demo.sprida.local", password: "sprida-demo" },
  headers: { accept: "application/json" },
});
if (!signIn.ok()) throw new Error(`sign-in failed: ${signIn.status()}`);
const page = await context.newPage();
const done = [];
page.on("requestfinished", (req) => done.push(req));
await page.goto("/hub");
// Hydration waits for the hub's WASM pieces, so they are all in by then.
// (Not "networkidle": the live-event stream stays open.)
await page.locator("body[data-hydrated=true]").waitFor({ timeout: 60_000 });
await page.waitForTimeout(500);
for (const req of done) {
  const url = new URL(req.url());
  // The page and the app's files; not the data it asks for, nor icons.
  if (url.origin !== new URL(base).origin) continue;
  if (url.pathname !== "/hub" && !url.pathname.startsWith("/pkg/")) continue;
  const sizes = await req.sizes();
  console.log(JSON.stringify({ path: url.pathname, bytes: sizes.responseBodySize }));
}
await browser.close();
