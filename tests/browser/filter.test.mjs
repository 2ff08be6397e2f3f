// The browse filter in headless Chromium (driven by playwright-core): a facet value
// narrows a browse page's incident list (and incidents.html's), the state survives a reload through the URL
// fragment, a shared link with a fragment opens filtered, the keyboard works, clearing
// restores the list, and without JavaScript the page lists everything. On a list split
// into pages, the filter lists the matches of every page (checked against the pages as
// built, followed through the pager).
// Started by ./run, which passes the sitrep binary in SITREP_BIN: builds the shipped
// briefing, and a copy in pages of 3, into a temporary folder and opens them from
// file://. With SITREP_SITE_URL and SITREP_SPLIT_URL (the roots of those builds, as
// tests/hosting/run serves them under sub-paths) it opens the pages there instead.
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
// The root of the shipped briefing built with page_size 3 (SITREP_SPLIT_URL at a host).
let splitRoot = process.env.SITREP_SPLIT_URL;
const noSplitSite = !!process.env.SITREP_SITE_URL && !process.env.SITREP_SPLIT_URL;

before(async () => {
  if (process.env.SITREP_SITE_URL) {
    root = process.env.SITREP_SITE_URL;
  } else {
    tmp = await temporary("filter");
    const out = path.join(tmp, "out");
    build(repo, out);
    root = pathToFileURL(out).href + "/";
    // The shipped briefing in pages of 3: Balochistan's 22 incidents take 8 pages.
    const site = path.join(tmp, "split");
    await shippedInPages(site, 3);
    build(site, path.join(tmp, "split-out"));
    splitRoot = pathToFileURL(path.join(tmp, "split-out")).href + "/";
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

test("the incident list has the filter too, and a shared link opens it filtered", async () => {
  await page.goto(root + "incidents.html#category=response-measure");
  await page.waitForSelector("#facet-filter:not([hidden])");
  const expected = await having("category:response-measure");
  assert.equal(expected.length, 3);
  assert.deepEqual(await shown(), expected);
  assert.match(await page.textContent("#facet-filter-status"), /Showing 3 of 22 incidents/);
  await page.click("#facet-filter button[type=reset]");
  await page.waitForFunction(() => location.hash === "");
  assert.equal((await shown()).length, 22);
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

/**
 * Every page of the list whose first page is at `url`, as the build wrote them: each
 * incident's title, link and facet terms, page by page (following the pager). Also sets
 * `names` to the name each page's filter gives each of its values ("facet:value" → name).
 */
async function listPages(url, names = new Map()) {
  const pages = [];
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  while (url) {
    await plain.goto(url);
    for (const [term, name] of await plain.$$eval("#facet-filter select[data-facet]", (selects) =>
      selects.flatMap((s) =>
        [...s.options].filter((o) => o.value).map((o) => [`${s.dataset.facet}:${o.value}`, o.textContent.replace(/ \(\d+\)$/, "")]),
      ),
    )) {
      names.set(term, name);
    }
    pages.push(
      await plain.$$eval(".incident-list > li[data-facets]", (items) =>
        items.map((li) => ({
          title: li.querySelector("a").textContent,
          href: li.querySelector("a").href,
          facets: li.getAttribute("data-facets").split(" "),
        })),
      ),
    );
    url = await plain.$eval("a[rel=next]", (a) => a.href).catch(() => null);
  }
  await context.close();
  return pages;
}

/** The incidents listed as the filter's matches of every page, as [title, link]. */
const everyPageResults = () =>
  page.$$eval("#facet-filter-results > li > a", (links) => links.map((a) => [a.textContent, a.href]));

const byTitle = (rows) => [...rows].sort((a, b) => (a[0] + a[1] < b[0] + b[1] ? -1 : 1));

test("on a list split into pages, the filter shows the matches of every page", { skip: noSplitSite }, async () => {
  const first = splitRoot + PAGE;
  const names = new Map();
  const pages = await listPages(first, names);
  assert.ok(pages.length > 1, "the list takes several pages");
  const everything = pages.flat();
  // The first page offers every value of the list's incidents, counted over all pages.
  await page.goto(first);
  await page.waitForSelector("#facet-filter:not([hidden])");
  await page.waitForFunction(() => document.documentElement.hasAttribute("data-filter-values"));
  const offered = await page.$$eval("#facet-filter select[data-facet]", (selects) =>
    selects.flatMap((s) =>
      [...s.options].filter((o) => o.value).map((o) => [s.dataset.facet, o.value, o.textContent.match(/\((\d+)\)$/)[1], o.textContent.replace(/ \(\d+\)$/, "")]),
    ),
  );
  assert.ok(offered.length > 0);
  // Each value is named as the pages listing it name it, those of other pages too.
  for (const [facet, value, , name] of offered) assert.equal(name, names.get(`${facet}:${value}`), `${facet}:${value}`);
  for (const facet of new Set(offered.map(([f]) => f))) {
    const counts = new Map();
    for (const term of everything.flatMap((i) => i.facets).filter((t) => t.startsWith(`${facet}:`))) {
      const value = term.slice(facet.length + 1);
      counts.set(value, (counts.get(value) || 0) + 1);
    }
    const expected = [...counts].map(([v, n]) => `${v} ${n}`).sort();
    const got = offered.filter(([f]) => f === facet).map(([, v, n]) => `${v} ${n}`).sort();
    assert.deepEqual(got, expected, facet);
  }
  // A value no incident of the first page has.
  const pick = offered.find(([facet, value]) => !pages[0].some((i) => i.facets.includes(`${facet}:${value}`)));
  assert.ok(pick, "some value is on other pages only");
  const [facet, value] = pick;
  const expected = everything.filter((i) => i.facets.includes(`${facet}:${value}`)).map((i) => [i.title, i.href]);
  const fragment = `${facet}=${encodeURIComponent(value)}`;
  const done = () =>
    page.waitForFunction((f) => document.documentElement.getAttribute("data-filter-done") === f, fragment);

  await page.selectOption(`#filter-${facet}`, value);
  await done();
  assert.equal(new URL(page.url()).hash, `#${fragment}`);
  assert.deepEqual(byTitle(await everyPageResults()), byTitle(expected));
  assert.ok(expected.length > 0);
  assert.match(
    await page.textContent("#facet-filter-status"),
    new RegExp(`^Showing ${expected.length} of ${everything.length} incidents from every page`),
  );
  assert.equal(await page.isVisible("#facet-filter-all"), true);
  assert.equal(await page.isVisible("ol.incident-list:not(#facet-filter-results)"), false);
  // Each match links to its incident's page.
  const [, href] = (await everyPageResults())[0];
  await page.goto(href);
  assert.equal(await page.textContent("h1"), expected.find(([, h]) => h === href)[0]);

  // A shared link opens with the matches of every page; clearing brings the page back.
  await page.goto(`${first}#${fragment}`);
  await done();
  assert.deepEqual(byTitle(await everyPageResults()), byTitle(expected));
  await page.click("#facet-filter button[type=reset]");
  await page.waitForFunction(() => document.documentElement.getAttribute("data-filter-done") === "");
  assert.equal(await page.isVisible("#facet-filter-all"), false);
  assert.deepEqual(await shown(), pages[0].map((i) => i.title));

  // Without JavaScript: the page's own incidents, no filter and no matches.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const plain = await context.newPage();
  await plain.goto(`${first}#${fragment}`);
  assert.equal(await plain.isVisible("#facet-filter-all"), false);
  const items = await plain.$$eval(".incident-list > li[data-facets]", (items) => items.filter((li) => !li.hidden).length);
  assert.equal(items, pages[0].length);
  await context.close();
});

test("no script errors", () => {
  assert.deepEqual(problems, []);
});
