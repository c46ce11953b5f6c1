// Visits pages whose islands are lazy chunks, again and again, and counts the
// visits on which the page never came alive. A stall prints what the browser
// saw (helpers.hydrationReport). Diagnostic, not part of the suite:
// bench/hydration-soak.sh runs it.
import { expect, Page, Request, test, TestInfo } from "@playwright/test";
import { ALICE, hydrationReport, PASSWORD, signIn } from "../tests/helpers";

const ROUNDS = Number(process.env.SOAK_ROUNDS ?? 50);
const WAIT_MS = Number(process.env.SOAK_WAIT_MS ?? 10_000);

/** Every request of one visit: when it started and how it ended (ms from the visit's start). */
function trackRequests(page: Page): () => string[] {
  const started = Date.now();
  const seen = new Map<Request, string>();
  const at = () => `${Date.now() - started}ms`;
  const onRequest = (r: Request) => seen.set(r, `${at()} ${r.method()} ${r.url()} (${r.resourceType()}) ... pending`);
  const onDone = (r: Request) => seen.set(r, (seen.get(r) ?? r.url()).replace("... pending", `... done ${at()}`));
  const onFailed = (r: Request) => seen.set(r, (seen.get(r) ?? r.url()).replace("... pending", `... FAILED ${at()} ${r.failure()?.errorText}`));
  page.on("request", onRequest);
  page.on("requestfinished", onDone);
  page.on("requestfailed", onFailed);
  return () => {
    page.off("request", onRequest);
    page.off("requestfinished", onDone);
    page.off("requestfailed", onFailed);
    return [...seen.values()];
  };
}

async function soak(page: Page, paths: string[], info: TestInfo) {
  const stalls: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const path of paths) {
      const requests = trackRequests(page);
      await page.goto(path);
      try {
        await expect(page.locator("#app[data-hydrated=true]")).toBeAttached({ timeout: WAIT_MS });
        requests();
      } catch {
        const visit = requests().join("\n");
        stalls.push(`${path} (round ${round}):\n${await hydrationReport(page)}\nthis visit's requests:\n${visit}`);
      }
    }
  }
  console.log(`[${info.project.name}] ${ROUNDS} visits each to ${paths.join(" ")}: ${stalls.length} stalled`);
  for (const s of stalls) console.log(s);
  expect(stalls).toEqual([]);
}

test("signed-in pages come alive on every visit", async ({ page }, info) => {
  await page.goto("/login");
  await signIn(page, ALICE, PASSWORD);
  await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
  await soak(page, ["/settings", "/"], info);
});

test("signed-out pages come alive on every visit", async ({ page }, info) => {
  await soak(page, ["/login", "/forgot-password", "/forgot-username"], info);
});
