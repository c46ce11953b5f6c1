// SPEC §2.4 and §2.7: one account, several charts. Alice (demo) sees her
// son Ben and her daughter Tess; a caregiver registers from `portal grant`
// with the patient's date of birth and the access code; someone who already
// has an account links the new chart to it. With and without JavaScript,
// desktop and mobile, with axe.
import { expect, test, TestInfo } from "@playwright/test";
import { accessCodeOf, expectNoAxeViolations, hydrated, invitedChart, invitedFamily, lastCode, lastMessage, portal, register, signIn } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const PATIENT_DOB = "19400210";

for (const js of [true, false]) {
  test.describe(`families and caregivers, ${js ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled: js });
    // Names and addresses of this project, JavaScript setting and attempt of its own: a retry registers anew.
    const tag = (info: TestInfo) => `${info.project.name}-${js ? "js" : "nojs"}${info.retry ? `-r${info.retry}` : ""}`;

    test("an account with several charts lists them, and a chart it can't see is not found", async ({ page }) => {
      await page.goto("/login");
      if (js) await hydrated(page);
      await signIn(page, "alice@example.com", "Harbor-Lantern-73");
      await expect(page.getByRole("heading", { name: "Welcome, Alice" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Records you can see" })).toBeVisible();
      await expect(page.getByRole("listitem").filter({ hasText: "Ben Nguyen" })).toContainText("your child");
      if (js) await expectNoAxeViolations(page);
      await page.getByRole("link", { name: "Ben Nguyen" }).click();
      await expect(page.getByRole("heading", { name: "Ben Nguyen's records" })).toBeVisible();
      await expect(page.getByText("Parent or guardian")).toBeVisible();
      if (js) await expectNoAxeViolations(page);
      const missing = await page.goto("/charts/99999999");
      expect(missing!.status()).toBe(404);
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
    });

    test("a caregiver registers with the patient's date of birth and the access code", async ({ page }, info) => {
      const t = tag(info);
      const chart = portal(["patient", "add", "--first", "Walt", "--last", `Care${t.replace(/-/g, "")}`, "--dob", PATIENT_DOB, "--email", `walt-${t}@example.com`]).trim();
      const email = `carer-${t}@example.com`;
      const path = invitedFamily(chart, email, "Cora Reyes", "caregiver");
      await page.goto(path);
      if (js) await hydrated(page);
      await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
      await expect(page.getByText("Welcome, Cora Reyes.")).toBeVisible();
      if (js) await expectNoAxeViolations(page);
      await page.getByLabel("Date of birth", { exact: true }).fill(PATIENT_DOB);
      await page.getByLabel("Access code").fill(accessCodeOf(path).toLowerCase());
      await page.getByLabel("Your date of birth").fill("19720303");
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirm password").fill(PASSWORD);
      await page.getByLabel("Security answer").fill("Rex");
      await page.getByLabel("Mobile phone number").fill("(217) 555-0171");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("heading", { name: "Welcome, Cora" })).toBeVisible();
      await page.goto(`/charts/${chart}`);
      await expect(page.getByRole("heading", { name: /^Walt Care.*'s records$/ })).toBeVisible();
      await expect(page.getByText("Caregiver")).toBeVisible();
    });

    test("someone who already has an account links the new chart to it", async ({ page }, info) => {
      const t = tag(info);
      const email = `linker-${t}@example.com`;
      await register(page, invitedChart("Lena", email, "19800404"), { first: "Lena", dob: "19800404", password: PASSWORD, mobile: "(217) 555-0172" });
      await page.getByRole("button", { name: "Sign out" }).click();
      const kid = portal(["patient", "add", "--first", "Milo", "--last", `Kid${t.replace(/-/g, "")}`, "--dob", "20180606", "--email", `milo-${t}@example.com`]).trim();
      const path = invitedFamily(kid, email, "Lena Tester", "parent");
      await page.goto(path);
      await page.getByRole("link", { name: "Already have an account?" }).click();
      await expect(page.getByRole("heading", { name: "Link to your account" })).toBeVisible();
      if (js) await hydrated(page);
      if (js) await expectNoAxeViolations(page);
      await page.getByLabel("Date of birth").fill("20180606");
      await page.getByLabel("Access code").fill(accessCodeOf(path));
      await page.getByLabel("Username").fill(email);
      await page.getByLabel("Password").fill("not-the-password");
      await page.getByRole("button", { name: "Link to my account" }).click();
      await expect(page.getByRole("alert")).toContainText("username or password");
      await page.getByLabel("Password").fill(PASSWORD);
      if (!js) {
        await page.getByLabel("Date of birth").fill("20180606");
        await page.getByLabel("Access code").fill(accessCodeOf(path));
      }
      await page.getByRole("button", { name: "Link to my account" }).click();
      await expect(page.getByRole("heading", { name: "Records you can see" })).toBeVisible();
      await expect(page.getByRole("listitem").filter({ hasText: "Milo" })).toContainText("your child");
    });

    test("an adult patient invites a caregiver from settings, reads the code once, and removes them", async ({ page, browser }, info) => {
      const t = tag(info);
      const email = `sharer-${t}@example.com`;
      const carer = `helper-${t}@example.com`;
      await register(page, invitedChart("Gwen", email, "19600707"), { first: "Gwen", dob: "19600707", password: PASSWORD, mobile: "(217) 555-0173" });
      await page.getByRole("link", { name: "Account settings" }).click();
      const family = page.getByRole("region", { name: "Family and caregivers" });
      await expect(family.getByText("Nobody else can see your records.")).toBeVisible();
      if (js) await hydrated(page);
      if (js) await expectNoAxeViolations(page);
      await expect(family.getByLabel("Relationship").locator("option", { hasText: "Parent or guardian" })).toHaveCount(0);
      await family.getByLabel("Name").fill("Hal Helper");
      await family.getByLabel("Email").fill(carer);
      await family.getByLabel("Relationship").selectOption({ label: "Caregiver" });
      await family.getByLabel("Current password").fill("not-my-password");
      await family.getByRole("button", { name: "Invite" }).click();
      await expect(family.getByRole("alert")).toHaveText("The current password you entered is incorrect.");
      await family.getByLabel("Name").fill("Hal Helper");
      await family.getByLabel("Email").fill(carer);
      await family.getByLabel("Relationship").selectOption({ label: "Caregiver" });
      await family.getByLabel("Current password").fill(PASSWORD);
      await family.getByRole("button", { name: "Invite" }).click();
      await expect(family.getByRole("status")).toContainText("Give this access code to Hal Helper:");
      const code = ((await family.locator(".access-code").textContent()) ?? "").trim();
      expect(code).toMatch(/^[A-Z2-9]{6}$/);
      await expect(family.getByRole("listitem").filter({ hasText: "Hal Helper" })).toContainText("Caregiver · Invited");
      if (js) await expectNoAxeViolations(page);
      await page.reload();
      await expect(page.getByRole("region", { name: "Family and caregivers" }).locator(".access-code")).toHaveCount(0);

      // Hal registers with Gwen's date of birth and the code she gave him.
      const invitation = await lastMessage(page, carer);
      expect(invitation.body).not.toContain(code);
      const link = new URL(invitation.body.split("\n").find((l) => l.startsWith("Create your account: "))!.slice("Create your account: ".length)).pathname;
      const hal = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
      await hal.goto(link);
      await hal.getByLabel("Date of birth", { exact: true }).fill("19600707");
      await hal.getByLabel("Access code").fill(code);
      await hal.getByLabel("Your date of birth").fill("19650505");
      await hal.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await hal.getByLabel("Confirm password").fill(PASSWORD);
      await hal.getByLabel("Security answer").fill("Rex");
      await hal.getByLabel("Mobile phone number").fill("(217) 555-0174");
      await hal.getByRole("button", { name: "Create account" }).click();
      await expect(hal.getByRole("heading", { name: "Welcome, Hal" })).toBeVisible();

      // Gwen sees him active and removes him: his page loses her records at once.
      await page.reload();
      const row = page.getByRole("region", { name: "Family and caregivers" }).getByRole("listitem").filter({ hasText: "Hal Helper" });
      await expect(row).toContainText("Caregiver · Active");
      await row.getByRole("button", { name: "Remove" }).click();
      await expect(page.getByRole("region", { name: "Family and caregivers" }).getByRole("status")).toHaveText("Access removed. They were told by email.");
      // His account is still his: he stays signed in, and his page says no records are shared.
      await hal.goto("/");
      await expect(hal.getByRole("heading", { name: "Welcome, Hal" })).toBeVisible();
      await expect(hal.getByText("No records are shared with you right now.")).toBeVisible();
      await expect(hal.getByText("Gwen")).toHaveCount(0);
      if (js) await expectNoAxeViolations(hal);
      await hal.context().close();
    });

    test("\"Text me a code\" sends a code to the chart's mobile that stands in for the access code", async ({ page }, info) => {
      const t = tag(info);
      // A number of this run's own: each project and JavaScript setting in a thousand of its own.
      const slot = ["desktop-js", "desktop-nojs", "mobile-js", "mobile-nojs"].indexOf(t) + 2; // 1 on a retry
      const last4 = String(slot * 1000 + (Date.now() % 1000));
      const mobile = `(217) 555-${last4}`;
      const chart = portal(["patient", "add", "--first", "Tia", "--last", `Text${t.replace(/-/g, "")}`, "--dob", "19700808", "--email", `tia-${t}@example.com`, "--phone", mobile]).trim();
      const path = new URL(portal(["invite", "--patient", chart]).trim()).pathname;
      await page.goto(path);
      if (js) await hydrated(page);
      await expect(page.getByText(`We can text a 5-digit code to (•••) •••-${last4} instead`)).toBeVisible();
      await page.getByLabel("Date of birth", { exact: true }).fill("19700808");
      await page.getByRole("button", { name: "Text me a code" }).click();
      await expect(page.getByRole("status").filter({ hasText: `We texted a code to (•••) •••-${last4}` })).toBeVisible();
      if (js) {
        await expect(page.getByRole("button", { name: /Resend code in \d+s/ })).toBeDisabled();
        await expectNoAxeViolations(page);
      }
      const { code } = await lastCode(page, `+1217555${last4}`, "sms");
      if (!js) await page.getByLabel("Date of birth", { exact: true }).fill("19700808");
      await page.getByLabel("Access code").fill(code);
      await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirm password").fill(PASSWORD);
      await page.getByLabel("Security answer").fill("Rex");
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("heading", { name: "Welcome, Tia" })).toBeVisible();
    });
  });
}
