import { expect, test } from "@playwright/test";
import {
  accountToLock,
  ALICE,
  expectNoAxeViolations,
  hydrated,
  LOCKED,
  LOCKED_MESSAGE,
  PASSWORD,
  REVOKED,
  signIn,
  WRONG,
} from "./helpers";

test.describe("with JavaScript", () => {
  test.beforeEach(async ({ page }) => {
    await page.goto("/login");
    await hydrated(page);
  });

  test("the sign-in page has its fields, button and help links", async ({ page }) => {
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page.getByLabel("Username")).toBeVisible();
    await expect(page.getByLabel("Username")).toHaveAccessibleDescription("Your username is usually your email address.");
    await expect(page.getByLabel("Password")).toHaveAttribute("type", "password");
    await expect(page.getByRole("link", { name: "Forgot username?" })).toHaveAttribute("href", "/forgot-username");
    await expect(page.getByRole("link", { name: "Forgot password?" })).toHaveAttribute("href", "/forgot-password");
  });

  // The form sends the fields to the login server function (signIn waits for
  // its answer); on success the welcome page loads (no router in the browser).
  test("a patient signs in through the server function and signs out", async ({ page }) => {
    await signIn(page, "  Alice@Example.com ", PASSWORD);
    await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a wrong password and an unknown username get the same message, in place", async ({ page }) => {
    await page.evaluate(() => ((window as any).__samePage = true));
    await signIn(page, ALICE, "not-the-password");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    const known = await page.getByRole("alert").textContent();
    await signIn(page, "nobody-here@example.com", "not-the-password");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    expect(await page.getByRole("alert").textContent()).toBe(known);
    await expect(page).toHaveURL(/\/login$/);
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  });

  test("five wrong passwords lock the account", async ({ page }, info) => {
    const username = accountToLock(info);
    for (let i = 0; i < 4; i++) {
      await signIn(page, username, `wrong-password-${i}`);
      await expect(page.getByRole("alert")).toHaveText(WRONG);
    }
    await signIn(page, username, "wrong-password-5");
    await expect(page.getByRole("alert")).toHaveText(LOCKED_MESSAGE);
    await signIn(page, username, PASSWORD);
    await expect(page.getByRole("alert")).toHaveText(LOCKED_MESSAGE);
  });

  test("a locked demo patient is told so", async ({ page }) => {
    await signIn(page, LOCKED, PASSWORD);
    await expect(page.getByRole("alert")).toHaveText(LOCKED_MESSAGE);
  });

  test("a patient whose access was revoked is told to contact the practice", async ({ page }) => {
    await signIn(page, REVOKED, PASSWORD);
    await expect(page.getByRole("alert")).toHaveText(
      "Your portal access has been turned off. Please contact your practice.",
    );
  });

  test("the idle warning appears before the timeout and Stay signed in keeps the session", async ({ page }) => {
    await page.clock.install();
    await page.goto("/login");
    await hydrated(page);
    await signIn(page, ALICE, PASSWORD);
    await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
    // The idle warning is an island of its own: its timer starts once it is live.
    await hydrated(page);
    await page.clock.fastForward("18:40");
    await expect(page.getByRole("alert")).toContainText("You will be signed out in");
    const stay = page.getByRole("button", { name: "Stay signed in" });
    await expect(stay).toBeVisible();
    await stay.click();
    await expect(stay).toBeHidden();
    await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
  });

  test("the sign-in page and its error pass an accessibility scan", async ({ page }) => {
    await expectNoAxeViolations(page);
    await signIn(page, "nobody-here@example.com", "not-the-password");
    await expect(page.getByRole("alert")).toBeVisible();
    await expectNoAxeViolations(page);
  });

  test("the welcome page passes an accessibility scan", async ({ page }) => {
    await signIn(page, ALICE, PASSWORD);
    await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("a patient signs in with a plain form post and signs out", async ({ page }) => {
    await page.goto("/login");
    await signIn(page, ALICE, PASSWORD);
    await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await expect(page).toHaveURL(/\/login$/);
  });

  test("a wrong password shows the message and keeps the username", async ({ page }) => {
    await page.goto("/login");
    await signIn(page, "nobody-here@example.com", "not-the-password");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    await expect(page.getByLabel("Username")).toHaveValue("nobody-here@example.com");
  });
});

test.describe("the page a form post without JavaScript lands on", () => {
  // axe runs as JavaScript, so this posts the plain form from the test and
  // scans the server-rendered result with JavaScript on.
  // The request comes from the test, not the page: like a browser without
  // fetch metadata it must send our Origin and the page's CSRF token.
  test("passes an accessibility scan", async ({ page, baseURL }) => {
    await page.goto("/login");
    const csrf = (await page.locator('input[name="csrf"]').getAttribute("value")) ?? "";
    const refused = await page.request.post("/api/login", {
      form: { username: "nobody-here@example.com", password: "not-the-password" },
      headers: { accept: "text/html" },
      maxRedirects: 0,
    });
    expect(refused.status()).toBe(403);
    const posted = await page.request.post("/api/login", {
      form: { username: "nobody-here@example.com", password: "not-the-password", csrf },
      headers: { origin: new URL(baseURL!).origin, accept: "text/html" },
      maxRedirects: 0,
    });
    expect(posted.status()).toBe(303);
    await page.goto("/login");
    await expect(page.getByRole("alert")).toHaveText(WRONG);
    await expectNoAxeViolations(page);
  });
});
