// Search in headless Chromium from file:// (driven by playwright-core). Started by ./run,
// which passes the sitrep binary in SITREP_BIN. Builds a copy of the valid fixture plus
// two incidents into a temporary folder and opens its pages straight from disk, where
// browsers refuse fetch, ES modules and WebAssembly: the index must load by <script>.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, launch, repo, temporary } from "./browser.mjs";

const TIMEOUT = 30_000;
let tmp;
let out;
let browser;
let page;
let problems;

const incident = (title, date, place, body) =>
  `---\ntitle: ${title}\ndate: ${date}\nplace: ${place}\ncategory: blockade\noutcome: foiled\nsources: [wire]\n---\n${body} [@wire].\n`;

before(async () => {
  tmp = await temporary("search");
  const site = path.join(tmp, "site");
  await fs.cp(path.join(repo, "tests/fixtures/valid"), site, { recursive: true });
  const incidents = path.join(site, "content/incidents");
  await fs.writeFile(
    path.join(incidents, "harbour.md"),
    incident("Harbour blockade", "2024-03-05", "{district: Pasnī, country: Examplia}", "Boats were held outside Gwādar harbour"),
  );
  await fs.writeFile(
    path.join(incidents, "convoy.md"),
    incident("Convoy stopped", "2024-02-01", "{country: Examplia}", "A convoy was stopped on the harbour road"),
  );
  out = path.join(tmp, "out");
  build(site, out);
  ({ browser, page, problems } = await launch());
});

after(async () => {
  await browser?.close();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

const fileUrl = (rel) => pathToFileURL(path.join(out, rel)).href;

/** Opens search.html?q=… from disk and returns the results as [kind, title, href]. */
async function search(query) {
  await page.goto(`${fileUrl("search.html")}?q=${encodeURIComponent(query)}`);
  return results(query);
}

async function results(query) {
  await page.waitForFunction(
    (q) => document.documentElement.getAttribute("data-search-done") === q,
    query,
    { timeout: TIMEOUT },
  );
  return page.$$eval(".search-result", (items) =>
    items.map((li) => [
      li.querySelector(".search-kind").textContent,
      li.querySelector(".search-title").textContent,
      li.querySelector("a").getAttribute("href"),
    ]),
  );
}

test("a word in one incident body finds that incident only", async () => {
  assert.deepEqual(await search("stormed"), [["Incident", "Prison attack in Northtown", "incidents/prison-attack.html"]]);
  const row = await page.$eval(".search-result", (li) => li.innerText);
  assert.match(row, /Northtown, Westprov, Examplia/);
  assert.match(row, /Militants stormed the prison/);
  assert.match(await page.textContent("#search-status"), /^1 result for “stormed”/);
});

test("a word from one claim quote finds its figure", async () => {
  // "Dozens of militants were killed" is a quote of one claim, and "dozens" occurs nowhere else.
  const figures = await fs.readdir(path.join(out, "../site/content/figures"));
  let expected;
  for (const name of figures) {
    const text = await fs.readFile(path.join(out, "../site/content/figures", name), "utf8");
    if (text.includes("Dozens of militants")) expected = `figures/${name.replace(/\.yaml$/, ".html")}`;
  }
  const found = await search("dozens");
  assert.equal(found.length, 1);
  assert.equal(found[0][0], "Figure");
  assert.equal(found[0][2], expected);
});

test("words are ANDed; diacritics and case do not matter", async () => {
  const harbour = await search("harbour");
  assert.deepEqual(harbour.map((r) => r[2]).sort(), ["incidents/convoy.html", "incidents/harbour.html"]);
  assert.deepEqual((await search("HARBOUR boats ")).map((r) => r[2]), ["incidents/harbour.html"]);
  assert.deepEqual(await search("boats convoy "), []);
  assert.match(await page.textContent("#search-status"), /No results/);
  // The title boost puts the incident with "harbour" in its title first.
  assert.equal(harbour[0][2], "incidents/harbour.html");
  assert.deepEqual((await search("Pasni")).map((r) => r[2]), ["incidents/harbour.html"]);
  assert.deepEqual((await search("gwadar")).map((r) => r[2]), ["incidents/harbour.html"]);
  assert.deepEqual((await search("place:Pasnī")).map((r) => r[2]), ["incidents/harbour.html"]);
});

test("the last word matches as a prefix", async () => {
  assert.deepEqual((await search("stor")).map((r) => r[2]), ["incidents/prison-attack.html"]);
  assert.deepEqual((await search("Gwād")).map((r) => r[2]), ["incidents/harbour.html"]);
  // Only the last word: "stor" followed by a space is a whole word, which no text has.
  assert.deepEqual(await search("stor "), []);
});

test("the header box leads to results, and the keyboard moves through them", async () => {
  await page.goto(fileUrl("incidents/wave.html"));
  await page.fill("header input[type=search]", "harbour");
  await page.press("header input[type=search]", "Enter");
  await results("harbour");
  assert.match(page.url(), /search\.html\?q=harbour$/);

  const input = "#search-input";
  await page.focus(input);
  const focused = () => page.evaluate(() => document.activeElement.getAttribute("href") || document.activeElement.id);
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "incidents/harbour.html");
  await page.keyboard.press("ArrowDown");
  assert.equal(await focused(), "incidents/convoy.html");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  assert.equal(await focused(), "search-input");
  // Typing searches as you go; Tab reaches the first result, Enter opens it.
  await page.fill(input, "");
  await page.type(input, "stormed");
  await results("stormed");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Tab");
  assert.equal(await focused(), "incidents/prison-attack.html");
  await Promise.all([page.waitForURL(/prison-attack\.html$/), page.keyboard.press("Enter")]);
});

test("the script splits and normalises words as the index builder does", async () => {
  await search("x");
  // The same cases as src/search/tokenise.rs's unit tests.
  const words = (text) => page.evaluate((t) => window.sitrepSearch.words(t), text);
  assert.deepEqual(await words("Pasnī, TURBAT—Gwādar"), ["pasni", "turbat", "gwadar"]);
  assert.deepEqual(await words("Ça va? Œuvre 12e"), ["ca", "va", "œuvre", "12e"]);
  assert.deepEqual(await words("ΟΔΟΣ οδός"), ["οδοσ", "οδοσ"]);
  assert.deepEqual(await words("کوئٹہ میں"), ["کويٹہ", "میں"]);
  assert.deepEqual(await words("x".repeat(100)), ["x".repeat(64)]);
});

test("no errors, and the index is loaded by script only", async () => {
  await search("harbour");
  const loaded = await page.evaluate(() => window.sitrepSearch.loaded);
  assert.ok(loaded.includes("manifest.js"), loaded.join(" "));
  assert.ok(loaded.some((f) => /^t\d+\.js$/.test(f)), loaded.join(" "));
  assert.deepEqual(problems, []);
});

test("without JavaScript the page says search needs it", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${fileUrl("search.html")}?q=harbour`);
  assert.match(await plain.textContent("main"), /Search needs JavaScript/);
  assert.equal(await plain.locator(".search-result").count(), 0);
  await context.close();
});
