// SPEC §2.2: "Forgot password?" and the reset wizard, both identity checks,
// with JavaScript on (no reloads between steps) and off (plain form posts).
import { expect, Page, test } from "@playwright/test";
import {
  e164,
  expectNoAxeViolations,
  hydrated,
  lastCode,
  MAIL_FROM,
  person,
  Person,
  resetLink,
  SECURITY_ANSWER,
  SECURITY_QUESTION,
  signIn,
} from "./helpers";

const NEW_PASSWORD = "Velvet-Orchard-Canoe-41";
const RESET_DONE = "Your password has been reset. Sign in with your new password.";
const NO_LONGER_VALID = "This link is no longer valid.";

/** Asks for a reset of `who` through the page and opens the emailed link. */
async function openLink(page: Page, who: Person, js: boolean): Promise<string> {
  await page.goto("/forgot-password");
  if (js) await hydrated(page);
  await page.getByLabel("Username").fill(who.email);
  await page.getByRole("button", { name: "Reset Password" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expect(page.getByRole("status")).toContainText(`If ${who.email} is a username here, we sent`);
  const link = await resetLink(page, who.email);
  await page.goto(link);
  if (js) await hydrated(page);
  await expect(page.getByRole("heading", { name: "Verify your identity" })).toBeVisible();
  return link;
}

async function saveNewPassword(page: Page) {
  await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save password" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("status")).toHaveText(RESET_DONE);
}

async function signInWithNewPassword(page: Page, who: Person) {
  await signIn(page, who.email, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: /^Welcome, / })).toBeVisible();
}

