// SPEC §2.4 and §2.3: an invitation → registration → signed in, with and
// without JavaScript; the registration errors; "Forgot username?" finding a
// username the patient chose.
import { expect, Page, test } from "@playwright/test";
import { accessCodeOf, expectNoAxeViolations, hydrated, invitedChart, lastMessage, MAIL_FROM, signIn } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const DOB = "19791224";

/** A fresh invited chart for this test and project. */
function invitation(name: string, project: string, js: boolean) {
  const email = `${name.toLowerCase()}-${project}-${js ? "js" : "nojs"}@example.com`;
  return { email, link: invitedChart(name, email, DOB) };
}

async function fillRegistration(page: Page, username: string | null, password = PASSWORD) {
  await page.getByLabel("Date of birth").fill(DOB);
  await page.getByLabel("Access code").fill(accessCodeOf(page.url()));
  if (username !== null) await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByLabel("Security question").selectOption("What was the make of your first car?");
  await page.getByLabel("Security answer").fill("Volvo");
  await page.getByLabel("Mobile phone number").fill("217-555-0177");
}

test.describe("with JavaScript", () => {
  test("an invited patient registers with a username of their own, lands signed in, and can get it back", async ({ page }, info) => {
    const inv = invitation("Uma", info.project.name, true);
    await page.goto(inv.link);
    await hydrated(page);
    await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
    await expect(page.getByLabel("Username")).toHaveValue(inv.email);
    await expectNoAxeViolations(page);

    await page.getByLabel("Date of birth").fill("1979/12/24");
    await page.getByLabel("Date of birth").blur();
    await expect(page.locator("#dob-message")).toHaveText(`Use digits only, like ${DOB}.`);
    const custom = `uma.${info.project.name}`;
    await fillRegistration(page, custom);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Uma" })).toBeVisible();

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    await signIn(page, custom.toUpperCase(), PASSWORD);
    await expect(page.getByRole("heading", { name: "Welcome, Uma" })).toBeVisible();
    await page.getByRole("button", { name: "Sign out" }).click();

    // Forgot username: the email lists the username chosen above.
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot username?" }).click();
    await expect(page.getByRole("heading", { name: "Forgot username?" })).toBeVisible();
    await hydrated(page);
    await expectNoAxeViolations(page);
    await page.getByLabel("Email address").fill(inv.email);
    await page.getByLabel("Date of birth").fill(DOB);
    await page.getByRole("button", { name: "Send username" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    await expect(page.getByRole("status")).toContainText(MAIL_FROM);
    await expect(page.getByRole("status")).toContainText("spam or junk");
    await expectNoAxeViolations(page);
    const m = await lastMessage(page, inv.email);
    expect(m.subject).toBe("Your patient portal username");
    expect(m.body).toContain(custom);

    // The invitation is used up.
    await page.goto(inv.link);
    await expect(page.getByText("This invitation is no longer valid. Ask your practice to send a new one.")).toBeVisible();
  });

  test("registration errors: date of birth, taken and look-alike usernames, password policy", async ({ page }, info) => {
    const inv = invitation("Vic", info.project.name, true);
    await page.goto(inv.link);
    await hydrated(page);
    await page.evaluate(() => ((window as any).__samePage = true));
    await fillRegistration(page, "alice@example.com");
    await page.getByLabel("Date of birth").fill("19791225");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert")).toHaveText("The date of birth or access code doesn't match our records.");

    await page.getByLabel("Date of birth").fill(DOB);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert")).toHaveText("That username is taken.");
    await expectNoAxeViolations(page);

    // Alice's username with a Cyrillic "а": it would show the same.
    await page.getByLabel("Username").fill("\u0430lice@example.com");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert")).toHaveText("That username looks the same as one already in use. Choose another.");

    await fillRegistration(page, inv.email, "password1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert")).toContainText("too common");

    await page.getByLabel("Confirm password").fill(PASSWORD + "!");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("alert")).toHaveText("The two passwords don't match.");
    // Each refusal showed in place, without a page load.
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);

    await page.goto("/register/not-a-real-invitation");
    await expect(page.getByText("This invitation is no longer valid.")).toBeVisible();
    await expectNoAxeViolations(page);
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("an invited patient registers by a plain form post", async ({ page }, info) => {
    const inv = invitation("Wes", info.project.name, false);
    await page.goto(inv.link);
    await fillRegistration(page, null);
    await page.getByLabel("Date of birth").fill("1979-12-24");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.locator("#dob-message")).toHaveText(`Use digits only, like ${DOB}.`);
    await expect(page.getByLabel("Username")).toHaveValue(inv.email);
    await expect(page.getByLabel("Security question")).toHaveValue("What was the make of your first car?");

    await fillRegistration(page, null);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Wes" })).toBeVisible();
    await expect(page).toHaveURL(/\/$/);
  });

  test("forgot username by a plain form post", async ({ page }) => {
    await page.goto("/forgot-username");
    await page.getByLabel("Email address").fill("alice@example.com");
    await page.getByLabel("Date of birth").fill("19850230");
    await page.getByRole("button", { name: "Send username" }).click();
    await expect(page.locator("#dob-message")).toHaveText("There is no such date.");
    await expect(page.getByLabel("Email address")).toHaveValue("alice@example.com");
    await page.getByLabel("Date of birth").fill("19850312");
    await page.getByRole("button", { name: "Send username" }).click();
    await expect(page).toHaveURL(/\/forgot-username\?sent=1$/);
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    const m = await lastMessage(page, "alice@example.com");
    expect(m.body).toContain("Username for Alice: alice@example.com");
  });
});
