//! The "Passkeys" section of `/settings` (SPEC §2.5): each passkey with its
//! name, when it was added and last used, and "Remove" (a plain form: no
//! prompt, the page confirms it); then "Passkey name" and "Add a passkey",
//! which runs the browser's passkey prompt (`public/passkeys.js`; without
//! JavaScript a hint says it needs it, and the rest of the page still works).

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::settings::RemovePasskey;
use crate::csrf::CsrfField;
use crate::i18n::{lang, t};
use crate::pages::forms::alert;
use crate::passkeys::{PasskeyView, MAX_NAME_CHARS};
use crate::settings::{Change, SettingsError};

type Outcome = Option<(Change, Result<(), SettingsError>)>;

/// Server-rendered: removing is a form post, adding is the script's.
#[component]
pub fn PasskeysSection(passkeys: Vec<PasskeyView>, initial: Outcome) -> impl IntoView {
    let lang = lang();
    let outcome = initial.filter(|(c, _)| *c == Change::PasskeyRemoved).map(|(c, r)| match r {
        Ok(()) => view! { <p class="status" role="status">{c.done(lang)}</p> }.into_any(),
        Err(e) => alert("passkey-remove-error", Some(e.text(lang))).into_any(),
    });
    let list = if passkeys.is_empty() {
        view! { <p>{t::no_passkeys(lang)}</p> }.into_any()
    } else {
        view! {
            <ul class="passkeys">
                {passkeys.into_iter().map(|p| {
                    view! {
                        <li>
                            <span><strong>{p.name.clone()}</strong> " " <span class="hint">{t::passkey_dates(lang, &p.added, p.last_used.as_deref())}</span></span>
                            <form method="post" action=RemovePasskey::url()>
                                <CsrfField/>
                                <input type="hidden" name="id" value=p.id.to_string()/>
                                <button type="submit" class="secondary">{t::remove(lang)}</button>
                            </form>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }.into_any()
    };
    view! {
        <section aria-labelledby="passkeys-heading" id="passkeys">
            <h2 id="passkeys-heading">{t::passkeys_heading(lang)}</h2>
            {outcome}
            <p class="status" id="passkey-status" hidden></p>
            <p class="error" id="passkey-error" hidden></p>
            {list}
            <label for="passkey-name">{t::passkey_name(lang)}</label>
            <span class="hint" id="passkey-name-hint">{t::passkey_name_hint(lang)}</span>
            <input id="passkey-name" type="text" maxlength=MAX_NAME_CHARS autocomplete="off" aria-describedby="passkey-name-hint"/>
            <label for="passkey-current">{t::current_password(lang)}</label>
            <input id="passkey-current" type="password" autocomplete="current-password" required/>
            <p class="hint" id="passkey-needs-js">{t::add_passkey_needs_js(lang)}</p>
            <button type="button" id="add-passkey" aria-describedby="passkey-needs-js">{t::add_passkey(lang)}</button>
            <PasskeyTexts/>
        </section>
        <script type="module" src="/passkeys.js"></script>
    }
    .into_any()
}

/// What `public/passkeys.js` may have to say, in the page's language: the
/// script reads its messages from these attributes. English is the script's
/// own, so an English page (the busiest, `/login`) carries none of them.
#[component]
pub fn PasskeyTexts() -> impl IntoView {
    let lang = lang();
    (lang != crate::i18n::Lang::En).then(|| view! {
        <span id="passkey-texts" hidden
            data-internal=t::internal(lang)
            data-closed=t::passkey_prompt_closed(lang)
            data-already-added=t::passkey_already_added(lang)
            data-bad-address=t::passkey_bad_address(lang)
            data-failed=t::passkey_failed(lang)
            data-added=t::passkey_added(lang)
            data-cannot-make=t::browser_cannot_make_passkeys(lang)
            data-cannot-use=t::browser_cannot_use_passkeys(lang)
        ></span>
    })
}
