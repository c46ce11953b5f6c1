import { defineConfig, devices } from "@playwright/test";

// Debian's Chromium: Playwright's own browser download is not possible here.
const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};

const port = process.env.E2E_PORT ?? "3100";
export const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 2,
  // One retry: a page's wasm once failed to hydrate within 30 s on the CI
  // machine (two-step, desktop, the second visit to /login/verify; it passed
  // on every other run and project). A test that fails twice still fails, and
  // the report names every test that needed its retry ("flaky").
  retries: 1,
  reporter: [["list"]],
  use: {
    baseURL,
    launchOptions: chromium,
    trace: "off",
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"], launchOptions: chromium } },
    { name: "mobile", use: { ...devices["Pixel 7"], launchOptions: chromium } },
  ],
  webServer: {
    command: "../scripts/e2e-server.sh",
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { E2E_PORT: port },
  },
});
