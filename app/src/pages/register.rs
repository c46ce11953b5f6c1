//! `/register/{token}` (SPEC §2.4): everything on one form — "Date of birth"
//! (checked as typed), "Username" (the invited email, changeable),
//! "Password" twice, "Security question" and "Security answer", "Mobile phone
//! number" — then "Create account", and the patient is signed in.

use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::register::{load_registration, Register, SendRegistrationCode};
use crate::code::DEFAULT_CODE_DIGITS;
use crate::i18n::{lang, t};
use crate::pages::dob_field::{self, DobField};
use crate::pages::forms::{alert, new_password_hint, submit_to};
use crate::pages::live;
use crate::pages::phone_field::PhoneField;
use crate::pages::question_field::QuestionFields;
use crate::register::{RegisterError, RegisterView, TextCodeOffer};
use crate::pages::countdown;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let data = Resource::new_blocking(token, load_registration);
    let lang = lang();
    view! {
        <Title text=t::register_title(lang)/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) if v.first_name.is_some() => view! { <RegisterForm token=token() view=v/> }.into_any(),
                        Ok(_) => view! { <Invalid/> }.into_any(),
                        Err(e) => view! {
                            <h1>{t::register_heading(lang)}</h1>
                            <p class="error" role="alert">{e.text(lang)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[component]
fn Invalid() -> impl IntoView {
    let lang = lang();
    view! {
        <h1>{t::register_heading(lang)}</h1>
        <p class="error" role="alert">{RegisterError::NoLongerValid.text(lang)}</p>
        <p>{t::already_have_account(lang)} <a href="/login">{t::sign_in(lang)}</a></p>
    }
}

/// "Access code": what the practice gave in person or by phone.
#[component]
pub fn AccessCodeField(value: String) -> impl IntoView {
    let lang = lang();
    view! {
        <label for="access_code">{t::access_code(lang)}</label>
        <span class="hint" id="access-code-hint">{t::access_code_hint(lang)}</span>
        <input id="access_code" name="access_code" type="text" autocomplete="one-time-code" autocapitalize="characters"
            spellcheck="false" required value=value aria-describedby="access-code-hint"/>
    }
}

/// "Text me a code" beside "Access code" (SPEC §2.4): the masked number,
/// what was sent, and the button with its countdown. The button submits a
/// small form of its own (`text-code-form`, outside the registration form)
/// without JavaScript; with it, the code is sent in place and nothing typed is lost.
fn text_code(token: String, offer: TextCodeOffer, shown: RwSignal<Option<RegisterError>>) -> impl IntoView {
    let lang = lang();
    let send = ServerAction::<SendRegistrationCode>::new();
    let state = RwSignal::new(offer.clone());
    let left = RwSignal::new(offer.resend_in);
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || left.update(|l| *l = (*l - 1).max(0)), std::time::Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(o)) => {
            left.set(o.resend_in);
            state.set(o);
            shown.set(None);
        }
        Some(Err(RegisterError::CodeTooSoon(secs))) => left.set(secs),
        Some(Err(e)) => shown.set(Some(e)),
        None => {}
    });
    let label = move || match (state.with(|s| s.sent_at.is_some()), left.get()) {
        (false, 0) => t::text_me_a_code(lang).to_string(),
        (_, n) => countdown::resend_text(n),
    };
    view! {
        <p class="hint" id="text-code-hint">{t::text_code_offer(lang, &offer.masked, DEFAULT_CODE_DIGITS)}</p>
        {move || state.with(|s| s.sent_at.clone().map(|at| view! {
            <p class="status" role="status">{t::registration_code_sent(lang, &s.masked, &at, s.minutes)}</p>
        }))}
        {move || if state.with(|s| s.sends_left > 0) {
            let token = token.clone();
            view! {
                <button type="submit" form="text-code-form" formnovalidate class="secondary text-code" aria-describedby="text-code-hint"
                    disabled=move || { left.get() > 0 }
                    on:click=move |ev| {
                        ev.prevent_default();
                        if left.get_untracked() == 0 && !send.pending().get_untracked() {
                            send.dispatch(SendRegistrationCode { token: token.clone() });
                        }
                    }>
                    {label}
                </button>
            }.into_any()
        } else {
            view! { <p class="hint">{t::no_more_registration_codes(lang)}</p> }.into_any()
        }}
    }
}

#[island(lazy)]
fn RegisterForm(token: String, view: RegisterView) -> impl IntoView {
    live::island();
    let lang = lang();
    let action = ServerAction::<Register>::new();
    let dob_input = NodeRef::<Input>::new();
    let (dob_message, shown) = match view.error.clone() {
        Some(RegisterError::Dob(p)) => (Some(p.text(lang)), None),
        other => (None, other),
    };
    let dob_message = RwSignal::new(dob_message);
    let shown = RwSignal::new(shown);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(())) => live::go_to("/"),
        Some(Err(RegisterError::Dob(p))) => {
            shown.set(None);
            dob_message.set(Some(p.text(lang)));
        }
        Some(Err(e)) => {
            dob_message.set(None);
            shown.set(Some(e));
        }
        None => {}
    });
    let chosen = view.question.clone();
    let first_name = view.first_name.clone().unwrap_or_default();
    let family = view.invitee_name.is_some();
    let welcome = match &view.invitee_name {
        Some(name) => t::family_register_welcome(lang, name, &first_name),
        None => t::register_welcome(lang, &first_name),
    };
    let link_page = crate::register::link_page_of(&token);
    let token_for_code = token.clone();
    view! {
        <h1>{t::register_heading(lang)}</h1>
        <p>{welcome}</p>
        <p><a href=link_page>{t::already_have_account_link(lang)}</a></p>
        <form
            method="post"
            action=Register::url()
            on:submit=submit_to(action, move || dob_field::ready(dob_message, dob_input))
            novalidate
        >
            <CsrfField/>
            {move || alert("register-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=token/>
            <DobField value=view.dob.clone() message=dob_message input=dob_input/>
            <AccessCodeField value=view.access_code.clone()/>
            {view.text_code.clone().map(|offer| text_code(token_for_code.clone(), offer, shown))}
            {family.then(|| view! {
                <label for="your_dob">{t::your_dob(lang)}</label>
                <span class="hint" id="your-dob-hint">{t::dob_hint(lang)}</span>
                <input id="your_dob" name="your_dob" type="text" inputmode="numeric" autocomplete="bday" required
                    value=view.your_dob.clone() aria-describedby="your-dob-hint"/>
            })}
            <label for="username">{t::username(lang)}</label>
            <span class="hint" id="username-hint">{t::register_username_hint(lang)}</span>
            <input
                id="username"
                name="username"
                type="text"
                autocomplete="username"
                autocapitalize="none"
                spellcheck="false"
                required
                value=view.username.clone()
                aria-describedby="username-hint"
            />
            <label for="password">{t::password(lang)}</label>
            <span class="hint" id="password-hint">
                {new_password_hint()}
            </span>
            <input id="password" name="password" type="password" autocomplete="new-password" required aria-describedby="password-hint"/>
            <label for="confirm">{t::confirm_password(lang)}</label>
            <input id="confirm" name="confirm" type="password" autocomplete="new-password" required/>
            <QuestionFields chosen=chosen.clone()/>
            <PhoneField value=view.phone.clone() hint=t::phone_for_codes(lang)/>
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::create_account(lang)}</button>
        </form>
        {view.text_code.is_some().then(|| view! {
            <form id="text-code-form" method="post" action=SendRegistrationCode::url() novalidate>
                <CsrfField/>
                <input type="hidden" name="token" value=token_for_code.clone()/>
            </form>
        })}
    }
}
