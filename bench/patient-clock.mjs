// The patient's clock (issue 19): the whole "Forgot password? → back in"
// path in Debian's Chromium on a phone (390×844, touch) over slow 4G (150 ms
// RTT, 1.6 Mbps down, 750 kbps up) with a 4× slower CPU, acting as soon as
// each control is visible; the email's travel is taken out (the link is read
// from the dev outbox between steps, off the clock). Prints, per step and in
// all, the seconds the patient waits on the product, with JavaScript on and
// off (median of BENCH_PATHS runs each, default 3; each run resets another
// demo patient's password). Run by bench/run.sh against its server:
// node bench/patient-clock.mjs URL
import { launch, slow4g } from "./slow-phone.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3200";
const runs = Number(process.env.BENCH_PATHS ?? 3);
const cpu = Number(process.env.BENCH_CPU_SLOWDOWN ?? 4);
// Demo patients (server/src/demo.rs): all enrolled, answer "Biscuit".
const PATIENTS = [
  ["grace@example.com", "19950517"], ["henry@example.com", "19800808"], ["ivy@example.com", "19930321"],
  ["jack@example.com", "19880606"], ["kate@example.com", "19770419"], ["liam@example.com", "20000229"],
  ["maya@example.com", "19921010"], ["noah@example.com", "19640825"], ["olivia@example.com", "19990131"],
];
const NEW_PASSWORD = "Lantern-Quarry-Violet-62";
const STEPS = [
  "open /forgot-password",
  "Reset Password → confirmation",
  "open the emailed link",
  "Answer my security question → its form",
  "Continue → Choose a new password",
  "Save password → sign-in page",
  "Sign in → welcome page",
];

const browser = await launch();

async function resetLink(email) {
  for (let i = 0; i < 100; i++) {
    const all = await (await fetch(`${base}/dev/outbox`)).json();
    const mine = all.filter((m) => m.to === email && m.body.includes("Reset password: "));
    // The email's link names PORTAL_PUBLIC_URL; the path is what matters here.
    if (mine.length) return base + new URL(mine[mine.length - 1].body.split("\n").find((l) => l.startsWith("Reset password: ")).slice(16)).pathname;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no reset email for ${email}`);
}

async function path(javaScriptEnabled, [email, dob]) {
  const context = await browser.newContext({
    javaScriptEnabled,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    deviceScaleFactor: 3,
  });
  const page = await context.newPage();
  await slow4g(context, page, cpu);
  const took = [];
  const timed = async (act, until) => {
    const t = performance.now();
    await act();
    await until.waitFor({ state: "visible", timeout: 120_000 });
    took.push((performance.now() - t) / 1000);
  };
  await timed(() => page.goto(`${base}/forgot-password`, { waitUntil: "commit" }), page.getByLabel("Username"));
  await page.getByLabel("Username").fill(email);
  await timed(() => page.getByRole("button", { name: "Reset Password" }).click(), page.getByRole("heading", { name: "Check your email" }));
  const link = await resetLink(email);
  await timed(() => page.goto(link, { waitUntil: "commit" }), page.getByRole("button", { name: "Answer my security question" }));
  await timed(() => page.getByRole("button", { name: "Answer my security question" }).click(), page.getByLabel("Security answer"));
  await page.getByLabel("Date of birth").fill(dob);
  await page.getByLabel("Security answer").fill("Biscuit");
  await timed(() => page.getByRole("button", { name: "Continue" }).click(), page.getByRole("heading", { name: "Choose a new password" }));
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("Confirm new password").fill(NEW_PASSWORD);
  await timed(() => page.getByRole("button", { name: "Save password" }).click(), page.getByRole("heading", { name: "Sign in" }));
  await page.getByLabel("Username").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await timed(() => page.getByRole("button", { name: "Sign in", exact: true }).click(), page.getByRole("heading", { name: /^Welcome, / }));
  await context.close();
  return took;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
let next = 0;
for (const js of [true, false]) {
  const all = [];
  for (let i = 0; i < runs; i++) all.push(await path(js, PATIENTS[next++ % PATIENTS.length]));
  results[js] = STEPS.map((_, s) => median(all.map((r) => r[s])));
  results[`${js}-total`] = median(all.map((r) => r.reduce((a, b) => a + b, 0)));
}
await browser.close();
console.log(`| "Forgot password? → back in" on a phone, slow 4G, CPU ${cpu}× slower | JavaScript on | JavaScript off |`);
console.log("|---|---|---|");
STEPS.forEach((step, s) => console.log(`| ${step} | ${results[true][s].toFixed(2)} s | ${results[false][s].toFixed(2)} s |`));
console.log(`| **total the patient waits** (median of ${runs}) | **${results["true-total"].toFixed(1)} s** | **${results["false-total"].toFixed(1)} s** |`);
