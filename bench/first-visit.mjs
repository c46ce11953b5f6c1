// A patient's first visit to a page (default /login) on slow 4G (150 ms RTT, 1.6 Mbps down,
// 750 kbps up, no cache), in Debian's Chromium, median of BENCH_VISITS
// visits: bytes over the wire, when the form is on screen and usable (first
// contentful paint of the server-rendered form, which posts without
// JavaScript), and when the wasm has hydrated it (#app[data-hydrated]: every
// island on the page live, a lazy one after its chunk arrived). Run by bench/run.sh against its
// server: node bench/first-visit.mjs URL [PATH]
import { launch, slow4g } from "./slow-phone.mjs";

const path = process.argv[3] ?? "/login";
const url = (process.argv[2] ?? "http://127.0.0.1:3200") + path;
const visits = Number(process.env.BENCH_VISITS ?? 5);
const cpu = Number(process.env.BENCH_CPU_SLOWDOWN ?? 1);
const browser = await launch();

async function visit() {
  const context = await browser.newContext();
  const page = await context.newPage();
  const cdp = await slow4g(context, page, cpu);
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  let bytes = 0;
  cdp.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  // The moment the attribute appears, in the page's own clock.
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector("#app[data-hydrated=true]")) {
        window.__hydratedAt = performance.now();
        observer.disconnect();
      }
    }).observe(document, { subtree: true, attributes: true, childList: true });
  });
  await page.goto(url, { waitUntil: "commit" });
  await page.locator("#app[data-hydrated=true]").waitFor({ state: "attached", timeout: 120_000 });
  await page.waitForLoadState("load");
  const t = await page.evaluate(() => {
    const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
    const form = document.querySelector("main form input") !== null;
    return { fcp, form, hydrated: window.__hydratedAt };
  });
  if (!t.form) throw new Error(`no form on ${path}`);
  await context.close();
  return { ...t, bytes };
}

const runs = [];
for (let i = 0; i < visits; i++) runs.push(await visit());
await browser.close();
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const label = cpu > 1 ? `, CPU ${cpu}× slower` : "";
const what = `first visit to ${path} on slow 4G${label}`;
console.log(`| ${what}: bytes over the wire | ${(median(runs.map((r) => r.bytes)) / 1000).toFixed(1)} KB | |`);
console.log(`| ${what}: form on screen and usable (FCP) | ${Math.round(median(runs.map((r) => r.fcp)))} ms | |`);
console.log(`| ${what}: hydrated | ${Math.round(median(runs.map((r) => r.hydrated)))} ms | |`);
