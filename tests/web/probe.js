// Drives a web edition's page in headless Chromium as a reader would (tests/built/test_web.py):
//   node probe.js NODE_MODULES URL WIDTH SCHEME ACTION [ARGUMENT] [SCREENSHOT]
// ACTION: "search" types ARGUMENT into the search box and reports the results' links and text;
// "note" clicks the first note reference and reports the pop-up; "look" reports the page's state;
// "nojs" loads it with JavaScript off and reports its text and whether the search is hidden.
// Prints one JSON object.
"use strict";
const path = require("path");
const [modules, url, width, scheme, action, argument, screenshot] = process.argv.slice(2);
const puppeteer = require(path.join(modules, "puppeteer"));

(async () => {
  const browser = await puppeteer.launch({ executablePath: process.env.PUPPETEER_EXECUTABLE_PATH, headless: true,
                                           args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
    await page.setViewport({ width: Number(width), height: 900 });
    if (action === "nojs") await page.setJavaScriptEnabled(false);
    await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: scheme }]);
    await page.goto(url, { waitUntil: "load" });
    const report = { errors };
    if (action === "search") {
      await page.type("#search-words", argument);
      await page.waitForFunction(() => !document.querySelector(".search-results").hidden
                                 && document.querySelector(".search-results").children.length, { timeout: 10000 });
      report.links = await page.$$eval(".search-results a", (as) => as.map((a) => a.getAttribute("href")));
      report.text = await page.$eval(".search-results", (e) => e.textContent);
    } else if (action === "note") {
      await page.click("a[role=doc-noteref]");
      report.open = await page.$eval("dialog.note-popup", (d) => d.open);
      report.text = await page.$eval("dialog.note-popup", (d) => d.textContent);
      report.focused = await page.evaluate(() => document.activeElement.className);
      await page.keyboard.press("Escape");
      report.closed = await page.$eval("dialog.note-popup", (d) => !d.open);
    }
    if (action === "nojs") {
      report.searchHidden = await page.$eval("form.search", (f) => f.hidden && getComputedStyle(f).display === "none");
      report.text = await page.$eval("main", (m) => m.innerText);
    }
    report.theme = await page.evaluate(() => document.documentElement.getAttribute("data-theme"));
    report.background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    report.overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
    process.stdout.write(JSON.stringify(report));
  } finally {
    await browser.close();
  }
})().catch((error) => { process.stderr.write(String(error && error.stack || error)); process.exit(2); });
