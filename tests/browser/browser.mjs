// The setup the browser tests share: headless Debian Chromium (/usr/bin/chromium, never a
// downloaded browser) driven by playwright-core, a page whose script errors are collected,
// and sites built by the sitrep binary ./run passes in SITREP_BIN into a temporary folder.
import { execFileSync } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";

/** The repository's root. */
export const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/**
 * Starts Chromium and opens a page. `problems` collects every console error and uncaught
 * exception of the page, for a test to assert there were none.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
  const page = await browser.newPage();
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(msg.text());
  });
  page.on("pageerror", (err) => problems.push(String(err)));
  return { browser, page, problems };
}

/** A new temporary folder named after `name`. */
export const temporary = (name) => fs.mkdtemp(path.join(os.tmpdir(), `sitrep-${name}-`));

/** Builds the site in `root` into `out` with `sitrep build` (and `args`). */
export function build(root, out, args = []) {
  execFileSync(process.env.SITREP_BIN, ["build", "--root", root, "--out", out, ...args], { stdio: "pipe" });
}

/**
 * A copy of the shipped briefing in `site` whose listings take pages of `pageSize`
 * (`[listings] page_size`).
 */
export async function shippedInPages(site, pageSize) {
  await fs.mkdir(site, { recursive: true });
  for (const folder of ["content", "archive"]) {
    await fs.cp(path.join(repo, folder), path.join(site, folder), { recursive: true });
  }
  const config = await fs.readFile(path.join(repo, "site.toml"), "utf8");
  await fs.writeFile(path.join(site, "site.toml"), `${config}\n[listings]\npage_size = ${pageSize}\n`);
}
