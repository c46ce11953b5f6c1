// SPEC §2.5: a signed-in patient changes the password, the security
// question and the mobile number, with and without JavaScript.
import { expect, Page, test } from "@playwright/test";
import { expectNoAxeViolations, hydrated, invitedChart, lastMessage, register, signIn } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const NEW_PASSWORD = "Meadow-Copper-Violin-85";
const DOB = "19820611";

/** Registers a new invited patient through the form; lands signed in. */
async function newPatient(page: Page, name: string): Promise<string> {
  const email = `${name}@example.com`;
  await register(page, invitedChart("Zoe", email, DOB), { first: "Zoe", dob: DOB, password: PASSWORD, mobile: "(217) 555-0166" });
  return email;
}

for (const js of [true, false]) {
  test.describe(js ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("each setting changes with the current password and is confirmed by email", async ({ page }, info) => {
      const email = await newPatient(page, `zoe-${info.project.name}-${js ? "js" : "nojs"}`);
      await page.getByRole("link", { name: "Account settings" }).click();
      await expect(page.getByRole("heading", { name: "Account settings" })).toBeVisible();
      if (js) await hydrated(page);
      if (js) await expectNoAxeViolations(page); // axe needs JavaScript in the page

      const mobile = page.getByRole("region", { name: "Change mobile number" });
      await mobile.getByLabel("Current password").fill("not-my-password");
      await mobile.getByLabel("Mobile phone number").fill("(217) 555-0167");
      await mobile.getByRole("button", { name: "Save mobile number" }).click();
      await expect(page.getByRole("region", { name: "Change mobile number" }).getByRole("alert")).toHaveText(
        "The current password you entered is incorrect.",
      );
      await page.getByRole("region", { name: "Change mobile number" }).getByLabel("Current password").fill(PASSWORD);
      await page.getByRole("region", { name: "Change mobile number" }).getByLabel("Mobile phone number").fill("(217) 555-0167");
      await page.getByRole("region", { name: "Change mobile number" }).getByRole("button", { name: "Save mobile number" }).click();
      await expect(page.getByRole("region", { name: "Change mobile number" }).getByRole("status")).toHaveText("Your mobile number was changed.");
      expect((await lastMessage(page, email)).subject).toBe("Your patient portal mobile number was changed");
      if (js) await expectNoAxeViolations(page); // axe needs JavaScript in the page

      const question = () => page.getByRole("region", { name: "Change security question" });
      await question().getByLabel("Current password").fill(PASSWORD);
      await question().getByLabel("Security question").selectOption("In what city did your parents meet?");
      await question().getByLabel("Security answer").fill("Peoria");
      await question().getByRole("button", { name: "Save security question" }).click();
      await expect(question().getByRole("status")).toHaveText("Your security question was changed.");
      await expect(question().getByLabel("Security question")).toHaveValue("In what city did your parents meet?");
      expect((await lastMessage(page, email)).subject).toBe("Your patient portal security question was changed");

      const password = () => page.getByRole("region", { name: "Change password" });
      await password().getByLabel("Current password").fill(PASSWORD);
      await password().getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
      await password().getByLabel("Confirm new password").fill(NEW_PASSWORD);
      await password().getByRole("button", { name: "Change password" }).click();
      await expect(password().getByRole("status")).toContainText("Your password was changed.");
      expect((await lastMessage(page, email)).subject).toBe("Your patient portal password was changed");

      await page.goto("/");
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
      if (js) await hydrated(page);
      await signIn(page, email, NEW_PASSWORD);
      await expect(page.getByRole("heading", { name: "Welcome, Zoe" })).toBeVisible();
    });
  });
}

test("the settings page sends a visitor who is not signed in to the sign-in page", async ({ page }) => {
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login$/);
});
