import { execFileSync } from "node:child_process";
import { appendFileSync } from "node:fs";
import { createHmac } from "node:crypto";
import path from "node:path";
import { expect, Page, TestInfo } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

// Demo data made by `portal demo` (see the README).
export const PASSWORD = "Harbor-Lantern-73";
export const ALICE = "alice@example.com";
export const LOCKED = "bob@example.com";
export const REVOKED = "erin@example.com";
export const WRONG = "The username or password you entered is incorrect.";
export const LOCKED_MESSAGE =
  "Your account is temporarily locked. Try again in 15 minutes, or use Forgot password? to reset your password.";

/** An enrolled demo account that this project alone may lock. */
export function accountToLock(info: TestInfo): string {
  return info.project.name === "mobile" ? "grace@example.com" : "frank@example.com";
}

/** Waits until the wasm has taken over the server-rendered page. Compiling
 *  the wasm can take a while on a loaded CI machine, hence the longer wait.
 *  A page that never comes alive fails with a report of what the browser
 *  saw: its console, errors, the /pkg requests and how far hydration got. */
export async function hydrated(page: Page) {
  try {
    await expect(page.locator("#app[data-hydrated=true]")).toBeAttached({ timeout: 30_000 });
  } catch (error) {
    console.error(await hydrationReport(page));
    throw error;
  }
}

/** What a page that didn't hydrate shows from outside and inside. */
export async function hydrationReport(page: Page): Promise<string> {
  const inside = await page
    .evaluate(() => {
      const app = document.getElementById("app");
      const ms = (n: number) => `${Math.round(n)}ms`;
      return {
        url: location.href,
        readyState: document.readyState,
        islandScriptRan: typeof (window as { __hydrateIsland?: unknown }).__hydrateIsland,
        app: app ? Object.fromEntries([...app.attributes].map((a) => [a.name, a.value])) : null,
        islands: [...document.querySelectorAll("leptos-island")].map((i) => i.getAttribute("data-component")),
        resources: performance
          .getEntriesByType("resource")
          .map((r) => r as PerformanceResourceTiming)
          .map((r) => `${ms(r.startTime)} +${ms(r.duration)} ${r.responseStatus} ${r.initiatorType} ${r.name}`),
      };
    })
    .catch((e) => ({ evaluateFailed: String(e) }));
  const requests = await Promise.all(
    (await page.requests()).map(async (r) => {
      const response = await r.response().catch(() => null);
      return `${r.method()} ${r.url()} -> ${response?.status() ?? r.failure()?.errorText ?? "no response"}`;
    }),
  );
  const messages = (await page.consoleMessages({ filter: "all" })).map((m) => `${m.type()}: ${m.text()}`);
  const errors = (await page.pageErrors()).map((e) => e.stack ?? String(e));
  return JSON.stringify({ hydrationStalled: inside, requests, console: messages, errors }, null, 2);
}

/** The sign-in form's labels in each language (SPEC §2.6). */
const SIGN_IN_WORDS = {
  en: { username: "Username", password: "Password", button: "Sign in" },
  es: { username: "Nombre de usuario", password: "Contraseña", button: "Iniciar sesión" },
};

/** Fills and submits the sign-in form. With JavaScript on, waits for the
 *  server function's answer, so that consecutive attempts never overlap. */
export async function signIn(page: Page, username: string, password: string, lang: "en" | "es" = "en") {
  const words = SIGN_IN_WORDS[lang];
  await page.getByLabel(words.username).fill(username);
  await page.getByLabel(words.password, { exact: true }).fill(password);
  const button = page.getByRole("button", { name: words.button, exact: true });
  const live = await page.locator("#app[data-hydrated=true]").count();
  if (live) {
    await Promise.all([page.waitForResponse((r) => r.url().endsWith("/api/login")), button.click()]);
  } else {
    await button.click();
  }
}

/** Scans the page with axe once its stylesheet has loaded: a scan of the
 *  page a form post led to can otherwise run on the unstyled layout (seen:
 *  target-size failing on the staff list right after staff sign-in). */
