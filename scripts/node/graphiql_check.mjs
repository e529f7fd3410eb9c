// Headless check of the GraphiQL page with Debian's chromium (puppeteer-core drives it):
//   node graphiql_check.mjs URL [--chromium /usr/bin/chromium] [--screenshot FILE]
// Loads URL (the server's /graphql), records any request to another origin, opens the
// documentation explorer and its Query type, and prints one JSON line: the Query fields the
// docs panel lists, the foreign requests, failed requests, page errors (a CSP violation is one), the
// plugins' buttons, and whether the headers editor holds an Authorization header. Exits 1 when
// the docs panel lists no field or anything foreign was asked for or failed.
import puppeteer from "puppeteer-core";

const args = process.argv.slice(2);
const url = args[0];
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
if (!url) {
  console.error("usage: node graphiql_check.mjs URL [--chromium PATH] [--screenshot FILE]");
  process.exit(2);
}
const TIMEOUT = 30_000;

const browser = await puppeteer.launch({
  executablePath: option("--chromium", "/usr/bin/chromium"),
  headless: true,
  // Root in a container has no user namespace for chromium's sandbox.
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
let page = null;
const report = { fields: [], foreign: [], errors: [], failed: [], buttons: [], authorization: false };
try {
  page = await browser.newPage();
  await page.setViewport({ width: 1400, height: 900 });
  const origin = new URL(url).origin;
  // The page's Content-Security-Policy keeps the browser on this origin; any request that
  // still names another origin (even one the policy blocked) is reported.
  page.on("request", (request) => {
    const target = request.url();
    if (/^https?:/.test(target) && new URL(target).origin !== origin) report.foreign.push(target);
  });
  page.on("requestfailed", (request) => report.failed.push(request.url()));
  page.on("pageerror", (error) => report.errors.push(String(error)));
  page.on("console", (message) => {
    if (message.type() === "error") report.errors.push(message.text());
  });

  await page.goto(url, { waitUntil: "domcontentloaded", timeout: TIMEOUT });
  const docs = 'button[aria-label="Show Documentation Explorer"]';
  await page.waitForSelector(docs, { timeout: TIMEOUT });
  report.buttons = await page.$$eval(".graphiql-sidebar button[aria-label]", (buttons) =>
    buttons.map((b) => b.getAttribute("aria-label")),
  );
  await page.click(docs);
  // Root Types: "query: Query"; following it lists Query's fields.
  const queryType = ".graphiql-doc-explorer-root-type + a.graphiql-doc-explorer-type-name";
  await page.waitForSelector(queryType, { timeout: TIMEOUT });
  await page.click(queryType);
  await page.waitForSelector(".graphiql-doc-explorer-field-name", { timeout: TIMEOUT });
  report.title = await page.$eval(".graphiql-doc-explorer-title", (e) => e.textContent);
  report.fields = await page.$$eval(".graphiql-doc-explorer-field-name", (names) =>
    names.map((n) => n.textContent),
  );
  report.authorization = await page.evaluate(() =>
    [...document.querySelectorAll(".CodeMirror")].some((e) =>
      /"Authorization"/.test(e.CodeMirror ? e.CodeMirror.getValue() : ""),
    ),
  );
} catch (error) {
  report.errors.push(`check: ${error.message}`);
} finally {
  const screenshot = option("--screenshot", null);
  if (screenshot && page) await page.screenshot({ path: screenshot });
  await browser.close();
}
console.log(JSON.stringify(report));
const ok = report.fields.length > 0 && !report.foreign.length && !report.failed.length && !report.errors.length;
process.exit(ok ? 0 : 1);
