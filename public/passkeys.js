// Passkeys in the browser (SPEC §2.1, §2.5): the WebAuthn API is JavaScript
// only, so this small module does the browser's half of each ceremony. It
// asks the server for options, runs the browser's prompt, and sends the
// answer back; the server (server/src/passkeys.rs) checks everything.
// Without JavaScript the pages say that passkeys need it; passwords work.

const b64 = {
  // base64url (no padding) <-> bytes, as WebAuthn's JSON carries binary.
  decode(s) {
    const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
    return Uint8Array.from(bin, (c) => c.charCodeAt(0));
  },
  encode(buf) {
    let bin = "";
    for (const b of new Uint8Array(buf)) bin += String.fromCharCode(b);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  },
};

const $ = (id) => document.getElementById(id);

// The page writes this script's messages in its own language (PasskeyTexts
// in app/src/pages/passkeys_section.rs); English if that is missing.
const said = $("passkey-texts")?.dataset ?? {};
const text = (key, english) => said[key] || english;

async function post(path, body) {
  const res = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify(body ?? {}),
  });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(json.error ?? text("internal", "Something went wrong on our side. Please try again."));
  return json;
}

/** What a refused or cancelled prompt means to a patient. */
function promptError(e) {
  if (e && e.name === "NotAllowedError") return text("closed", "The passkey prompt was closed or timed out. Try again.");
  if (e && e.name === "InvalidStateError") return text("alreadyAdded", "This passkey is already added to your account.");
  if (e && e.name === "SecurityError") return text("badAddress", "Passkeys can't be used at this address.");
  return e && e.message ? e.message : text("failed", "The passkey didn't work. Try again.");
}

/** Shows `text` in the status or error line `id` (announced: `role` status or
 *  alert), or hides the line when `text` is empty. */
function show(id, text) {
  const el = $(id);
  if (!el) return;
  el.textContent = text;
  el.hidden = !text;
  if (text) el.setAttribute("role", id.endsWith("error") ? "alert" : "status");
  else el.removeAttribute("role");
}

// ── Adding a passkey (/settings) ────────────────────────────────────────────
async function addPasskey() {
  show("passkey-error", "");
  show("passkey-status", "");
  try {
    const current = $("passkey-current");
    const started = post("/passkey/register/start", { name: $("passkey-name").value, current: current.value });
    current.value = "";
    const { ceremony, options } = await started;
    const pk = options.publicKey;
    pk.challenge = b64.decode(pk.challenge);
    pk.user.id = b64.decode(pk.user.id);
    for (const c of pk.excludeCredentials ?? []) c.id = b64.decode(c.id);
    const cred = await navigator.credentials.create({ publicKey: pk });
    const r = cred.response;
    const credential = {
      id: cred.id,
      rawId: b64.encode(cred.rawId),
      type: cred.type,
      response: {
        attestationObject: b64.encode(r.attestationObject),
        clientDataJSON: b64.encode(r.clientDataJSON),
        transports: r.getTransports ? r.getTransports() : undefined,
      },
      extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
    };
    await post("/passkey/register/finish", { ceremony, credential });
    // The list is the server's: load it again, with the confirmation.
    sessionStorage.setItem("passkey-added", "1");
    location.reload();
  } catch (e) {
    show("passkey-error", promptError(e));
  }
}

// ── Signing in with a passkey (/login) ──────────────────────────────────────
let autofill = null;

function assertionJson(cred) {
  const r = cred.response;
  return {
    id: cred.id,
    rawId: b64.encode(cred.rawId),
    type: cred.type,
    response: {
      authenticatorData: b64.encode(r.authenticatorData),
      clientDataJSON: b64.encode(r.clientDataJSON),
      signature: b64.encode(r.signature),
      userHandle: r.userHandle ? b64.encode(r.userHandle) : null,
    },
    extensions: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
  };
}

async function signIn(conditional) {
  const { ceremony, options } = await post("/passkey/sign-in/start");
  const pk = options.publicKey;
  pk.challenge = b64.decode(pk.challenge);
  for (const c of pk.allowCredentials ?? []) c.id = b64.decode(c.id);
  const request = { publicKey: pk };
  if (conditional) {
    autofill = new AbortController();
    request.mediation = "conditional";
    request.signal = autofill.signal;
  }
  const cred = await navigator.credentials.get(request);
  await post("/passkey/sign-in/finish", { ceremony, credential: assertionJson(cred) });
  location.assign("/");
}

async function signInWithButton() {
  show("passkey-error", "");
  if (autofill) autofill.abort();
  try {
    await signIn(false);
  } catch (e) {
    show("passkey-error", promptError(e));
  }
}

/** Offers passkeys in the "Username" field's autofill, where the browser can. */
async function offerInAutofill() {
  const can = window.PublicKeyCredential?.isConditionalMediationAvailable;
  if (!can || !(await PublicKeyCredential.isConditionalMediationAvailable())) return;
  // The autofill is an offer, not a request: when it fails (no passkey, the
  // button took over), the patient sees nothing of it.
  try {
    await signIn(true);
  } catch {
    /* nothing to tell */
  }
}

function ready(button, hintText) {
  const hint = $("passkey-needs-js");
  if (!window.PublicKeyCredential) {
    hint.textContent = hintText;
    button.disabled = true;
    return false;
  }
  hint.hidden = true;
  button.removeAttribute("aria-describedby");
  return true;
}

const add = $("add-passkey");
if (add && ready(add, text("cannotMake", "This browser can't make passkeys."))) {
  add.addEventListener("click", addPasskey);
  if (sessionStorage.getItem("passkey-added")) {
    sessionStorage.removeItem("passkey-added");
    show("passkey-status", text("added", "Passkey added. You can now sign in with it."));
  }
}

const signInButton = $("passkey-sign-in");
if (signInButton && ready(signInButton, text("cannotUse", "This browser can't use passkeys. Sign in with your password above."))) {
  signInButton.addEventListener("click", signInWithButton);
  offerInAutofill();
}