export async function expectNoAxeViolations(page: Page) {
  await page.waitForLoadState("load");
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

/** Demo patients the reset tests may change (see `portal demo`). */
export type Person = { email: string; dob: string; mobile: string; last4: string };
const PEOPLE: Record<string, Person> = {
  henry: { email: "henry@example.com", dob: "19800808", mobile: "(217) 555-0108", last4: "0108" },
  ivy: { email: "ivy@example.com", dob: "19930321", mobile: "(217) 555-0109", last4: "0109" },
  jack: { email: "jack@example.com", dob: "19880606", mobile: "(217) 555-0110", last4: "0110" },
  kate: { email: "kate@example.com", dob: "19770419", mobile: "(217) 555-0111", last4: "0111" },
  liam: { email: "liam@example.com", dob: "20000229", mobile: "(217) 555-0112", last4: "0112" },
  maya: { email: "maya@example.com", dob: "19921010", mobile: "(217) 555-0113", last4: "0113" },
  noah: { email: "noah@example.com", dob: "19640825", mobile: "(217) 555-0114", last4: "0114" },
  olivia: { email: "olivia@example.com", dob: "19990131", mobile: "(217) 555-0115", last4: "0115" },
  paul: { email: "paul@example.com", dob: "19830914", mobile: "(217) 555-0116", last4: "0116" },
  quinn: { email: "quinn@example.com", dob: "19970703", mobile: "(217) 555-0117", last4: "0117" },
  rosa: { email: "rosa@example.com", dob: "19751222", mobile: "(217) 555-0118", last4: "0118" },
  sam: { email: "sam@example.com", dob: "19861105", mobile: "(217) 555-0119", last4: "0119" },
};

/** The demo patient a test owns on this project (desktop or mobile). */
export function person(info: TestInfo, onDesktop: string, onMobile: string): Person {
  return PEOPLE[info.project.name === "mobile" ? onMobile : onDesktop];
}

export const SECURITY_ANSWER = "Biscuit";
export const SECURITY_QUESTION = "What was the name of your first pet?";
export const MAIL_FROM = "portal@example.com";

type DevMessage = { id: number; channel: string; to: string; subject: string; body: string; created_at: string };

/** The newest message in the dev outbox to `to` on `channel`, waiting for it. */
export async function lastMessage(page: Page, to: string, channel = "email"): Promise<DevMessage> {
  let found: DevMessage | undefined;
  await expect
    .poll(async () => {
      const all: DevMessage[] = await (await page.request.get("/dev/outbox")).json();
      found = all.filter((m) => m.to === to && m.channel === channel).pop();
      return found !== undefined;
    })
    .toBe(true);
  return found!;
}

/** The newest reset link's path for `email`, e.g. `/reset/abc…`. */
export async function resetLink(page: Page, email: string): Promise<string> {
  const m = await lastMessage(page, email);
  const spanish = m.subject === "Restablezca la contraseña de su portal del paciente";
  if (!spanish) expect(m.subject).toBe("Reset your patient portal password");
  const label = spanish ? "Restablecer la contraseña: " : "Reset password: ";
  const url = m.body.split("\n").find((l) => l.startsWith(label))!.slice(label.length);
  return new URL(url).pathname;
}

/** The digits of the newest code sent to `mobileE164` on `channel`. */
export async function lastCode(page: Page, mobileE164: string, channel: "sms" | "voice", notId?: number) {
  let m: DevMessage | undefined;
  await expect
    .poll(async () => {
      m = await lastMessage(page, mobileE164, channel);
      return m.id !== notId;
    })
    .toBe(true);
  // "…code is 12345." / "…código … es 12345."; a call reads the digits one by one after "is: " / "es: ".
  const digits = channel === "sms" ? m!.body.match(/(?:code is|es) (\d+)/)![1] : m!.body.split(/(?:is|es): /)[1].split(".")[0].replace(/\D/g, "");
  return { id: m!.id, code: digits, body: m!.body };
}

export function e164(p: Person): string {
  return "+1217555" + p.last4;
}

/** Runs the `portal` CLI against the database the test server uses. */
export function portal(args: string[], input?: string): string {
  const env = { ...process.env, DATABASE_URL: `sqlite://${path.resolve(".data/portal.db")}`, RUST_LOG: "warn" };
  return execFileSync(path.resolve("../target/release/portal"), args, { env, input }).toString();
}

/** The code an authenticator app shows for `secret` (base32, spaces allowed):
 *  RFC 6238 TOTP, HMAC-SHA-1, 6 digits, 30-second steps. */
export function totp(secret: string, at: number = Date.now()): string {
  noteSecret("authenticator key", secret.replace(/\s/g, ""));
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of secret.replace(/[\s=]/g, "").toUpperCase()) {
    bits += alphabet.indexOf(c).toString(2).padStart(5, "0");
  }
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  const n = ((mac[offset] & 0x7f) << 24) | (mac[offset + 1] << 16) | (mac[offset + 2] << 8) | mac[offset + 3];
  return String(n % 1_000_000).padStart(6, "0");
}

