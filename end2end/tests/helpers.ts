import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Demo data made by `portal demo` (see the README).
export const PASSWORD = "Harbor-Lantern-73";
export const ALICE = "alice@example.com";
export const LOCKED = "bob@example.com";
export const REVOKED = "erin@example.com";
export const WRONG = "The username or password you entered is incorrect.";
export const LOCKED_MESSAGE =
  "Your account is temporarily locked. Try again in 15 minutes, or use Forgot password? to reset your password.";

/** An enrolled demo account that this project alone may lock. */
export function accountToLock(info: TestInfo): string {
  return info.project.name === "mobile" ? "grace@example.com" : "frank@example.com";
}

/** Waits until the wasm has taken over the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator("#app[data-hydrated=true]")).toBeAttached();
}

/** Fills and submits the sign-in form. With JavaScript on, waits for the
 *  server function's answer, so that consecutive attempts never overlap. */
export async function signIn(page: Page, username: string, password: string) {
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill(password);
  const button = page.getByRole("button", { name: "Sign in" });
  const live = await page.locator("#app[data-hydrated=true]").count();
  if (live) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/login")), button.click()]);
  } else {
    await button.click();
  }
}

export async function expectNoAxeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}
