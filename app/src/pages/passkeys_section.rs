//! The "Passkeys" section of `/settings` (SPEC §2.5): each passkey with its
//! name, when it was added and last used, and "Remove" (a plain form: no
//! prompt, the page confirms it); then "Passkey name" and "Add a passkey",
//! which runs the browser's passkey prompt (`public/passkeys.js`; without
//! JavaScript a hint says it needs it, and the rest of the page still works).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::settings::RemovePasskey;
use crate::csrf::CsrfField;
use crate::pages::forms::alert;
use crate::passkeys::{PasskeyView, MAX_NAME_CHARS};
use crate::settings::{Change, SettingsError};

type Outcome = Option<(Change, Result<(), SettingsError>)>;

/// Server-rendered: removing is a form post, adding is the script's.
#[component]
pub fn PasskeysSection(passkeys: Vec<PasskeyView>, initial: Outcome) -> impl IntoView {
    let outcome = initial.filter(|(c, _)| *c == Change::PasskeyRemoved).map(|(c, r)| match r {
        Ok(()) => view! { <p class="status" role="status">{c.done()}</p> }.into_any(),
        Err(e) => alert("passkey-remove-error", Some(e.to_string())).into_any(),
    });
    let list = if passkeys.is_empty() {
        view! { <p>"No passkeys yet. A passkey signs you in with your phone's or computer's screen lock: no password to remember."</p> }.into_any()
    } else {
        view! {
            <ul class="passkeys">
                {passkeys.into_iter().map(|p| {
                    let used = p.last_used.map(|t| format!("last used {t}")).unwrap_or_else(|| "not used yet".into());
                    view! {
                        <li>
                            <span><strong>{p.name.clone()}</strong> " " <span class="hint">{format!("Added {}, {used}", p.added)}</span></span>
                            <form method="post" action=RemovePasskey::url()>
                                <CsrfField/>
                                <input type="hidden" name="id" value=p.id.to_string()/>
                                <button type="submit" class="secondary">"Remove"</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <section aria-labelledby="passkeys-heading" id="passkeys">
            <h2 id="passkeys-heading">"Passkeys"</h2>
            {outcome}
            <p class="status" id="passkey-status" hidden></p>
            <p class="error" id="passkey-error" hidden></p>
            {list}
            <label for="passkey-name">"Passkey name"</label>
            <span class="hint" id="passkey-name-hint">"Optional, like \"My phone\"."</span>
            <input id="passkey-name" type="text" maxlength=MAX_NAME_CHARS autocomplete="off" aria-describedby="passkey-name-hint"/>
            <p class="hint" id="passkey-needs-js">"Adding a passkey needs JavaScript, which is off in this browser."</p>
            <button type="button" id="add-passkey" aria-describedby="passkey-needs-js">"Add a passkey"</button>
        </section>
        <script type="module" src="/passkeys.js"></script>
    }
    .into_any()
}
