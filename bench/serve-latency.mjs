// The measuring half of bench/serve-latency (which starts the server and passes its URL,
// the served site folder, the server's log file and the number of runs in the environment).
import fs from "node:fs/promises";
import http from "node:http";
import path from "node:path";

const { chromium } = await import(process.env.PLAYWRIGHT);
const url = process.env.SITREP_URL;
const site = process.env.SITREP_SITE;
const log = process.env.SITREP_LOG;
const runs = Number(process.env.SITREP_RUNS);
const TIMEOUT = 600_000;

function answers() {
  return new Promise((resolve) => {
    const request = http.get(url + "/", { agent: false }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on("error", () => resolve(false));
  });
}

async function save(file, text) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await fs.writeFile(temporary, text);
  await fs.rename(temporary, file);
}

async function first(folder, extension) {
  const names = (await fs.readdir(path.join(site, folder))).filter((n) => n.endsWith(extension)).sort();
  if (names.length === 0) throw new Error(`no ${extension} file in ${folder}`);
  return { file: path.join(site, folder, names[0]), id: names[0].slice(0, -extension.length) };
}

/** The rebuild times (ms) sitrep serve printed so far. */
async function rebuildTimes() {
  const text = await fs.readFile(log, "utf8");
  return [...text.matchAll(/changed: .* in ([\d.]+) ms/g)].map((m) => Number(m[1]));
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const f = (v) => v.toFixed(1);
  return `median ${f(at(0.5))} ms, min ${f(sorted[0])}, p90 ${f(at(0.9))}, max ${f(sorted.at(-1))} (n=${values.length})`;
}

const started = Date.now();
while (!(await answers())) {
  if (Date.now() - started > TIMEOUT) throw new Error("sitrep serve did not start");
  await new Promise((resolve) => setTimeout(resolve, 50));
}
const firstBuild = (await fs.readFile(log, "utf8")).match(/built the site: .* in ([\d.]+) ms/);
const incidents = (await fs.readdir(path.join(site, "content/incidents"))).length;
console.log(`site: ${incidents} incident files; first build ${firstBuild ? firstBuild[1] + " ms" : "?"}`);

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const page = await browser.newPage();

async function measure(name, pagePath, file, edit) {
  await page.goto(url + pagePath);
  await page.waitForFunction(() => window.__sitrep?.connected === true, null, { timeout: TIMEOUT });
  const original = await fs.readFile(file, "utf8");
  const latencies = [];
  const before = (await rebuildTimes()).length;
  for (let n = 0; n < runs; n++) {
    const marker = `latency-marker-${Date.now()}-${n}`;
    const text = edit(original, marker);
    if (text === original) throw new Error(`cannot apply the ${name} edit to ${file}`);
    const navigated = page.waitForEvent("load", { timeout: TIMEOUT });
    const t0 = performance.now();
    await save(file, text);
    await navigated;
    await page.waitForFunction((m) => document.body.innerText.includes(m), marker, { timeout: TIMEOUT });
    latencies.push(performance.now() - t0);
    await page.waitForFunction(() => window.__sitrep?.connected === true, null, { timeout: TIMEOUT });
  }
  await save(file, original);
  await new Promise((resolve) => setTimeout(resolve, 500));
  const rebuilds = (await rebuildTimes()).slice(before, before + runs);
  console.log(`${name}:`);
  console.log(`  file written -> page shows it: ${summary(latencies)}`);
  console.log(`  server rebuild:                ${summary(rebuilds)}`);
}

const incident = await first("content/incidents", ".md");
await measure("incident summary edit", `/incidents/${incident.id}.html`, incident.file, (text, marker) => {
  const body = text.indexOf("\n---", 4);
  return body < 0 ? text : `${text.trimEnd()}\n\nEdited: ${marker}.\n`;
});
const figure = await first("content/figures", ".yaml");
await measure("figure label edit (fact table)", `/figures/${figure.id}.html`, figure.file, (text, marker) =>
  text.replace(/^label: .*$/m, `label: Edited ${marker}`),
);
await browser.close();
