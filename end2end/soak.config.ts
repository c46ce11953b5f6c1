import { defineConfig } from "@playwright/test";
import base from "./playwright.config";

// The hydration soak (`npx playwright test -c soak.config.ts`, bench/hydration-soak.sh):
// the same server and browsers as the suite, its own specs, no retries.
export default defineConfig({
  ...base,
  testDir: "./soak",
  testMatch: "*.soak.ts",
  timeout: 30 * 60_000,
  retries: 0,
});
