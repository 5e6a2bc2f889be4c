import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { ADMIN_PAGES, hydrated, signIn } from "./helpers";

// Runs against the release binary (scripts/test.sh builds it with
// scripts/release.sh and starts it from an empty directory): its optimised
// WASM must hydrate every page, and a first visit must arrive compressed
// with the cache headers of server/src/site.

const PAGES = [...ADMIN_PAGES, "/no-such-page"];

/** Page errors and console errors, which a broken WASM module produces. */
function watchErrors(page: Page) {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  return errors;
}

test("the release build hydrates every page without an error", async ({ page }) => {
  const errors = watchErrors(page);
  await signIn(page, "admin@demo.sprida.local");
  const titles = new Set<string>();
  for (const path of PAGES) {
    await page.goto(path);
    await hydrated(page);
    // Every page its own title, named after it.
    const title = await page.title();
    expect(title, path).toMatch(/^.+ · Sprida$/);
    titles.add(title.replace(/ · Sprida$/, ""));
  }
  expect(titles.size, [...titles].join(", ")).toBe(PAGES.length);
  await page.goto("/hub");
  await expect(page).toHaveTitle("Hub · Sprida");
  // The 404 page's own status is logged by Chromium as a console error.
  expect(errors.filter((e) => !e.includes("404"))).toEqual([]);
});

test("a first visit arrives compressed, hashed files are immutable and pages are not cached", async ({
  browser,
}) => {
  // A new context: nothing cached, no service worker yet.
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = new Map<string, Record<string, string>>();
  page.on("response", async (res) => {
    const url = new URL(res.url());
    if (url.pathname.startsWith("/pkg/") || url.pathname === "/sign-in") {
      seen.set(url.pathname, await res.allHeaders());
    }
  });
  await page.goto("/sign-in");
  await hydrated(page);

  const doc = seen.get("/sign-in");
  expect(doc?.["cache-control"]).toBe("private, no-store");
  // One build's files, in one hashed folder: the main module, its JS and
  // CSS, the loader of the lazily loaded pieces and the sign-in page's pieces.
  const hashed = [...seen.keys()].filter((p) => /^\/pkg\/[0-9a-f]{16}\//.test(p));
  const folder = hashed[0].split("/")[2];
  expect(hashed.every((p) => p.split("/")[2] === folder)).toBe(true);
  const names = hashed.map((p) => p.split("/")[3]);
  for (const name of ["sprida.css", "sprida.js", "sprida.wasm"]) expect(names).toContain(name);
  const pieces = names.filter((n) => n.endsWith(".wasm") && n !== "sprida.wasm");
  expect(pieces.length).toBeGreaterThan(0);
  // The page's response names its pieces, so they load beside the main module.
  for (const piece of pieces) expect(doc?.["link"], piece).toContain(`</pkg/${folder}/${piece}>; rel=preload`);
  for (const path of hashed) {
    const headers = seen.get(path)!;
    expect(headers["content-encoding"], path).toBe("br");
    expect(headers["cache-control"], path).toContain("immutable");
    expect(headers["vary"], path).toContain("accept-encoding");
  }
  // A client without brotli gets gzip; one that asks for nothing gets the file.
  const wasm = hashed.find((p) => p.endsWith("/sprida.wasm"))!;
  const gz = await page.request.get(wasm, { headers: { "accept-encoding": "gzip" } });
  expect(gz.headers()["content-encoding"]).toBe("gzip");
  const plain = await page.request.get(wasm, { headers: { "accept-encoding": "identity" } });
  expect(plain.headers()["content-encoding"]).toBeUndefined();
  expect((await plain.body()).subarray(0, 4)).toEqual(Buffer.from([0, 0x61, 0x73, 0x6d]));
  await context.close();
});
