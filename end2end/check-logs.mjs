// After the Playwright suite: the server's log (end2end/.data/server.log)
// must hold no secret the suite used — no password or security answer the
// tests typed, no reset or registration token, no security code (SPEC §5).
// Tokens and codes are read from the run's outbox; passwords and answers
// from the tests' own sources.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..");
const data = join(here, ".data");
const log = readFileSync(join(data, "server.log"), "utf8");
if (!log.includes("listening on")) {
  throw new Error("the server log is empty or not the server's: nothing to check");
}

const secrets = new Map(); // secret -> what it is
const sources = readdirSync(join(here, "tests")).map((f) => readFileSync(join(here, "tests", f), "utf8"));
for (const src of sources) {
  for (const m of src.matchAll(/["'`]([A-Z][a-z]+(?:-[A-Z][a-z]+)+-\d+)["'`]/g)) secrets.set(m[1], "password");
  for (const m of src.matchAll(/Security answer"\)\.fill\("\s*([^"]+?)\s*"\)/g)) secrets.set(m[1], "security answer");
  for (const m of src.matchAll(/SECURITY_ANSWER = "([^"]+)"/g)) secrets.set(m[1], "security answer");
}

const outbox = JSON.parse(
  execFileSync(join(root, "target/release/portal"), ["outbox", "--json"], {
    env: { ...process.env, DATABASE_URL: `sqlite://${join(data, "portal.db")}`, RUST_LOG: "error" },
  }).toString(),
);
for (const m of outbox) {
  for (const t of m.body.matchAll(/\/(?:reset|register)\/([A-Za-z0-9_-]{20,})/g)) secrets.set(t[1], "link token");
  // "…code is 40217." (text, email); a voice call reads the digits one by one ("…code is: 4, 0, 2, 1, 7.").
  const written = m.body.match(/code is (\d{5,8})\b/);
  if (written) secrets.set(written[1], `security code (${m.channel})`);
  const spoken = m.channel === "voice" ? m.body.match(/code is: ([\d, ]+)\./) : null;
  if (spoken) secrets.set(spoken[1].replace(/\D/g, ""), "security code (voice)");
}

// What the tests read off pages and the CLI (helpers.noteSecret): access
// codes, authenticator keys, backup codes.
const seen = join(data, "seen-secrets.jsonl");
if (existsSync(seen)) {
  for (const line of readFileSync(seen, "utf8").split("\n").filter(Boolean)) {
    const { kind, value } = JSON.parse(line);
    secrets.set(value, kind);
    // An authenticator key as the page groups it, too.
    if (kind === "authenticator key") secrets.set(value.toUpperCase(), kind);
  }
}

const counts = {};
for (const what of secrets.values()) counts[what] = (counts[what] ?? 0) + 1;
const needed = ["password", "link token", "security answer", "security code (sms)", "security code (email)", "access code", "authenticator key", "backup code"];
if (needed.some((what) => !counts[what])) {
  throw new Error(`too few secrets found to check: ${JSON.stringify(counts)}`);
}
const leaks = [...secrets].filter(([secret]) =>
  /^\d+$/.test(secret) ? new RegExp(`(?<![\\d.:-])${secret}(?![\\d])`).test(log) : log.includes(secret),
);
if (leaks.length > 0) {
  for (const [, what] of leaks) console.error(`the server log holds a ${what}`);
  process.exit(1);
}
console.log(`server log: ${log.split("\n").length} lines hold none of ${secrets.size} secrets ${JSON.stringify(counts)}`);
