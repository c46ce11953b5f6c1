// SPEC §2.6: the "Español" / "English" link on every patient page keeps the
// page (and, with JavaScript, what was typed); Accept-Language picks the
// first visit's language; <html lang> follows. Desktop and mobile, with
// JavaScript on and off.
import { expect, test } from "@playwright/test";
import { expectNoAxeViolations, hydrated, signIn } from "./helpers";

for (const js of [true, false]) {
  test.describe(js ? "with JavaScript" : "without JavaScript", () => {
    test.use({ javaScriptEnabled: js });

    test("the language link switches the sign-in page to Spanish and back", async ({ page }) => {
      await page.goto("/login");
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      if (js) await hydrated(page);
      await page.getByLabel("Username").fill("nadie@example.com");
      await page.getByRole("link", { name: "Español" }).click();

      await expect(page).toHaveURL(/\/login$/);
      await expect(page.locator("html")).toHaveAttribute("lang", "es");
      await expect(page.getByRole("heading", { name: "Iniciar sesión" })).toBeVisible();
      await expect(page).toHaveTitle("Iniciar sesión · Portal del paciente");
      if (js) {
        // What was typed came along; passwords never do.
        await expect(page.getByLabel("Nombre de usuario")).toHaveValue("nadie@example.com");
        await hydrated(page);
      }
      await signIn(page, "nadie@example.com", "Wrong-Password-123", "es");
      await expect(page.getByRole("alert")).toHaveText("El nombre de usuario o la contraseña que escribió no son correctos.");
      // axe runs as JavaScript: the scan is the JavaScript variant's.
      if (js) await expectNoAxeViolations(page);

      await page.getByRole("link", { name: "English" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
    });
  });
}

test.describe("a browser that asks for Spanish", () => {
  test.use({ locale: "es-MX" });

  test("gets Spanish on its first visit, and staff pages stay English", async ({ page }) => {
    await page.goto("/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "es");
    await expect(page.getByRole("link", { name: "¿Olvidó su contraseña?" })).toBeVisible();
    await page.goto("/staff/login");
    await expect(page.locator("html")).toHaveAttribute("lang", "en");
    await expect(page.getByRole("link", { name: "English" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Español" })).toHaveCount(0);
  });
});
