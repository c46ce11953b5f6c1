// SPEC §2.1 and §2.5: passkeys, in Chromium's virtual authenticator (CDP
// WebAuthn domain). Passkeys need a domain name, so these pages are opened
// at localhost (the server's PORTAL_PUBLIC_URL is 127.0.0.1, which the
// portal maps to localhost for passkeys).
import { expect, Page, test } from "@playwright/test";
import { expectNoAxeViolations, hydrated, invitedChart, register, virtualAuthenticator } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const DOB = "19820611";
const port = process.env.E2E_PORT ?? "3100";
const HOST = `http://localhost:${port}`;

async function newPatient(page: Page, email: string) {
  await register(page, HOST + invitedChart("Zoe", email, DOB), { first: "Zoe", dob: DOB, password: PASSWORD, mobile: "(217) 555-0160" });
}

async function signOut(page: Page) {
  await page.goto(HOST + "/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await hydrated(page);
}

test("add a passkey, sign in with it without a username, remove it", async ({ page }, info) => {
  await virtualAuthenticator(page);
  await newPatient(page, `pk-${info.project.name}@example.com`);
  await page.goto(HOST + "/settings");
  await hydrated(page);
  const section = page.getByRole("region", { name: "Passkeys" });
  await expect(section.getByText("Adding a passkey needs JavaScript")).toBeHidden();
  await section.getByLabel("Passkey name").fill("My phone");
  await section.getByLabel("Current password").fill(PASSWORD);
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("status")).toHaveText("Passkey added. You can now sign in with it.");
  const item = page.getByRole("region", { name: "Passkeys" }).getByRole("listitem").filter({ hasText: "My phone" });
  await expect(item).toContainText("not used yet");
  await expectNoAxeViolations(page);

  // Offered in the "Username" field's autofill (conditional mediation): the
  // virtual authenticator picks it at once, as a patient picking it would.
  await page.goto(HOST + "/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();

  // A browser without that autofill: the button, with no username typed.
  await page.addInitScript(() => {
    PublicKeyCredential.isConditionalMediationAvailable = async () => false;
  });
  await signOut(page);
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();

  await page.goto(HOST + "/settings");
  const used = page.getByRole("region", { name: "Passkeys" }).getByRole("listitem").filter({ hasText: "My phone" });
  await expect(used).toContainText("last used");
  await used.getByRole("button", { name: "Remove" }).click();
  await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("status")).toHaveText(
    "The passkey was removed. It no longer signs you in.",
  );
  await expect(page.getByRole("region", { name: "Passkeys" }).getByRole("listitem")).toHaveCount(0);

  // The authenticator still holds it; the portal no longer takes it.
  await signOut(page);
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    "That passkey isn't set up for this portal. Sign in with your password, then add a passkey in Account settings.",
  );
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the passkey button says it needs JavaScript and the password still signs in", async ({ page }, info) => {
    await newPatient(page, `pk-nojs-${info.project.name}@example.com`);
    await page.goto(HOST + "/settings");
    await expect(page.getByRole("region", { name: "Passkeys" }).getByText("Adding a passkey needs JavaScript")).toBeVisible();
    await page.goto(HOST + "/");
    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("button", { name: "Sign in with a passkey" })).toBeVisible();
    await expect(page.getByText("Signing in with a passkey needs JavaScript")).toBeVisible();
    await page.getByLabel("Username").fill(`pk-nojs-${info.project.name}@example.com`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();
  });
});
