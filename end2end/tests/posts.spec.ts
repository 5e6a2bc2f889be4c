import type { Browser, Locator, Page } from "@playwright/test";
import { test, expect } from "./fixtures";
import { hydrated, nav, openManaged, signIn, unique } from "./helpers";

const REVIEWER = "reviewer@demo.sprida.local";
const EMPLOYEE = "employee@demo.sprida.local";
const COLLEAGUE = "manager@demo.sprida.local";

// A 2×2 PNG, made here so the upload is checked by its bytes.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGPgjlkLRAwQCgAbtgRR6cs/gQAAAABJRU5ErkJggg==",
  "base64",
);

test.describe.configure({ mode: "serial" });

async function person(browser: Browser, email: string): Promise<Page> {
  // Wide enough for all six board columns side by side.
  const context = await browser.newContext({ viewport: { width: 1700, height: 1000 } });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

async function lifetimePoints(page: Page): Promise<number> {
  await page.goto("/impact");
  await hydrated(page);
  return Number((await page.getByTestId("impact-lifetime").innerText()).replace(/\D/g, ""));
}

function card(page: Page, stage: string, title: string): Locator {
  return page.locator(`[data-stage="${stage}"] [data-testid=board-card]`, { hasText: title });
}

/** A real mouse drag: press on the card, move in steps, release over the column. */
async function drag(page: Page, from: Locator, stage: string) {
  const grip = await from.locator("p.muted").first().boundingBox();
  const target = await page.locator(`.column[data-stage="${stage}"]`).boundingBox();
  if (!grip || !target) throw new Error("card or column not on screen");
  await page.mouse.move(grip.x + grip.width / 2, grip.y + grip.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + 60, { steps: 15 });
  await expect(page.locator(`.column[data-stage="${stage}"]`)).toHaveClass(/over/);
  await page.mouse.up();
}

async function savedOnServer(page: Page) {
  await expect(page.getByTestId("save-state")).toContainText("All changes saved", { timeout: 15_000 });
}

test("an employee's post goes through review by drag and drop and reaches the hub", async ({ browser }) => {
  const title = `Our new lab ${unique()}`;
  const author = await person(browser, EMPLOYEE);
  const pointsBefore = await lifetimePoints(author);
  // Reading the notifications page clears what earlier runs left unread.
  await author.goto("/notifications");
  await hydrated(author);
  await expect(async () => {
    await author.goto("/");
    await hydrated(author);
    await expect(nav(author).getByTestId("unseen-count")).toHaveCount(0, { timeout: 1_000 });
  }).toPass();

  // Write: toolbar, live preview, image, link, share text with its counter.
  await author.goto("/");
  await nav(author).getByRole("link", { name: "My posts" }).click();
  await author.getByTestId("write-post").click();
  await expect(author.getByRole("heading", { name: "Write a post" })).toBeVisible();
  await hydrated(author);
  await author.fill("#p-title", title);
  await author.locator("#p-body").fill("We opened a lab in Luleå.");
  await author.locator("#p-body").evaluate((el: HTMLTextAreaElement) => el.setSelectionRange(3, 9));
  await author.locator('[data-format="bold"]').click();
  await expect(author.locator("#p-body")).toHaveValue("We **opened** a lab in Luleå.");
  await expect(author.locator("[data-testid=post-preview] .post-body strong")).toHaveText("opened");
  await expect(author.locator("[data-testid=post-preview] h2")).toHaveText(title);
  await author.fill("#p-url", "https://example.com/lab");
  await author.setInputFiles("#c-image", { name: "lab.png", mimeType: "image/png", buffer: PNG });
  await expect(author.getByTestId("image-preview")).toBeVisible();
  await author.fill("#c-text-x", "Our lab is open!");
  await expect(author.getByTestId("x-suggested-counter")).toContainText("40 / 280");
  await savedOnServer(author);
  await expect(author).toHaveURL(/\/posts\/\d+$/);
  await author.getByTestId("submit-post").click();
  await expect(author).toHaveURL(/\/posts$/);
  const mine = author.getByTestId("my-post").filter({ hasText: title });
  await expect(mine.getByTestId("post-stage")).toHaveText("Submitted");

  // Review: drag to In review, then to Changes requested with a comment.
  const reviewer = await person(browser, REVIEWER);
  await openManaged(reviewer, "Review");
  await hydrated(reviewer);
  await expect(card(reviewer, "submitted", title)).toBeVisible();
  await drag(reviewer, card(reviewer, "submitted", title), "in_review");
  await expect(card(reviewer, "in_review", title)).toBeVisible();
  await drag(reviewer, card(reviewer, "in_review", title), "changes_requested");
  const ask = reviewer.getByRole("dialog");
  await expect(ask).toContainText("What should the author change?");
  await ask.getByTestId("ask-send").click();
  await expect(ask.getByRole("alert")).toHaveText("Write a comment for the author.");
  await ask.locator("#ask-comment").fill("Please say when visitors can come.");
  await ask.getByTestId("ask-send").click();
  await expect(card(reviewer, "changes_requested", title)).toBeVisible();

  // An illegal drop is refused by the server and the card snaps back.
  await drag(reviewer, card(reviewer, "changes_requested", title), "approved");
  await expect(reviewer.getByTestId("board-message")).toContainText("That move is not allowed");
  await expect(card(reviewer, "changes_requested", title)).toBeVisible();
  await expect(card(reviewer, "approved", title)).toHaveCount(0);

  // The author is told, reads the comment, edits and resubmits.
  await author.goto("/posts");
  await hydrated(author);
  await expect(nav(author).getByTestId("unseen-count")).toHaveText("1");
  await expect(mine.getByTestId("post-stage")).toHaveText("Changes requested");
  await expect(mine).toContainText("Please say when visitors can come.");
  await mine.getByTestId("edit-post").click();
  await hydrated(author);
  await expect(author.getByTestId("comments")).toContainText("Please say when visitors can come.");
  await author.locator("#p-body").fill("We **opened** a lab in Luleå. Visitors are welcome on Fridays.");
  await savedOnServer(author);
  await author.getByTestId("submit-post").click();
  await expect(author).toHaveURL(/\/posts$/);
  await expect(mine.getByTestId("post-stage")).toHaveText("Submitted");

  // The reviewer's open board shows the resubmission without a reload.
  await expect(card(reviewer, "submitted", title)).toBeVisible({ timeout: 15_000 });
  // From the keyboard: the card's own "Move to" list.
  await card(reviewer, "submitted", title).getByTestId("move-select").selectOption("in_review");
  await expect(card(reviewer, "in_review", title)).toBeVisible();
  await drag(reviewer, card(reviewer, "in_review", title), "approved");
  // No publish time was set: approval publishes at once.
  await expect(card(reviewer, "published", title)).toBeVisible();

  // In the hub, rendered as in the preview, credited to the author.
  const colleague = await person(browser, COLLEAGUE);
  await colleague.goto("/hub");
  await hydrated(colleague);
  const hubCard = colleague.getByTestId("hub-card").filter({ hasText: title });
  await expect(hubCard.locator(".post-body strong")).toHaveText("opened");
  await expect(hubCard).toContainText("Visitors are welcome on Fridays.");
  await expect(hubCard.getByTestId("card-author")).toHaveText("Written by Elias Employee");
  await expect(hubCard.locator("img.hub-image")).toBeVisible();

  // The author's points rose once, by the creator points.
  expect(await lifetimePoints(author)).toBe(pointsBefore + 50);
  await author.reload();
  await hydrated(author);
  expect(await lifetimePoints(author)).toBe(pointsBefore + 50);
  await author.goto("/notifications");
  await expect(author.getByTestId("notice").first()).toContainText(`“${title}” is published in the hub.`);
});

test("hostile Markdown is inert text in the preview and in the hub", async ({ browser }) => {
  const title = `Hostile ${unique()}`;
  const hostile =
    '<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned = 2"> ' +
    '[click me](javascript:window.__pwned=3) <a href="javascript:window.__pwned=4" style="position:fixed;inset:0">cover</a>';
  const author = await person(browser, EMPLOYEE);
  await author.goto("/posts/new");
  await hydrated(author);
  await author.fill("#p-title", title);
  await author.locator("#p-body").fill(hostile);
  await author.fill("#p-url", "https://example.com/hostile");
  const check = async (page: Page, body: Locator) => {
    await expect(body).toContainText("<script>window.__pwned = 1</script>");
    await expect(body).toContainText('<img src=x onerror="window.__pwned = 2">');
    await expect(body.locator("script, img, [style], [onerror]")).toHaveCount(0);
    await expect(body.locator('a[href^="javascript"]')).toHaveCount(0);
    await body.getByText("click me").click();
    expect(await page.evaluate(() => (window as any).__pwned)).toBeUndefined();
  };
  await check(author, author.locator("[data-testid=post-preview] .post-body"));
  await savedOnServer(author);
  await author.getByTestId("submit-post").click();
  await expect(author).toHaveURL(/\/posts$/);

  // An admin's blocked word flags the card on the board.
  const admin = await person(browser, "admin@demo.sprida.local");
  await openManaged(admin, "Blocked words");
  await hydrated(admin);
  await admin.locator("#blocked-list").fill("guaranteed returns\npwned");
  await admin.getByRole("button", { name: "Save" }).click();
  await expect(admin.getByRole("status")).toHaveText("Saved: 2 words or phrases.");

  const reviewer = await person(browser, REVIEWER);
  await reviewer.goto("/review");
  await hydrated(reviewer);
  await expect(card(reviewer, "submitted", title).getByTestId("flag")).toContainText("pwned");
  await card(reviewer, "submitted", title).getByTestId("move-select").selectOption("in_review");

  // The admin has the card's page open while the reviewer publishes it: the
  // page says so instead of letting a stale edit be made unawares.
  await admin.goto("/review");
  await hydrated(admin);
  await card(admin, "in_review", title).getByRole("link", { name: title }).click();
  await expect(admin.getByTestId("post-stage")).toHaveText("In review");
  await hydrated(admin);
  await card(reviewer, "in_review", title).getByTestId("move-select").selectOption("published");
  await expect(card(reviewer, "published", title)).toBeVisible();
  await expect(admin.getByTestId("changed-elsewhere")).toBeVisible();
  await expect(admin.getByTestId("post-stage")).toHaveText("In review");
  await admin.getByRole("button", { name: "Show the latest version" }).click();
  await expect(admin.getByTestId("post-stage")).toHaveText("Published");
  await expect(admin.getByTestId("changed-elsewhere")).toHaveCount(0);

  await author.goto("/hub");
  await hydrated(author);
  await check(author, author.getByTestId("hub-card").filter({ hasText: title }).locator(".post-body"));
});

test("a reload mid-typing or a dropped connection loses nothing", async ({ browser }) => {
  const title = `Unsaved ${unique()}`;
  const author = await person(browser, EMPLOYEE);
  await author.goto("/posts/new");
  await hydrated(author);
  await author.fill("#p-title", title);
  await author.locator("#p-body").pressSequentially("Typed just before the reload");
  // At once, before the pause that triggers the server save.
  await author.reload();
  await hydrated(author);
  await expect(author.locator("#p-title")).toHaveValue(title);
  await expect(author.locator("#p-body")).toHaveValue("Typed just before the reload");
  await expect(author.getByTestId("restored")).toBeVisible();
  await savedOnServer(author);
  await expect(author).toHaveURL(/\/posts\/\d+$/);

  // Offline: the editor says so, keeps the text and saves when back.
  await author.context().setOffline(true);
  await author.locator("#p-body").pressSequentially(", and while offline");
  await expect(author.getByTestId("save-state")).toContainText("Not saved on the server yet", { timeout: 15_000 });
  await author.context().setOffline(false);
  await savedOnServer(author);
  await author.reload();
  await hydrated(author);
  await expect(author.locator("#p-body")).toHaveValue("Typed just before the reload, and while offline");
  await expect(author.getByTestId("restored")).toHaveCount(0);
});

test("reviewing post after post from their card pages never crashes the app", async ({ browser }) => {
  // As a reviewer works through a queue: open a card, move it, approve it,
  // go on. Each move sends a live board event that reaches the card page
  // while the move redraws it; that once left the app panicked (the shared
  // fixture fails the test on any panic or page error).
  const author = await person(browser, EMPLOYEE);
  const ids: number[] = [];
  for (let i = 0; i < 6; i++) {
    const saved = await author.request.post("/api/save_post", {
      data: {
        id: null,
        version: null,
        input: {
          title: `Queue ${i} ${unique()}`,
          body: "Worth a read.",
          destination_url: "https://example.com/queue",
          image_id: null,
          texts: [],
          tags: "",
        },
      },
    });
    expect(saved.status()).toBe(200);
    const { id, version } = await saved.json();
    const submitted = await author.request.post("/api/submit_post", { form: { id, version } });
    expect(submitted.status()).toBe(200);
    ids.push(id);
  }
  const reviewer = await person(browser, REVIEWER);
  for (const id of ids) {
    await reviewer.goto(`/review/${id}`);
    await hydrated(reviewer);
    await reviewer.locator('[data-move="in_review"]').click();
    await expect(reviewer.getByTestId("post-stage")).toHaveText("In review");
    await reviewer.locator('[data-move="approved"]').click();
    await expect(reviewer.getByTestId("post-stage")).toHaveText(/Approved|Published/);
    // The app is still alive: a click on a client-side link still routes.
    await reviewer.getByRole("link", { name: "← Review board" }).click();
    await expect(reviewer).toHaveURL(/\/review$/);
  }
});
