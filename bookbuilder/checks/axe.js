// axe-core on every page of a web edition, in headless Chromium, at each width in both colour schemes.
// Run by checks/web.py with Ace by DAISY's installation (its puppeteer and its axe-core build):
//   node axe.js NODE_MODULES SITE_DIR WIDTHS PAGE...    (WIDTHS: comma-separated, e.g. 390,1280)
// Prints one JSON array of violations: {page, width, scheme, id, impact, help, targets}.
"use strict";
const fs = require("fs");
const path = require("path");
const [modules, site, widths, ...pages] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer"));
const axeSource = fs.readFileSync(path.join(modules, "@daisy", "axe-core-for-ace", "axe.min.js"), "utf8");
const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

(async () => {
  const browser = await puppeteer.launch({ executablePath: process.env.PUPPETEER_EXECUTABLE_PATH, headless: true,
                                           args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  const found = [];
  try {
    for (const file of pages) {
      for (const width of widths.split(",").map(Number)) {
        for (const scheme of ["light", "dark"]) {
          const page = await browser.newPage();
          await page.setViewport({ width, height: 900 });
          await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
          await page.goto("file://" + path.join(site, file), { waitUntil: "load" });
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate((tags) => axe.run(document, { runOnly: { type: "tag", values: tags } }), TAGS);
          for (const v of result.violations) {
            found.push({ page: file, width, scheme, id: v.id, impact: v.impact, help: v.help,
                         targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) });
          }
          await page.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(found));
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(2); });