test.describe("with JavaScript", () => {
  test("forgot password gives the same confirmation for any username, naming the sender", async ({ page }) => {
    await page.goto("/forgot-password");
    await hydrated(page);
    await expectNoAxeViolations(page);
    const confirm = async (username: string) => {
      await page.goto("/forgot-password");
      await hydrated(page);
      await page.getByLabel("Username").fill(username);
      await page.getByRole("button", { name: "Reset Password" }).click();
      await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
      return page.getByRole("status").textContent();
    };
    const unknown = await confirm("nobody-at-all@example.com");
    expect(unknown).toContain(MAIL_FROM);
    expect(unknown).toMatch(/spam or junk/);
    // What was typed is echoed, so that a typo shows; nothing else differs.
    expect(unknown).toContain("If nobody-at-all@example.com is a username here, we sent");
    const known = await confirm("henry@example.com");
    expect(known!.replace("henry@example.com", "X")).toBe(unknown!.replace("nobody-at-all@example.com", "X"));
    await expectNoAxeViolations(page);
    await page.goto("/forgot-password");
    await expect(page.getByText("Your username is usually your email address.")).toBeVisible();
    await expect(page.getByRole("link", { name: "Forgot username?" })).toHaveAttribute("href", "/forgot-username");
  });

  test("security question: live date-of-birth messages, a wrong answer, then a new password", async ({ page }, info) => {
    const who = person(info, "jack", "kate");
    const link = await openLink(page, who, true);
    await expectNoAxeViolations(page);
    await page.evaluate(() => ((window as any).__samePage = true));
    await page.getByRole("button", { name: "Answer my security question" }).click();
    await expect(page.getByText(SECURITY_QUESTION)).toBeVisible();

    const dob = page.getByLabel("Date of birth");
    const message = page.locator("#dob-message");
    await expect(dob).toHaveAttribute("aria-describedby", /dob-message/);
    await dob.fill(who.dob.slice(0, 4) + "-" + who.dob.slice(4, 6) + "-" + who.dob.slice(6));
    await dob.blur();
    await expect(message).toHaveText(`Use digits only, like ${who.dob}.`);
    await expect(dob).toHaveAttribute("aria-invalid", "true");
    await expectNoAxeViolations(page);
    // Month, day, year, as US forms ask: turned around for the patient.
    await dob.fill(`${who.dob.slice(4, 6)}/${who.dob.slice(6)}/${who.dob.slice(0, 4)}`);
    await expect(message).toHaveText(`Use year, month, day: ${who.dob}.`);
    await expect(page.getByText("YYYYMMDD, like 19850312")).toBeVisible();
    // Once a message shows, it follows the typing.
    await dob.fill("19990230");
    await expect(message).toHaveText("There is no such date.");
    await dob.fill("29990101");
    await expect(message).toHaveText("Date of birth can't be in the future.");
    await dob.fill("18991231");
    await expect(message).toHaveText("Date of birth can't be before 1900.");
    await dob.fill("1234");
    await expect(message).toHaveText("Enter your date of birth as 8 digits: YYYYMMDD.");
    // A submit with a bad date is stopped in the browser.
    await page.getByLabel("Security answer").fill(SECURITY_ANSWER);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(message).toHaveText("Enter your date of birth as 8 digits: YYYYMMDD.");
    await expect(dob).toBeFocused();

    await dob.fill(who.dob);
    await expect(message).toBeEmpty();
    await page.getByLabel("Security answer").fill("Mittens");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert")).toHaveText("The date of birth or security answer doesn't match our records. You have 4 tries left.");
    // The question is the answer field's group name, not a hint.
    await expect(page.getByRole("group", { name: SECURITY_QUESTION })).toBeVisible();

    await page.getByLabel("Security answer").fill("  biscuit ");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
    await expectNoAxeViolations(page);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel("Confirm new password").fill(NEW_PASSWORD + "x");
    await page.getByRole("button", { name: "Save password" }).click();
    await expect(page.getByRole("alert")).toHaveText("The two passwords don't match.");
    await page.getByLabel("Confirm new password").fill("password1");
    await page.getByLabel("New password", { exact: true }).fill("password1");
    await page.getByRole("button", { name: "Save password" }).click();
    await expect(page.getByRole("alert")).toContainText("too common");
    // Every step so far showed in place; saving loads the sign-in page.
    expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);

    await saveNewPassword(page);
    await signInWithNewPassword(page, who);

    // The link is used up.
    await page.goto(link);
    await expect(page.getByText(NO_LONGER_VALID)).toBeVisible();
    await page.getByRole("link", { name: "Request a new link" }).click();
    await expect(page).toHaveURL(/\/forgot-password$/);
  });

  for (const [channel, wording, desktop, mobile] of [
    ["Text", "by text", "liam", "maya"],
    ["Voice", "by voice call", "noah", "olivia"],
  ] as const) {
    test(`mobile code by ${channel.toLowerCase()}: wrong number, countdown, wrong code, then a new password`, async ({ page }, info) => {
      const who = person(info, desktop, mobile);
      await openLink(page, who, true);
      await page.evaluate(() => ((window as any).__samePage = true));
      await page.getByRole("button", { name: "Send a security code to my mobile phone" }).click();
      await expect(page.getByText("about 2 minutes")).toBeVisible();
      await expectNoAxeViolations(page);

      await page.getByLabel("Mobile phone number").fill("(217) 555-0199");
      await page.getByRole("button", { name: "Send code" }).click();
      await expect(page.getByRole("alert")).toHaveText("That number doesn't match the mobile number on your account.");

      await page.getByLabel("Mobile phone number").fill("217." + "555." + who.mobile.slice(-4));
      await expect(page.getByRole("radio", { name: "Text" })).toBeChecked();
      await page.getByRole("radio", { name: channel }).check();
      await page.getByRole("button", { name: "Send code" }).click();
      await expect(page.getByText(new RegExp(`We sent a code ${wording} to \\(•••\\) •••-${who.last4} at \\d\\d:\\d\\d\\. Only the newest code works\\.`))).toBeVisible();

      const code = page.getByLabel("Security Code");
      await expect(code).toHaveAttribute("inputmode", "numeric");
      await expect(code).toHaveAttribute("autocomplete", "one-time-code");
      const resend = page.getByRole("button", { name: /^Resend code in \d+s$/ });
      await expect(resend).toBeDisabled();
      const first = Number((await resend.textContent())!.match(/\d+/)![0]);
      await expect(resend).not.toHaveText(`Resend code in ${first}s`);
      const later = Number((await resend.textContent())!.match(/\d+/)![0]);
      expect(later).toBeLessThan(first);
      await expectNoAxeViolations(page);

      const sent = await lastCode(page, e164(who), channel === "Text" ? "sms" : "voice");
      if (channel === "Voice") expect(sent.body).toContain(sent.code.split("").join(", "));
      const wrong = sent.code === "00000" ? "11111" : "00000";
      await code.fill(wrong);
      await page.getByRole("button", { name: "Check" }).click();
      await expect(page.getByRole("alert")).toHaveText("That code isn't right. You have 4 tries left.");
      await code.fill(sent.code);
      await page.getByRole("button", { name: "Check" }).click();
      await expect(page.getByRole("heading", { name: "Choose a new password" })).toBeVisible();
      expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
      await saveNewPassword(page);
      await signInWithNewPassword(page, who);
    });
  }

  test("a reload shows the server's countdown, and a newer link voids the older one", async ({ page }, info) => {
    const who = person(info, "henry", "ivy");
    const older = await openLink(page, who, true);
    await page.getByRole("button", { name: "Send a security code to my mobile phone" }).click();
    await page.getByLabel("Mobile phone number").fill(who.mobile);
    await page.getByRole("button", { name: "Send code" }).click();
    await expect(page.getByRole("button", { name: /^Resend code in \d+s$/ })).toBeDisabled();
    await page.waitForTimeout(2_000);
    await page.reload();
    await hydrated(page);
    const text = await page.getByRole("button", { name: /^Resend code in \d+s$/ }).textContent();
    const left = Number(text!.match(/\d+/)![0]);
    expect(left).toBeLessThanOrEqual(58);
    expect(left).toBeGreaterThan(30);

    await openLink(page, who, true);
    await page.goto(older);
    await expect(page.getByText(NO_LONGER_VALID)).toBeVisible();
    await expect(page.getByText("A newer link was sent, or the password was changed, after this one")).toBeVisible();
    await expect(page.getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/forgot-password");
    await expectNoAxeViolations(page);
    await page.goto("/reset/not-a-real-link");
    await expect(page.getByText(NO_LONGER_VALID)).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("security question by plain form posts, with the server's messages", async ({ page }, info) => {
    const who = person(info, "paul", "quinn");
    await openLink(page, who, false);
    await page.getByRole("button", { name: "Answer my security question" }).click();
    await expect(page).toHaveURL(/\?method=question$/);
    await expect(page.getByText(SECURITY_QUESTION)).toBeVisible();

    await page.getByLabel("Date of birth").fill(who.dob.slice(0, 4) + "/" + who.dob.slice(4, 6) + "/" + who.dob.slice(6));
    await page.getByLabel("Security answer").fill(SECURITY_ANSWER);
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.locator("#dob-message")).toHaveText(`Use digits only, like ${who.dob}.`);
    await expect(page.getByLabel("Date of birth")).toHaveValue(who.dob.slice(0, 4) + "/" + who.dob.slice(4, 6) + "/" + who.dob.slice(6));

    await page.getByLabel("Date of birth").fill(who.dob);
    await page.getByLabel("Security answer").fill("Whiskers");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByRole("alert")).toHaveText("The date of birth or security answer doesn't match our records. You have 4 tries left.");

    await page.getByLabel("Date of birth").fill(who.dob);
    await page.getByLabel("Security answer").fill(SECURITY_ANSWER);
    await page.getByRole("button", { name: "Continue" }).click();
    await saveNewPassword(page);
    await signInWithNewPassword(page, who);
  });

  test("mobile code by plain form posts", async ({ page }, info) => {
    const who = person(info, "rosa", "sam");
    await openLink(page, who, false);
    await page.getByRole("button", { name: "Send a security code to my mobile phone" }).click();
    await page.getByLabel("Mobile phone number").fill("(217) 555-0100");
    await page.getByRole("button", { name: "Send code" }).click();
    await expect(page.getByRole("alert")).toHaveText("That number doesn't match the mobile number on your account.");
    await expect(page.getByLabel("Mobile phone number")).toHaveValue("(217) 555-0100");

    await page.getByLabel("Mobile phone number").fill(who.mobile);
    await page.getByRole("button", { name: "Send code" }).click();
    await expect(page.getByText(new RegExp(`We sent a code by text to \\(•••\\) •••-${who.last4}`))).toBeVisible();
    await expect(page.getByRole("button", { name: /^Resend code in \d+s$/ })).toBeDisabled();
    const sent = await lastCode(page, e164(who), "sms");
    await page.getByLabel("Security Code").fill(sent.code === "00000" ? "11111" : "00000");
    await page.getByRole("button", { name: "Check" }).click();
    await expect(page.getByRole("alert")).toHaveText("That code isn't right. You have 4 tries left.");
    await page.getByLabel("Security Code").fill(sent.code);
    await page.getByRole("button", { name: "Check" }).click();
    await saveNewPassword(page);
    await signInWithNewPassword(page, who);
  });
});
