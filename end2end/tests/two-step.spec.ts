// SPEC §2.1 and §2.5: two-step verification by text, email and an
// authenticator app; backup codes; "Remember this device for 30 days";
// turning it off. With and without JavaScript, on desktop and mobile.
import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectNoAxeViolations, hydrated, invitedChart, lastCode, lastMessage, noteSecret, register, signIn, totp } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const DOB = "19820611";

/** A number of its own for each test run (project × JavaScript × test × retry), so codes never mix. */
function mobileFor(info: TestInfo, js: boolean, n: number): { typed: string; e164: string; last4: string } {
  const last4 = String(170 + info.retry * 1000 + n * 4 + (info.project.name === "mobile" ? 2 : 0) + (js ? 1 : 0)).padStart(4, "0");
  return { typed: `(217) 555-${last4}`, e164: `+1217555${last4}`, last4 };
}

/** Registers a new invited patient; lands signed in. */
async function newPatient(page: Page, email: string, mobile: string) {
  await register(page, invitedChart("Zoe", email, DOB), { first: "Zoe", dob: DOB, password: PASSWORD, mobile });
}

const section = (page: Page) => page.getByRole("region", { name: "Two-step verification" });

async function openSettings(page: Page, js: boolean) {
  await page.goto("/settings");
  await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
  if (js) await hydrated(page);
}

async function signOut(page: Page) {
  await page.goto("/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
}

async function signInTo(page: Page, js: boolean, email: string) {
  if (js) await hydrated(page);
  await signIn(page, email, PASSWORD);
}

/** Reads the backup codes the section shows once. */
async function backupCodes(page: Page): Promise<string[]> {
  await expect(section(page).getByRole("heading", { name: "Backup codes" })).toBeVisible();
  const codes = await section(page).getByRole("list").getByRole("listitem").allTextContents();
  expect(codes).toHaveLength(10);
  for (const c of codes) noteSecret("backup code", c.trim());
  return codes;
}

for (const js of [true, false]) {
  test.describe(js ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("codes by text: turn on, a wrong and a right code, and a remembered device", async ({ page }, info) => {
      const phone = mobileFor(info, js, 0);
      const email = `tsv-text-${info.project.name}-${js ? "js" : "nojs"}-r${info.retry}@example.com`;
      await newPatient(page, email, phone.typed);
      await openSettings(page, js);
      await expect(section(page)).toContainText("Off.");
      await section(page).getByRole("radio", { name: /^Text/ }).check();
      await section(page).getByRole("button", { name: "Send code" }).click();
      await expect(section(page).getByRole("status")).toContainText("We sent you a code.");
      const setup = await lastCode(page, phone.e164, "sms");
      expect(setup.code).toHaveLength(6);
      await section(page).getByLabel("Current password").fill(PASSWORD);
      await section(page).getByLabel("Verification code").fill(setup.code);
      await section(page).getByRole("button", { name: "Turn on" }).click();
      await backupCodes(page);
      await expect(section(page).getByRole("status").first()).toHaveText("Two-step verification is on.");
      expect((await lastMessage(page, email)).subject).toBe("Your patient portal two-step verification setting was changed");
      if (js) await expectNoAxeViolations(page);

      await signOut(page);
      await signInTo(page, js, email);
      await expect(page.getByRole("heading", { name: "Enter your verification code" })).toBeVisible();
      await expect(page.getByRole("status")).toContainText(`by text message to (•••) •••-${phone.last4}`);
      await expect(page.getByRole("button", { name: /^Resend code/ })).toBeVisible();
      if (js) await hydrated(page);
      if (js) await expectNoAxeViolations(page);
      const sent = await lastCode(page, phone.e164, "sms", setup.id);
      const wrong = String((Number(sent.code) + 1) % 1_000_000).padStart(6, "0");
      await page.getByLabel("Verification code").fill(wrong);
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("alert")).toHaveText("That code isn't right. You have 4 tries left.");
      await page.getByLabel("Verification code").fill(sent.code);
      await page.getByLabel("Remember this device for 30 days").check();
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();

      // This device is remembered: the password alone signs in.
      await signOut(page);
      await signInTo(page, js, email);
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();
    });

    test("an authenticator app, a backup code, and turning it off", async ({ page }, info) => {
      const phone = mobileFor(info, js, 1);
      const email = `tsv-app-${info.project.name}-${js ? "js" : "nojs"}-r${info.retry}@example.com`;
      await newPatient(page, email, phone.typed);
      await openSettings(page, js);
      await section(page).getByRole("radio", { name: "Authenticator app" }).check();
      await expect(section(page).getByRole("img", { name: "QR code of your authenticator key" })).toBeVisible();
      const secret = (await section(page).locator("#totp-secret").textContent())!;
      await section(page).getByLabel("Current password").fill(PASSWORD);
      await section(page).getByLabel("Verification code").fill(totp(secret));
      await section(page).getByRole("button", { name: "Turn on" }).click();
      const codes = await backupCodes(page);

      await signOut(page);
      await signInTo(page, js, email);
      await expect(page.getByRole("status")).toContainText("your authenticator app shows now");
      await expect(page.getByRole("button", { name: /^Resend code/ })).toHaveCount(0);
      if (js) await hydrated(page);
      await page.getByLabel("Verification code").fill(codes[0]);
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();

      await signOut(page);
      await signInTo(page, js, email);
      await expect(page.getByRole("heading", { name: "Enter your verification code" })).toBeVisible();
      if (js) await hydrated(page);
      await page.getByLabel("Verification code").fill(codes[0]);
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("alert")).toHaveText("That code isn't right. You have 4 tries left.");
      // The next time step's code: the current one was used to turn it on.
      await page.getByLabel("Verification code").fill(totp(secret, Date.now() + 30_000));
      await page.getByRole("button", { name: "Verify" }).click();
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();

      await openSettings(page, js);
      await expect(section(page)).toContainText("On: after your password, you enter a code from your authenticator app.");
      await section(page).getByLabel("Current password").fill(PASSWORD);
      await section(page).getByRole("button", { name: "Turn off" }).click();
      await expect(section(page).getByRole("status")).toHaveText("Two-step verification is off.");
      await signOut(page);
      await signInTo(page, js, email);
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();
    });
  });
}

