// Accessibility of every page kind: axe-core, injected into real headless Chromium, finds
// no violation on any page of the sites in SITREP_SITES (built output folders), opened from
// file://, in light and in dark mode. Every page at the root (overview, lists, matrix,
// timeline, checks, methodology, search, browse, 404 …) and the first page (by name) of
// every folder at every depth (incidents/, figures/, browse/, browse/place/,
// browse/place/<value>/ for the second page of a long list …).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const sites = (process.env.SITREP_SITES || '').split(':').filter(Boolean);
const axeSource = readFileSync(
  fileURLToPath(new URL('node_modules/axe-core/axe.min.js', import.meta.url)),
  'utf8',
);

/** Every page at the root of `dir`, and the first page (by name) of each folder below
 * it, at every depth. */
function pagesOf(dir, root = true) {
  const pages = [];
  const names = readdirSync(dir).sort();
  const html = names.filter((n) => n.endsWith('.html'));
  pages.push(...(root ? html : html.slice(0, 1)).map((n) => join(dir, n)));
  for (const name of names) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) pages.push(...pagesOf(path, false));
  }
  return pages;
}

test('no axe-core violations on any page kind, light and dark', async () => {
  assert.ok(sites.length > 0, 'SITREP_SITES names the built sites');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
  });
  const problems = [];
  let checked = 0;
  let filtered = 0;
  try {
    for (const scheme of ['light', 'dark']) {
      const context = await browser.newContext({ colorScheme: scheme });
      const page = await context.newPage();
      for (const site of sites) {
        for (const file of pagesOf(site)) {
          await page.goto(pathToFileURL(file).href);
          await page.addScriptTag({ content: axeSource });
          const check = async (name) => {
            const violations = await page.evaluate(async () => {
              const result = await window.axe.run(document, {
                runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
              });
              return result.violations.map((v) => ({
                id: v.id,
                help: v.help,
                nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
                count: v.nodes.length,
              }));
            });
            checked += 1;
            for (const v of violations) {
              problems.push(`${scheme} ${name} [${v.id}] ${v.help} (${v.count} nodes)\n    ${v.nodes.join('\n    ')}`);
            }
          };
          await check(relative(site, file));
          // A browse filter on a list split into pages, showing the matches of every page.
          if (await page.$('#facet-filter-all')) {
            const select = await page.$('#facet-filter select[data-facet]');
            const value = await select.$eval('option:nth-child(2)', (o) => o.value);
            await select.selectOption(value);
            await page.waitForSelector('#facet-filter-all:not([hidden])');
            await check(`${relative(site, file)} (filtered)`);
            filtered += 1;
          }
        }
      }
      await context.close();
    }
  } finally {
    await browser.close();
  }
  assert.ok(checked >= 20, `checked ${checked} pages`);
  assert.ok(filtered > 0, 'a split browse list checked with its filter applied');
  assert.deepEqual(problems, [], problems.join('\n'));
});
