import { test as base, expect, Browser, BrowserContext, Page } from "@playwright/test";

// Every spec imports `test` from here, not from Playwright: each test then
// fails when any page it opened (in its own context or one it made with
// browser.newContext) threw an uncaught error, the WASM app panicked or
// Leptos warned about a signal read outside a reactive context.
// A panic leaves the hydrated app dead until a reload, whatever the test
// went on to check.

export { expect };

/** A console message that is a Rust panic (console_error_panic_hook). */
function isPanic(text: string) {
  return /panicked at|RuntimeError|unreachable executed/.test(text);
}

/**
 * A warning from Leptos's reactive graph: a signal read where nothing tracks
 * it (the page then does not follow the value), an update that failed, an
 * effect that recursed. The WASM is built with the reactive graph's own
 * debug checks on (Cargo.toml, profile.wasm-release.package.reactive_graph),
 * so the build the tests drive is the one that reports them.
 */
function isReactiveWarning(text: string) {
  return /outside a reactive tracking context|you tried to update a|The effect recursed|tried to set effect that has been stopped|local-resource notification/.test(
    text,
  );
}

function watch(page: Page, errors: string[]) {
  page.on("pageerror", (e) => errors.push(`${page.url()}: page error: ${e.message}`));
  page.on("console", (m) => {
    const text = m.text();
    if (m.type() === "error" && isPanic(text)) errors.push(`${page.url()}: ${text}`);
    if (m.type() === "warning" && isReactiveWarning(text))
      errors.push(`${page.url()}: reactive warning: ${text.split("\n")[0]}`);
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
      expect(errors, "panics, uncaught errors and reactive warnings in the browser").toEqual([]);
    },
    { auto: true },
  ],
});
