// SPEC §2.6: the "Español" / "English" link on every patient page keeps the
// page (and, with JavaScript, what was typed); Accept-Language picks the
// first visit's language; <html lang> follows. Desktop and mobile, with
// JavaScript on and off.
import { expect, Page, test, TestInfo } from "@playwright/test";
import { expectNoAxeViolations, hydrated, invitedChart, lastCode, lastMessage, register, resetLink, signIn } from "./helpers";

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

// The reset wizard both ways in Spanish, for a patient whose chart says
// Spanish: the email, the text or call, every step's words and messages.
const NEW_PASSWORD = "Girasol-Ventana-Barco-73";
const PASSWORD = "Lantern-Harbor-Quill-62";
const DOB = "19790415";

/** A patient registered (in English: that page's test is its own) whose chart says Spanish; signed out, cookies cleared. */
async function spanishPatient(page: Page, baseURL: string, email: string, mobile: string) {
  await page.context().addCookies([{ name: "portal_lang", value: "en", url: baseURL }]);
  await register(page, invitedChart("Lucía", email, DOB, "es"), { first: "Lucía", dob: DOB, password: PASSWORD, mobile });
  await page.context().clearCookies();
}

/** "¿Olvidó su contraseña?" in Spanish, and the Spanish email's link opened. */
async function openSpanishLink(page: Page, email: string, js: boolean) {
  await page.goto("/forgot-password");
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  if (js) await hydrated(page);
  await page.getByLabel("Nombre de usuario").fill(email);
  await page.getByRole("button", { name: "Restablecer la contraseña" }).click();
  await expect(page.getByRole("heading", { name: "Revise su correo electrónico" })).toBeVisible();
  const m = await lastMessage(page, email);
  expect(m.subject).toBe("Restablezca la contraseña de su portal del paciente");
  await page.goto(await resetLink(page, email));
  if (js) await hydrated(page);
  await expect(page.getByRole("heading", { name: "Confirme su identidad" })).toBeVisible();
}

async function saveInSpanish(page: Page) {
  await expect(page.getByRole("heading", { name: "Elija una nueva contraseña" })).toBeVisible();
  await page.getByLabel("Nueva contraseña", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirme la nueva contraseña").fill(NEW_PASSWORD + "x");
  await page.getByRole("button", { name: "Guardar contraseña" }).click();
  await expect(page.getByRole("alert")).toHaveText("Las dos contraseñas no coinciden.");
  await page.getByLabel("Nueva contraseña", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirme la nueva contraseña").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Guardar contraseña" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("status")).toHaveText("Se restableció su contraseña. Inicie sesión con su nueva contraseña.");
}

for (const js of [true, false]) {
  test.describe(`in Spanish, ${js ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled: js, locale: "es-MX" });
    const n = (info: TestInfo, k: number) => String(140 + k * 4 + (info.project.name === "mobile" ? 2 : 0) + (js ? 1 : 0)).padStart(4, "0");

    test("the reset wizard by the security question", async ({ page, baseURL }, info) => {
      const email = `es-question-${info.project.name}-${js ? "js" : "nojs"}@example.com`;
      await spanishPatient(page, baseURL!, email, `(217) 555-${n(info, 0)}`);
      await openSpanishLink(page, email, js);
      if (js) await expectNoAxeViolations(page);
      await page.getByRole("button", { name: "Responder mi pregunta de seguridad" }).click();
      await expect(page.getByRole("group", { name: "¿Cómo se llamaba su primera mascota?" })).toBeVisible();
      await page.getByLabel("Fecha de nacimiento").fill(DOB);
      await page.getByLabel("Respuesta de seguridad").fill("Mittens");
      await page.getByRole("button", { name: "Continuar" }).click();
      await expect(page.getByRole("alert")).toHaveText(
        "La fecha de nacimiento o la respuesta de seguridad no coinciden con nuestros registros. Le quedan 4 intentos.",
      );
      if (js) {
        // The shared validator speaks Spanish in the browser too.
        await page.getByLabel("Fecha de nacimiento").fill("1979-04-15");
        await page.getByLabel("Fecha de nacimiento").blur();
        await expect(page.locator("#dob-message")).toHaveText(`Use solo números, por ejemplo ${DOB}.`);
        await page.getByLabel("Fecha de nacimiento").fill(DOB);
      }
      await page.getByLabel("Respuesta de seguridad").fill("rex");
      await page.getByRole("button", { name: "Continuar" }).click();
      if (js) await expectNoAxeViolations(page);
      await saveInSpanish(page);
      if (js) await hydrated(page);
      await signIn(page, email, NEW_PASSWORD, "es");
      await expect(page.getByRole("heading", { name: "Bienvenido(a), Lucía" })).toBeVisible();
    });

    test("the reset wizard by a code sent by text", async ({ page, baseURL }, info) => {
      const email = `es-code-${info.project.name}-${js ? "js" : "nojs"}@example.com`;
      const last4 = n(info, 1);
      await spanishPatient(page, baseURL!, email, `(217) 555-${last4}`);
      await openSpanishLink(page, email, js);
      await page.getByRole("button", { name: "Enviar un código de seguridad a mi celular" }).click();
      await page.getByLabel("Número de celular").fill(`(217) 555-${last4}`);
      await page.getByRole("radio", { name: "Mensaje de texto" }).check();
      await page.getByRole("button", { name: "Enviar código" }).click();
      await expect(page.getByRole("status")).toContainText(`Enviamos un código por mensaje de texto al (•••) •••-${last4} a las`);
      const sent = await lastCode(page, `+1217555${last4}`, "sms");
      expect(sent.body).toMatch(/^Su código de seguridad del portal del paciente es \d{5}\. Vale por 10 minutos\. No lo comparta\.$/);
      await expect(page.getByRole("button", { name: /^Reenviar el código en \d+ s$/ })).toBeDisabled();
      if (js) await expectNoAxeViolations(page);
      const wrong = sent.code === "00000" ? "11111" : "00000";
      await page.getByLabel("Código de seguridad").fill(wrong);
      await page.getByRole("button", { name: "Comprobar" }).click();
      await expect(page.getByRole("alert")).toHaveText("Ese código no es correcto. Le quedan 4 intentos.");
      await page.getByLabel("Código de seguridad").fill(sent.code);
      await page.getByRole("button", { name: "Comprobar" }).click();
      await saveInSpanish(page);
    });
  });
}
