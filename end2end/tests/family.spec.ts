// SPEC §2.4 and §2.7: one account, several charts. Alice (demo) sees her
// son Ben and her daughter Tess; a caregiver registers from `portal grant`
// with the patient's date of birth and the access code; someone who already
// has an account links the new chart to it. With and without JavaScript,
// desktop and mobile, with axe.
import { expect, test } from "@playwright/test";
import { accessCodeOf, expectNoAxeViolations, hydrated, invitedChart, invitedFamily, portal, register, signIn } from "./helpers";

const PASSWORD = "Lantern-Harbor-Quill-62";
const PATIENT_DOB = "19400210";

for (const js of [true, false]) {
  test.describe(`families and caregivers, ${js ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled: js });
    const tag = (project: string) => `${project}-${js ? "js" : "nojs"}`;

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
      const t = tag(info.project.name);
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
      const t = tag(info.project.name);
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
  });
}
