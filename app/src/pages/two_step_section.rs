//! The "Two-step verification" section of `/settings` (SPEC §2.5): off, a
//! radio group "Send codes by" (the authenticator key shows while "Authenticator
//! app" is chosen, by CSS, so also without JavaScript), "Send code" for text
//! and email, then "Current password" and "Verification code" → "Turn on",
//! and the ten backup codes once, under "Backup codes". On, it says how
//! codes come, and "Turn off" asks for the current password.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::two_step::{TurnOffTwoStep, TwoStepSetup};
use crate::csrf::CsrfField;
use crate::i18n::{lang, t};
use crate::pages::forms::{alert, submit_to};
use crate::settings::{Change, SettingsError};
use crate::two_step::{CodesBy, TwoStepSettings, BACKUP_CODES, CODE_DIGITS};

type Outcome = Option<(Change, Result<(), SettingsError>)>;

fn status(change: Change) -> impl IntoView {
    view! { <p class="status" role="status">{change.done(lang())}</p> }
}

fn backup_codes(codes: Vec<String>) -> impl IntoView {
    (!codes.is_empty()).then(|| {
        let lang = lang();
        view! {
            <h3 id="backup-heading">{t::backup_codes_heading(lang)}</h3>
            <p>{t::backup_codes_keep(lang, BACKUP_CODES)}</p>
            <ul class="backup-codes" aria-labelledby="backup-heading">
                {codes.into_iter().map(|c| view! { <li><code>{c}</code></li> }).collect_view()}
            </ul>
        }
    })
}

#[component]
pub fn TwoStepSection(settings: TwoStepSettings, initial: Outcome) -> impl IntoView {
    let lang = lang();
    let setup = ServerAction::<TwoStepSetup>::new();
    let off = ServerAction::<TurnOffTwoStep>::new();
    let on = RwSignal::new(settings.on);
    let chosen = RwSignal::new(CodesBy::Text);
    // Which button sent the setup form ("Send code" or "Turn on").
    let intent = RwSignal::new("on");
    let (i1, i2) = (initial.clone(), initial);
    let first_outcome = move |changes: &[Change], initial: &Outcome| initial.clone().filter(|(c, _)| changes.contains(c));
    let setup_outcome = move || match setup.value().get() {
        Some(Ok(codes)) if codes.is_empty() => Some((Change::CodeSent, Ok(()))),
        Some(Ok(_)) => Some((Change::TwoStepOn, Ok(()))),
        Some(Err(e)) => Some((if intent.get_untracked() == "send" { Change::CodeSent } else { Change::TwoStepOn }, Err(e))),
        None => first_outcome(&[Change::CodeSent, Change::TwoStepOn], &i1),
    };
    let off_outcome = move || match off.value().get() {
        Some(r) => Some((Change::TwoStepOff, r)),
        None => first_outcome(&[Change::TwoStepOff], &i2),
    };
    Effect::new(move |_| {
        if matches!(setup.value().get(), Some(Ok(ref codes)) if !codes.is_empty()) {
            on.set(Some(chosen.get_untracked()));
        }
        if matches!(off.value().get(), Some(Ok(()))) {
            on.set(None);
        }
    });
    let shown_codes = move || match setup.value().get() {
        Some(Ok(codes)) => codes,
        _ => settings.backup_codes.clone(),
    };
    let (phone, email) = (settings.phone.clone(), settings.email.clone());
    let (on_phone, on_email) = (settings.phone.clone(), settings.email.clone());
    let on_text = Signal::derive(move || {
        let by = on.get().unwrap_or(CodesBy::Text);
        let to = match by {
            CodesBy::Text => on_phone.clone(),
            CodesBy::Email => on_email.clone(),
            CodesBy::App => String::new(),
        };
        t::two_step_on_line(lang, &by.phrase(lang, &to))
    });
    let send_text = settings.code_sent_by.unwrap_or(CodesBy::Text);
    let app_key = settings.app_key.clone();
    let radio = move |by: CodesBy| {
        let id = format!("codes-by-{}", by.wire());
        let to = match by {
            CodesBy::Text => phone.clone(),
            CodesBy::Email => email.clone(),
            CodesBy::App => String::new(),
        };
        view! {
            <div class="radio">
                <input type="radio" id=id.clone() name="by" value=by.wire() checked={by == send_text}/>
                <label for=id>{by.label(lang)}{(!to.is_empty()).then(|| format!(" ({to})"))}</label>
            </div>
        }
    };
    view! {
        <section aria-labelledby="two-step-heading">
            <h2 id="two-step-heading">{t::two_step_heading(lang)}</h2>
            {move || match setup_outcome() {
                Some((change, Ok(()))) => Some(status(change).into_any()),
                Some((_, Err(e))) => Some(alert("two-step-error", Some(e.text(lang))).into_any()),
                None => None,
            }}
            {move || match off_outcome() {
                Some((change, Ok(()))) => Some(status(change).into_any()),
                Some((_, Err(e))) => Some(alert("two-step-off-error", Some(e.text(lang))).into_any()),
                None => None,
            }}
            {move || backup_codes(shown_codes())}
            <Show when=move || on.get().is_some() fallback=move || view! {
                <p>{t::two_step_off_line(lang, CODE_DIGITS)}</p>
                <form method="post" action=TwoStepSetup::url() novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        if setup.pending().get_untracked() {
                            return;
                        }
                        if let Ok(mut input) = TwoStepSetup::from_event(&ev) {
                            input.intent = Some(intent.get_untracked().to_string());
                            chosen.set(input.by);
                            setup.dispatch(input);
                        }
                    }>
                    <CsrfField/>
                    <fieldset class="codes-by">
                        <legend>{t::send_codes_by(lang)}</legend>
                        {CodesBy::ALL.into_iter().map(radio.clone()).collect_view()}
                        {app_key.clone().map(|(secret, qr)| view! {
                            <div class="app-key">
                                <p>{t::scan_qr(lang)}</p>
                                <div class="qr" role="img" aria-label=t::qr_label(lang) inner_html=qr></div>
                                <p>{t::key_label(lang)} <code id="totp-secret">{secret}</code></p>
                            </div>
                        })}
                    </fieldset>
                    <button type="submit" name="intent" value="send" class="secondary" on:click=move |_| intent.set("send")>{t::send_code(lang)}</button>
                    <label for="two-step-current">{t::current_password(lang)}</label>
                    <input id="two-step-current" name="current" type="password" autocomplete="current-password"/>
                    <label for="two-step-code">{t::verification_code(lang)}</label>
                    <input id="two-step-code" name="code" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength=CODE_DIGITS + 3/>
                    <button type="submit" name="intent" value="on" on:click=move |_| intent.set("on")
                        aria-disabled=move || setup.pending().get().then_some("true")>{t::turn_on(lang)}</button>
                </form>
            }>
                <p>{on_text}</p>
                <form method="post" action=TurnOffTwoStep::url() on:submit=submit_to(off, || true) novalidate>
                    <CsrfField/>
                    <label for="two-step-off-current">{t::current_password(lang)}</label>
                    <input id="two-step-off-current" name="current" type="password" autocomplete="current-password" required/>
                    <button type="submit" class="secondary" aria-disabled=move || off.pending().get().then_some("true")>{t::turn_off(lang)}</button>
                </form>
            </Show>
        </section>
    }
    // Erased: the settings page's type is deep enough already.
    .into_any()
}
