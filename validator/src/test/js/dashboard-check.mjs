// Loads the validator dashboard in headless Chromium, reads the miners table, and prints it as JSON
// together with the /api/status the page was built from, so the Java IT can compare the two.
// Usage: node dashboard-check.mjs <baseUrl> <screenshotPath>
import { chromium } from "playwright-core";

const [baseUrl, screenshot] = process.argv.slice(2);
// Each step has its own limit, so a hung step fails naming itself instead of only as the Java test's 60 s timeout.
const browser = await chromium.launch({
  timeout: 30000,
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(15000);
  const errors = [];
  page.on("pageerror", e => errors.push(String(e)));
  page.on("requestfailed", r => { if (!r.url().startsWith(baseUrl)) errors.push("external request: " + r.url()); });
  await page.goto(baseUrl + "/", { waitUntil: "networkidle" });
  await page.waitForSelector("#miners tbody tr", { timeout: 15000 });
  await page.waitForTimeout(500);
  // Table and the /api/status document it was rendered from, read in one synchronous step between refreshes.
  const { rows, status } = await page.evaluate(() => ({
    rows: [...document.querySelectorAll("#miners tbody tr")].map(tr => ({
      uid: Number(tr.dataset.uid),
      score: tr.querySelector("td.score").textContent.trim(),
      weight: tr.querySelector("td.weight").textContent.trim(),
    })),
    status: window.renderedStatus,
  }));
  const direct = await page.evaluate(async () => (await fetch("api/status", { signal: AbortSignal.timeout(10000) })).json());
  if (direct.validator.hotkey !== status.validator.hotkey) errors.push("rendered status is not this validator's");
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ rows, status, errors }));
} finally {
  await browser.close();
}
