// SPEC §2.6: the "Español" / "English" link on every patient page keeps the
// page (and, with JavaScript, what was typed); Accept-Language picks the
// first visit's language; <html lang> follows. Desktop and mobile, with
// JavaScript on and off.
import { expect, Page, test, TestInfo } from "@playwright/test";
import { accessCodeOf, expectNoAxeViolations, hydrated, invitedChart, lastCode, lastMessage, register, resetLink, signIn } from "./helpers";

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

// Registration, "Forgot username?" and account settings in Spanish: a patient
// whose chart says Spanish, on a browser that asks for Spanish.

/** The newest email to `to` with `subject`, waiting for it to be written. */
async function emailTitled(page: Page, to: string, subject: string) {
  let body = "";
  await expect
    .poll(async () => {
      const all: { to: string; channel: string; subject: string; body: string }[] = await (await page.request.get("/dev/outbox")).json();
      body = all.filter((m) => m.to === to && m.channel === "email" && m.subject === subject).pop()?.body ?? "";
      return body !== "";
    })
    .toBe(true);
  return body;
}
for (const js of [true, false]) {
  test.describe(`registration and settings in Spanish, ${js ? "with" : "without"} JavaScript`, () => {
    test.use({ javaScriptEnabled: js, locale: "es-MX" });
    const n = (info: TestInfo, k: number) => String(140 + k * 4 + (info.project.name === "mobile" ? 2 : 0) + (js ? 1 : 0)).padStart(4, "0");

    test("an invited patient registers in Spanish, then gets the username back", async ({ page }, info) => {
      const email = `es-register-${info.project.name}-${js ? "js" : "nojs"}@example.com`;
      const invitation = invitedChart("Lucía", email, DOB, "es");
      expect(await emailTitled(page, email, "Cree su cuenta del portal del paciente")).toContain(invitation);

      await page.goto(invitation);
      if (js) await hydrated(page);
      await expect(page).toHaveTitle("Cree su cuenta · Portal del paciente");
      await expect(page.getByRole("heading", { name: "Cree su cuenta" })).toBeVisible();
      await expect(page.getByLabel("Nombre de usuario")).toHaveValue(email);
      if (js) await expectNoAxeViolations(page);
      await page.getByLabel("Fecha de nacimiento").fill("19790416");
      await page.getByLabel("Código de acceso").fill(accessCodeOf(invitation));
      await page.getByLabel("Contraseña", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirme la contraseña").fill(PASSWORD);
      await page.getByLabel("Pregunta de seguridad").selectOption({ label: "¿De qué marca era su primer carro?" });
      await page.getByLabel("Respuesta de seguridad").fill("Volvo");
      await page.getByLabel("Número de celular").fill(`217-555-${n(info, 2)}`);
      await page.getByRole("button", { name: "Crear cuenta" }).click();
      await expect(page.getByRole("alert")).toHaveText("La fecha de nacimiento o el código de acceso no coincide con nuestros registros.");

      await page.getByLabel("Fecha de nacimiento").fill(DOB);
      await page.getByLabel("Código de acceso").fill(accessCodeOf(invitation));
      await page.getByLabel("Contraseña", { exact: true }).fill(PASSWORD);
      await page.getByLabel("Confirme la contraseña").fill(PASSWORD);
      await page.getByLabel("Respuesta de seguridad").fill("Volvo");
      await page.getByLabel("Número de celular").fill(`217-555-${n(info, 2)}`);
      await page.getByRole("button", { name: "Crear cuenta" }).click();
      await expect(page.getByRole("heading", { name: "Bienvenido(a), Lucía" })).toBeVisible();
      await page.getByRole("button", { name: "Cerrar sesión" }).click();

      await page.goto("/forgot-username");
      if (js) await hydrated(page);
      await expect(page.getByRole("heading", { name: "¿Olvidó su nombre de usuario?" })).toBeVisible();
      if (js) await expectNoAxeViolations(page);
      await page.getByLabel("Correo electrónico").fill(email);
      await page.getByLabel("Fecha de nacimiento").fill(DOB);
      await page.getByRole("button", { name: "Enviar nombre de usuario" }).click();
      await expect(page.getByRole("status")).toContainText("Si ese correo electrónico y esa fecha de nacimiento coinciden con una cuenta");
      const body = await emailTitled(page, email, "Su nombre de usuario del portal del paciente");
      expect(body).toContain(`Nombre de usuario de Lucía: ${email}`);
    });

    test("account settings in Spanish: refusals, confirmations, two-step verification and passkeys", async ({ page, baseURL }, info) => {
      const email = `es-settings-${info.project.name}-${js ? "js" : "nojs"}@example.com`;
      await spanishPatient(page, baseURL!, email, `(217) 555-${n(info, 3)}`);
      await page.goto("/login");
      if (js) await hydrated(page);
      await signIn(page, email, PASSWORD, "es");
      await page.getByRole("link", { name: "Configuración de la cuenta" }).click();
      await expect(page).toHaveTitle("Configuración de la cuenta · Portal del paciente");
      if (js) await hydrated(page);
      await expect(page.getByRole("heading", { name: "Verificación en dos pasos" })).toBeVisible();
      await expect(page.getByRole("heading", { name: "Llaves de acceso" })).toBeVisible();
      if (!js) await expect(page.getByText("Para agregar una llave de acceso se necesita JavaScript")).toBeVisible();
      if (js) await expectNoAxeViolations(page);

      const mobile = () => page.getByRole("region", { name: "Cambiar el número de celular" });
      await mobile().getByLabel("Contraseña actual").fill("no-es-mi-contraseña");
      await mobile().getByLabel("Número de celular").fill(`(217) 555-${n(info, 4)}`);
      await mobile().getByRole("button", { name: "Guardar número de celular" }).click();
      await expect(mobile().getByRole("alert")).toHaveText("La contraseña actual que escribió no es correcta.");
      await mobile().getByLabel("Contraseña actual").fill(PASSWORD);
      await mobile().getByLabel("Número de celular").fill(`(217) 555-${n(info, 4)}`);
      await mobile().getByRole("button", { name: "Guardar número de celular" }).click();
      await expect(mobile().getByRole("status")).toHaveText("Se cambió su número de celular.");
      await emailTitled(page, email, "Se cambió el número de celular de su portal del paciente");

      const question = () => page.getByRole("region", { name: "Cambiar la pregunta de seguridad" });
      await question().getByLabel("Contraseña actual").fill(PASSWORD);
      await question().getByLabel("Pregunta de seguridad").selectOption({ label: "¿En qué ciudad se conocieron sus padres?" });
      await question().getByLabel("Respuesta de seguridad").fill("Peoria");
      await question().getByRole("button", { name: "Guardar pregunta de seguridad" }).click();
      await expect(question().getByRole("status")).toHaveText("Se cambió su pregunta de seguridad.");
      await expect(question().getByLabel("Pregunta de seguridad")).toHaveValue("In what city did your parents meet?");

      // Two-step verification by email, set up in Spanish.
      const twoStep = () => page.getByRole("region", { name: "Verificación en dos pasos" });
      await twoStep().getByRole("radio", { name: /^Correo electrónico/ }).check();
      await twoStep().getByRole("button", { name: "Enviar código" }).click();
      await expect(twoStep().getByRole("status")).toHaveText(
        "Le enviamos un código. Escríbalo junto con su contraseña actual y elija Activar.",
      );
      const sent = await emailTitled(page, email, "Su código de verificación del portal del paciente");
      const code = sent.match(/\b(\d{6})\b/)![1];
      await twoStep().getByLabel("Contraseña actual").fill(PASSWORD);
      await twoStep().getByLabel("Código de verificación").fill(code);
      await twoStep().getByRole("button", { name: "Activar" }).click();
      await expect(twoStep().getByRole("status")).toHaveText("La verificación en dos pasos está activada.");
      await expect(twoStep().getByRole("heading", { name: "Códigos de respaldo" })).toBeVisible();
      await expect(twoStep().getByText(/^Guarde estos 10 códigos en un lugar seguro/)).toBeVisible();
    });
  });
}
