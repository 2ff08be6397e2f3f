// Search benchmark in headless Chromium from file://: for each query, a fresh browser
// context (nothing cached) opens search.html, types the query and submits it; prints the
// time from submitting to the first results shown (search.js sets data-search-done once
// they are in the page), the index files loaded and their bytes. Not a test: nothing is
// asserted. Usage: node bench/search.mjs OUT QUERY... (run by `bench/run --search`, which
// puts playwright-core from tests/browser/node_modules on NODE_PATH).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const { chromium } = require("playwright-core");
const [out, ...queries] = process.argv.slice(2);
const ROUNDS = Number(process.env.SEARCH_ROUNDS || 5);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
const script = fs.statSync(path.join(out, "search/search.js")).size;
console.log(`| query | results | files loaded | index KB loaded | first results ms (median of ${ROUNDS}, cold) |`);
console.log("|---|---:|---:|---:|---:|");
for (const query of queries) {
  const times = [];
  let loaded = [];
  let count = "";
  for (let round = 0; round < ROUNDS; round++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(pathToFileURL(path.join(out, "search.html")).href);
    await page.waitForFunction(() => document.documentElement.getAttribute("data-search-done") === "");
    const ms = await page.evaluate(async (q) => {
      const input = document.getElementById("search-input");
      const start = performance.now();
      input.value = q;
      document.getElementById("search-form").requestSubmit();
      while (document.documentElement.getAttribute("data-search-done") !== q) {
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      return performance.now() - start;
    }, query);
    times.push(ms);
    loaded = await page.evaluate(() => window.sitrepSearch.loaded.slice());
    // "12 results for …", "1 result for …" or "No results for …".
    count = (await page.textContent("#search-status")).replace(/ results? for.*| for.*/, "").replace(/^No$/, "0");
    await context.close();
  }
  times.sort((a, b) => a - b);
  const bytes = loaded.reduce((sum, f) => sum + fs.statSync(path.join(out, "search", f)).size, 0);
  console.log(
    `| \`${query}\` | ${count} | ${loaded.length} | ${(bytes / 1024).toFixed(1)} | ${times[Math.floor(times.length / 2)].toFixed(0)} |`,
  );
}
console.log(`\nsearch.js itself: ${(script / 1024).toFixed(1)} KB (not counted above).`);
await browser.close();
