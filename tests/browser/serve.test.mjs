// `sitrep serve` in headless Chromium (driven by playwright-core). Started by ./run, which
// passes the server's URL and the site folder it serves in SITREP_URL and SITREP_SITE.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";
import { launch } from "./browser.mjs";

const url = process.env.SITREP_URL;
const site = process.env.SITREP_SITE;
const TIMEOUT = 60_000;
let browser;
let page;

/** Saves like an editor: write a temporary file beside the target, rename it over. */
async function save(rel, text) {
  const file = path.join(site, rel);
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, file);
}

const read = (rel) => fs.readFile(path.join(site, rel), "utf8");

/** Whether the server answers; a fresh connection that is closed afterwards. */
function answers() {
  return new Promise((resolve) => {
    const request = http.get(url + "/", { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
  });
}

/** Waits until `pathname` is served (after a rebuild that adds it). */
async function waitForPath(pathname) {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const request = http.get(url + pathname, { agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode === 200);
      });
      request.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${pathname} was not served`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function waitForServer() {
  const deadline = Date.now() + TIMEOUT;
  for (;;) {
    if (await answers()) return;
    if (Date.now() > deadline) throw new Error(`sitrep serve did not answer at ${url}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Opens a page and waits until its live-reload socket is connected. */
async function open(pathname) {
  await page.goto(url + pathname);
  await page.waitForFunction(() => window.__sitrep?.connected === true, null, { timeout: TIMEOUT });
}

before(async () => {
  await waitForServer();
  ({ browser, page } = await launch());
});

after(async () => {
  await browser?.close();
});

const INCIDENT = "content/incidents/hospital-emergency.md";
const FIGURE = "content/figures/banks-robbed.yaml";
const CSS = "themes/default/static/style.css";

test("an edited incident summary appears without a manual reload", async () => {
  await open("/incidents/hospital-emergency.html");
  const marker = "Browser test marker sentence.";
  assert.ok(!(await page.textContent("body")).includes(marker));
  const text = await read(INCIDENT);
  await save(INCIDENT, text.replace("The reports do not name", `${marker} The reports do not name`));
  await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: TIMEOUT });
});

test("a broken fact table shows an overlay with file and line; the fix removes it", async () => {
  await open("/incidents/hospital-emergency.html");
  const good = await read(FIGURE);
  const broken = good.replace("unit: banks", "unit: [banks");
  assert.notEqual(broken, good);
  await save(FIGURE, broken);
  const overlay = page.locator("#sitrep-overlay");
  await overlay.waitFor({ state: "visible", timeout: TIMEOUT });
  const location = await overlay.locator(".sitrep-location").first().textContent();
  assert.match(location, /^content\/figures\/banks-robbed\.yaml:\d+:\d+$/);
  // The last good page is still what is shown under the overlay.
  assert.ok((await page.textContent("body")).includes("Emergency declared at all hospitals"));

  await save(FIGURE, good);
  await overlay.waitFor({ state: "detached", timeout: TIMEOUT });
  await page.waitForFunction(() => window.__sitrep?.connected === true, null, { timeout: TIMEOUT });
  assert.equal(await page.locator("#sitrep-overlay").count(), 0);
});

test("a CSS change applies without a navigation", async () => {
  await open("/incidents/hospital-emergency.html");
  await page.evaluate(() => {
    window.__notReloaded = true;
  });
  const navigations = await page.evaluate(() => performance.getEntriesByType("navigation").length);
  const before = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(before, "rgb(1, 2, 3)");
  const css = await read(CSS);
  await save(CSS, `${css}\nbody { background-color: rgb(1, 2, 3) !important; }\n`);
  await page.waitForFunction(
    () => getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)",
    null,
    { timeout: TIMEOUT },
  );
  assert.equal(await page.evaluate(() => window.__notReloaded), true, "the page was not reloaded");
  assert.equal(await page.evaluate(() => window.__sitrep.cssSwaps), 1);
  assert.equal(await page.evaluate(() => performance.getEntriesByType("navigation").length), navigations);
});

test("a 5,000-character word in a summary and a quote does not widen any page", async () => {
  const word = "x".repeat(5000);
  const files = {
    "content/sources/long-words.yaml": "title: Long words\noutlet: Example Post\npublished: Sunday\nlanguage: en\nkind: newspaper\n",
    "content/incidents/long-words.md": `---\ntitle: Long words ${word}\ndate: Saturday\nplace: {country: Pakistan}\ncategory: test\noutcome: unclear\nsources: [long-words]\n---\nA summary with ${word} in it [@long-words].\n`,
    "content/figures/long-words.yaml": `label: Long words ${word}\nunit: words\ndefinition: A figure whose claim quotes a long word.\nscope: {incidents: [long-words]}\nclaims:\n  - value: 1\n    qualifier: exact\n    source: long-words\n    stated_by: {party: pakistan-military, person: "Spokesperson ${word}"}\n    quote: "${word}"\n`,
  };
  // Away from the served pages first: the rebuild these files cause reloads the page left
  // open by the last test, and a reload landing during a `goto` below interrupts it.
  await page.goto("about:blank");
  for (const [rel, text] of Object.entries(files)) await save(rel, text);
  try {
    // The figure names the incident and the source, so its page is made by a rebuild
    // that has all three files: none is pending after it.
    await waitForPath("/figures/long-words.html");
    const pages = [
      "/incidents/long-words.html",
      "/figures/long-words.html",
      "/sources/long-words.html",
      "/incidents.html",
      "/timeline.html",
      "/matrix.html",
    ];
    for (const width of [375, 1280]) {
      await page.setViewportSize({ width, height: 800 });
      for (const pathname of pages) {
        await page.goto(url + pathname);
        assert.equal(await page.evaluate(() => location.pathname), pathname);
        const sizes = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          inner: window.innerWidth,
          text: document.body.innerText.length,
          title: document.title.slice(0, 80),
        }));
        assert.ok(sizes.text > 5000, `${pathname} does not show the long word: ${JSON.stringify(sizes)}`);
        assert.ok(
          sizes.scroll <= sizes.inner,
          `${pathname} at ${width}px is ${sizes.scroll}px wide, wider than the window (${sizes.inner}px)`,
        );
      }
    }
  } finally {
    for (const rel of Object.keys(files)) await fs.rm(path.join(site, rel), { force: true });
  }
});
