//! `/login` (SPEC §2.1). A real form posting to the `login` server function;
//! without JavaScript the answer is a redirect (post/redirect/get), with it
//! (the form is an island) a refusal shows without a reload. The one island in the
//! main wasm module: every other page's islands are lazy chunks.

use leptos::{ev::SubmitEvent, html::Input, prelude::*, server_fn::ServerFn};
use crate::csrf::CsrfField;
use leptos_meta::Title;

use crate::api::{take_login_notice, Login};
use crate::error::PortalError;
use crate::i18n::{lang, t};
use crate::pages::live;
use crate::secret::Password;

#[component]
pub fn LoginPage() -> impl IntoView {
    let notice = Resource::new_blocking(|| (), |_| take_login_notice());
    let lang = lang();
    view! {
        <Title text=t::sign_in_title(lang)/>
        <main class="card">
            <h1>{t::sign_in(lang)}</h1>
            <Suspense>
                {move || Suspend::new(async move {
                    let notice = notice.await.unwrap_or_default();
                    view! {
                        {notice.password_reset.then(|| view! {
                            <p class="status" role="status">{t::password_reset_notice(lang)}</p>
                        })}
                        <LoginForm initial_error=notice.error username=notice.username/>
                    }
                })}
            </Suspense>
            <div class="passkey-sign-in">
                <p class="error" id="passkey-error" hidden></p>
                <button type="button" class="secondary" id="passkey-sign-in" aria-describedby="passkey-needs-js">{t::sign_in_with_passkey(lang)}</button>
                <p class="hint" id="passkey-needs-js">{t::passkey_needs_js(lang)}</p>
                <crate::pages::passkeys_section::PasskeyTexts/>
            </div>
            <script type="module" src="/passkeys.js"></script>
            <nav class="help-links" aria-label=t::account_help(lang)>
                <a href="/forgot-username">{t::forgot_username_link(lang)}</a>
                <a href="/forgot-password">{t::forgot_password_link(lang)}</a>
            </nav>
        </main>
    }
}

#[island]
fn LoginForm(initial_error: Option<PortalError>, username: String) -> impl IntoView {
    let action = ServerAction::<Login>::new();
    let username_input = NodeRef::<Input>::new();
    let password_input = NodeRef::<Input>::new();
    let lang = lang();
    live::island();
    Effect::new(move |_| {
        if let Some(Ok(signed_in)) = action.value().get() {
            live::go_to(signed_in.page());
        }
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() {
            return;
        }
        let (Some(user), Some(pass)) = (username_input.get(), password_input.get()) else {
            return;
        };
        action.dispatch(Login { username: user.value(), password: Password::new(pass.value()) });
    };

    let error = move || match action.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => initial_error.clone(),
    };

    view! {
        <form method="post" action=Login::url() on:submit=on_submit novalidate>
            <CsrfField/>
            {move || error().map(|e| view! { <p class="error" role="alert" id="login-error">{e.text(lang)}</p> })}
            <label for="username">{t::username(lang)}</label>
            <span class="hint" id="username-hint">{t::username_hint(lang)}</span>
            <input
                id="username"
                name="username"
                type="text"
                autocomplete="username webauthn"
                autocapitalize="none"
                spellcheck="false"
                required
                aria-describedby="username-hint"
                value=username
                node_ref=username_input
            />
            <label for="password">{t::password(lang)}</label>
            <input
                id="password"
                name="password"
                type="password"
                autocomplete="current-password"
                required
                node_ref=password_input
            />
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>
                {t::sign_in(lang)}
            </button>
        </form>
    }
}
