import { test as base, expect, Browser, BrowserContext, Page } from "@playwright/test";

// Every spec imports `test` from here, not from Playwright: each test then
// fails when any page it opened (in its own context or one it made with
// browser.newContext) threw an uncaught error or the WASM app panicked.
// A panic leaves the hydrated app dead until a reload, whatever the test
// went on to check.

export { expect };

/** A console message that is a Rust panic (console_error_panic_hook). */
function isPanic(text: string) {
  return /panicked at|RuntimeError|unreachable executed/.test(text);
}

function watch(page: Page, errors: string[]) {
  page.on("pageerror", (e) => errors.push(`${page.url()}: page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && isPanic(m.text())) errors.push(`${page.url()}: ${m.text()}`);
  });
}

function watchContext(context: BrowserContext, errors: string[]) {
  for (const page of context.pages()) watch(page, errors);
  context.on("page", (page) => watch(page, errors));
}

export const test = base.extend<{ browserErrors: string[] }>({
  browserErrors: [
    async ({ browser, context }, use) => {
      const errors: string[] = [];
      watchContext(context, errors);
      const b = browser as Browser & { newContext: Browser["newContext"] };
      const newContext = b.newContext;
      b.newContext = async (...args) => {
        const made = await newContext.apply(browser, args);
        watchContext(made, errors);
        return made;
      };
      await use(errors);
      b.newContext = newContext;
      expect(errors, "panics and uncaught errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