/** Notes a secret the suite read off a page or the CLI (an access code, an
 *  authenticator key, a backup code) for check-logs.mjs, which makes sure
 *  the server's log never holds one. */
export function noteSecret(kind: string, value: string) {
  appendFileSync(path.resolve(".data/seen-secrets.jsonl"), JSON.stringify({ kind, value }) + "\n");
}

/** The access codes of the invitations this worker made, by registration path. */
const accessCodes = new Map<string, string>();
function keepCode(pathOrUrl: string, code: string) {
  noteSecret("access code", code);
  accessCodes.set(new URL(pathOrUrl, "http://x").pathname, code);
}

/** A new chart invited through the CLI; returns its registration page's path.
 *  Its access code (what the practice reads out) is `accessCodeOf(path)`. */
export function invitedChart(first: string, email: string, dob: string, language: "en" | "es" = "en"): string {
  const id = portal(["patient", "add", "--first", first, "--last", "Tester", "--dob", dob, "--email", email, "--language", language]).trim();
  const path = new URL(portal(["invite", "--patient", id]).trim()).pathname;
  keepCode(path, portal(["access-code", "--patient", id]).trim());
  return path;
}

/** Keeps the access code of chart `patientId`'s newest invitation, sent at `pathOrUrl` (by staff, say). */
export function keepAccessCode(pathOrUrl: string, patientId: string) {
  keepCode(pathOrUrl, portal(["access-code", "--patient", patientId]).trim());
}

/** The access code of an invitation `invitedChart` or `invitedFamily` made. */
export function accessCodeOf(pathOrUrl: string): string {
  const code = accessCodes.get(new URL(pathOrUrl, "http://x").pathname);
  if (!code) throw new Error(`no access code kept for ${pathOrUrl}`);
  return code;
}

/** A family member or caregiver invited to chart `patientId` through `portal grant`;
 *  returns the registration page's path (its code: `accessCodeOf`). */
export function invitedFamily(patientId: string, email: string, name: string, relationship: string): string {
  const path = new URL(portal(["grant", "--patient", patientId, "--email", email, "--name", name, "--relationship", relationship]).trim()).pathname;
  keepCode(path, portal(["access-code", "--patient", patientId, "--email", email]).trim());
  return path;
}

/** Fills and sends the registration form at `path` (an invitation's page),
 *  as a new patient does; lands on the welcome page, signed in. */
export async function register(page: Page, path: string, p: { first: string; dob: string; password: string; mobile: string }) {
  await page.goto(path);
  await page.getByLabel("Date of birth").fill(p.dob);
  await page.getByLabel("Access code").fill(accessCodeOf(path));
  await page.getByLabel("Password", { exact: true }).fill(p.password);
  await page.getByLabel("Confirm password").fill(p.password);
  await page.getByLabel("Security answer").fill("Rex");
  await page.getByLabel("Mobile phone number").fill(p.mobile);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: `Welcome, ${p.first}` })).toBeVisible();
}

/** A platform authenticator with user verification, as a phone's screen lock is. */
export async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}
