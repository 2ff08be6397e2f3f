// The browse filter in headless Chromium (driven by playwright-core): a facet value
// narrows a browse page's incident list, the state survives a reload through the URL
// fragment, a shared link with a fragment opens filtered, the keyboard works, clearing
// restores the list, and without JavaScript the page lists everything.
// Started by ./run, which passes the sitrep binary in SITREP_BIN: builds the shipped
// briefing into a temporary folder and opens it from file://. With SITREP_SITE_URL (the
// URL of a built shipped briefing's root, as tests/hosting/run serves it under a
// sub-path) it opens the pages there instead.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build, launch, repo, shippedInPages, temporary } from "./browser.mjs";

// Balochistan lists all 22 incidents of the shipped briefing; 3 are response measures.
const PAGE = "browse/place/pakistan_balochistan.html";
let tmp;
let root;
let browser;
let page;
let problems;

before(async () => {
  if (process.env.SITREP_SITE_URL) {
    root = process.env.SITREP_SITE_URL;
  } else {
    tmp = await temporary("filter");
    const out = path.join(tmp, "out");
    build(repo, out);
    root = pathToFileURL(out).href + "/";
  }
  ({ browser, page, problems } = await launch());
});

after(async () => {
  await browser?.close();
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
});

/** The titles of the incidents shown (not hidden) on the page. */
const shown = () =>
  page.$$eval(".incident-list > li", (items) =>
    items.filter((li) => !li.hidden && li.offsetParent !== null).map((li) => li.querySelector("a").textContent),
  );

/** The titles of the incidents whose facet terms include `term`. */
const having = (term) =>
  page.$$eval(
    ".incident-list > li",
    (items, term) =>
      items
        .filter((li) => li.getAttribute("data-facets").split(" ").includes(term))
        .map((li) => li.querySelector("a").textContent),
    term,
  );

const open = async (fragment = "") => {
  await page.goto(root + PAGE + fragment);
  await page.waitForSelector("#facet-filter:not([hidden])");
};

test("a category narrows the list, and the fragment says so", async () => {
  await open();
  const all = await shown();
  assert.equal(all.length, 22);
  await page.selectOption("#filter-category", "response-measure");
  const expected = await having("category:response-measure");
  assert.equal(expected.length, 3);
  assert.deepEqual(await shown(), expected);
  assert.equal(new URL(page.url()).hash, "#category=response-measure");
  assert.match(await page.textContent("#facet-filter-status"), /Showing 3 of 22 incidents/);
  assert.equal(await page.getAttribute("#facet-filter-status", "role"), "status");
});

test("the filter survives a reload", async () => {
  await page.reload();
  await page.waitForSelector("#facet-filter:not([hidden])");
  assert.equal(await page.inputValue("#filter-category"), "response-measure");
  assert.deepEqual(await shown(), await having("category:response-measure"));
});

test("a shared link with two facets opens filtered (AND)", async () => {
  await open("#category=security-operation&place=quetta");
  const both = await having("category:security-operation");
  const quetta = new Set(await having("place:quetta"));
  const expected = both.filter((t) => quetta.has(t));
  assert.deepEqual(await shown(), expected);
  assert.ok(expected.length < 22);
  assert.equal(await page.inputValue("#filter-place"), "quetta");
});

test("clearing the filter restores the list", async () => {
  await page.click("#facet-filter button[type=reset]");
  await page.waitForFunction(() => location.hash === "");
  assert.equal((await shown()).length, 22);
  assert.match(await page.textContent("#facet-filter-status"), /all 22 incidents shown/);
});

test("the keyboard sets a filter", async () => {
  await open();
  await page.focus("#filter-outcome");
  await page.keyboard.press("ArrowDown");
  await page.waitForFunction(() => location.hash.startsWith("#outcome="));
  const value = await page.inputValue("#filter-outcome");
  assert.deepEqual(await shown(), await having(`outcome:${value}`));
  // The skip link's #main is an anchor, not a filter: it keeps the list as it is.
  await page.goto(page.url().replace(/#.*$/, "") + "#main");
  assert.deepEqual(await shown(), await having(`outcome:${value}`));
});

test("without JavaScript the page lists every incident and no filter", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(root + PAGE + "#category=response-measure");
  const items = await plain.$$eval(".incident-list > li", (items) => items.filter((li) => !li.hidden).length);
  assert.equal(items, 22);
  assert.equal(await plain.getAttribute("#facet-filter", "hidden"), "");
  await context.close();
});

test("on a list split into pages, the filter links to a search of every page", { skip: !!process.env.SITREP_SITE_URL }, async () => {
  // The shipped briefing in pages of 4: Balochistan's 22 incidents take 6 pages.
  const site = path.join(tmp, "small");
  await shippedInPages(site, 4);
  const out = path.join(tmp, "small-out");
  build(site, out);
  await page.goto(pathToFileURL(path.join(out, PAGE)).href + "#category=response-measure");
  await page.waitForSelector("#facet-filter-all:not([hidden])");
  await page.click("#facet-filter-all a");
  await page.waitForFunction(() => document.documentElement.hasAttribute("data-search-done"));
  const found = await page.$$eval(".search-result a", (links) => links.map((a) => a.textContent));
  // Every response measure of the briefing, not only those on the first page.
  assert.equal(found.length, 3, JSON.stringify(found));
});

test("no script errors", () => {
  assert.deepEqual(problems, []);
});
