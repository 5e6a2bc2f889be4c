import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { Browser, expect, Page } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

// The Swedish walk (issue 32): every page, in Swedish, must hold no word that
// only the English texts use, and no plural form that does not fit its number.
// Both checks are derived from the UI texts themselves (app/src/base/i18n/
// texts.rs), so a new text is checked the day it is written.

const ROOT = join(__dirname, "..", "..");

/** (English, Swedish) of every UI text. */
function uiTexts(): [string, string][] {
  const src = readFileSync(join(ROOT, "app/src/base/i18n/texts.rs"), "utf8");
  const entry = /\b[A-Z]\w* =>\s*"((?:[^"\\]|\\.)*)",\s*"((?:[^"\\]|\\.)*)";/g;
  const found = [...src.matchAll(entry)].map((m) => [m[1], m[2]] as [string, string]);
  // Every text is read: a format the pattern misses would silently shrink the check.
  const keys = src.split("texts! {")[1].match(/^\s*[A-Z]\w* =>/gm) ?? [];
  if (found.length !== keys.length || found.length < 300)
    throw new Error(`read ${found.length} of ${keys.length} texts from texts.rs`);
  return found;
}

/** The `{…}` block at the start of `s`, with its braces. */
function block(s: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === "{") depth++;
    if (s[i] === "}" && --depth === 0) return s.slice(0, i + 1);
  }
  return undefined;
}

type Plural = { forms: Map<string, string> };

/** Splits an ICU message into its literal text and its plural blocks. */
function parse(text: string): { literal: string; plurals: Plural[] } {
  let literal = "";
  const plurals: Plural[] = [];
  let rest = text;
  for (let open = rest.indexOf("{"); open >= 0; open = rest.indexOf("{")) {
    literal += rest.slice(0, open) + " ";
    const b = block(rest.slice(open));
    if (!b) break;
    const parts = b.slice(1, -1).split(",");
    if (parts[1]?.trim() === "plural") {
      const forms = new Map<string, string>();
      let body = parts.slice(2).join(",").trim();
      while (body) {
        const at = body.indexOf("{");
        const form = at >= 0 ? block(body.slice(at)) : undefined;
        if (!form) break;
        const inner = form.slice(1, -1);
        forms.set(body.slice(0, at).trim(), inner);
        literal += parse(inner).literal + " ";
        body = body.slice(at + form.length).trim();
      }
      plurals.push({ forms });
    }
    rest = rest.slice(open + b.length);
  }
  return { literal: literal + rest, plurals };
}

function words(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}[\p{L}'’-]*\p{L}|\p{L}/gu) ?? []).filter((w) => w.length >= 3);
}

/** Words of the demo's own content (names, titles, item texts): people's
 * content is not the UI, and the demo's is written in English. */
function demoWords(): Set<string> {
  const dir = join(ROOT, "server/src/seed");
  const out = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".rs"))) {
    const src = readFileSync(join(dir, file), "utf8");
    // A backslash may end a line inside a string (Rust's line continuation).
    for (const m of src.matchAll(/"((?:[^"\\]|\\[\s\S])*)"/g)) for (const w of words(m[1])) out.add(w);
  }
  return out;
}

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A form as a pattern: `#` stands for `count`, other arguments for anything. */
function formPattern(form: string, count: string): string {
  return form
    .split("#")
    .map((piece) => escape(piece).replace(/\\\{[^}]*\\\}/g, ".+?"))
    .join(count);
}

export type Vocabulary = { englishOnly: Set<string>; wrongPlurals: RegExp[] };

export function vocabulary(): Vocabulary {
  const texts = uiTexts();
  const sv = new Set<string>();
  const en = new Set<string>();
  const wrongPlurals: RegExp[] = [];
  for (const [e, s] of texts) {
    for (const w of words(parse(e).literal)) en.add(w);
    const parsed = parse(s);
    for (const w of words(parsed.literal)) sv.add(w);
    for (const { forms } of parsed.plurals) {
      const one = forms.get("one");
      const other = forms.get("other");
      if (!one || !other || !one.includes("#") || !other.includes("#")) continue;
      // "1 delningar": the other form with the number one (not 11 or 21).
      if (other.replace("#", "1") !== one.replace("#", "1"))
        wrongPlurals.push(new RegExp(`(?<![\\d\\u00a0.,])${formPattern(other, "1")}(?![\\p{L}])`, "u"));
      // "3 delning": the one form with any other number (unless both forms
      // read the same, as "# poäng" does).
      if (other.replace("#", "1") !== one.replace("#", "1")) wrongPlurals.push(
        new RegExp(`(?<![\\d\\u00a0.,])${formPattern(one, "(?:[02-9]|\\d[\\d\\u00a0]*\\d)")}(?![\\p{L}])`, "u"),
      );
    }
  }
  const demo = demoWords();
  // A language's own name ("English" in the language switch) is not a slip.
  const ownNames = new Set(["english", "svenska"]);
  const englishOnly = new Set([...en].filter((w) => !sv.has(w) && !demo.has(w) && !ownNames.has(w)));
  if (englishOnly.size < 200) throw new Error(`only ${englishOnly.size} English-only words: the parse is wrong`);
  return { englishOnly, wrongPlurals };
}

/** Everything a Swedish reader meets on the page: its text, title, and the
 * labels, placeholders and alternative texts a screen reader or an empty
 * field shows; not the commands shown as code. */
async function readable(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll("[placeholder], [aria-label], [title], img[alt]")].flatMap((el) =>
      ["placeholder", "aria-label", "title", "alt"].map((a) => el.getAttribute(a) ?? ""),
    );
    // Commands and code are not translated ("sprida demo remove").
    let body = document.body.innerText;
    for (const code of document.querySelectorAll("code, kbd, samp")) body = body.replace((code as HTMLElement).innerText, " ");
    return [document.title, body, ...attrs].join("\n");
  });
}

/** Problems on the page now open: English words and wrong plurals. */
export async function swedishProblems(page: Page, vocab: Vocabulary, extra: Set<string> = new Set()) {
  const text = await readable(page);
  const problems: string[] = [];
  const english = [...new Set(words(text))].filter((w) => vocab.englishOnly.has(w) && !extra.has(w));
  if (english.length) problems.push(`English words: ${english.join(", ")}`);
  for (const re of vocab.wrongPlurals) {
    const m = text.match(re);
    if (m) problems.push(`wrong plural: "${m[0]}"`);
  }
  return problems;
}

/** Opens each page in turn and collects its problems, by path. The page must
 * be signed in as someone whose language is Swedish. */
export async function walkInSwedish(page: Page, paths: string[], vocab: Vocabulary, extra?: Set<string>) {
  const found: string[] = [];
  for (const path of paths) {
    await page.goto(path);
    await hydrated(page);
    await expect(page.locator("html")).toHaveAttribute("lang", "sv");
    // Content loads after hydration: wait until no "Loading…" remains.
    await expect(page.getByText("Laddar…")).toHaveCount(0);
    for (const p of await swedishProblems(page, vocab, extra)) found.push(`${path}: ${p}`);
  }
  return found;
}

// Headless Chromium names itself a robot; people here use a browser's agent.
const PERSON_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/** Signs in and switches the person's language to Swedish in the profile. */
export async function swedishAdmin(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, userAgent: PERSON_UA, viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await signIn(page, "admin@demo.sprida.local");
  await page.goto("/profile");
  await hydrated(page);
  await page.locator("#profile-form select[name=language]").selectOption("sv");
  await page.locator("#profile-form button[type=submit]").click();
  await expect(page.locator("#profile-form").getByRole("status")).toHaveText("Sparat.");
  return page;
}