test("codes by email", async ({ page }, info) => {
  const phone = mobileFor(info, true, 2);
  const email = `tsv-email-${info.project.name}-r${info.retry}@example.com`;
  await newPatient(page, email, phone.typed);
  await openSettings(page, true);
  await section(page).getByRole("radio", { name: /^Email/ }).check();
  await section(page).getByRole("button", { name: "Send code" }).click();
  await expect(section(page).getByRole("status")).toContainText("We sent you a code.");
  const setup = await lastMessage(page, email);
  expect(setup.subject).toBe("Your patient portal verification code");
  await section(page).getByLabel("Current password").fill(PASSWORD);
  await section(page).getByLabel("Verification code").fill(setup.body.match(/code is (\d{6})/)![1]);
  await section(page).getByRole("button", { name: "Turn on" }).click();
  await backupCodes(page);

  await signOut(page);
  await signInTo(page, true, email);
  await expect(page.getByRole("status")).toContainText("by email to t•••@example.com");
  let sent = setup;
  await expect
    .poll(async () => {
      sent = await lastMessage(page, email);
      return sent.subject === setup.subject && sent.id !== setup.id;
    })
    .toBe(true);
  await page.getByLabel("Verification code").fill(sent.body.match(/code is (\d{6})/)![1]);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();
});

test("the second step sends a visitor without a right password to the sign-in page", async ({ page }) => {
  await page.goto("/login/verify");
  await expect(page).toHaveURL(/\/login$/);
});
