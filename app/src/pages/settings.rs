//! `/settings` (SPEC §2.5): the signed-in patient changes the password, the
//! security question or the mobile number; each needs the current password.

use leptos::prelude::*;
use crate::csrf::CsrfField;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::settings::{load_settings, ChangeMobile, ChangePassword, ChangeQuestion};
use crate::i18n::{lang, t};
use crate::pages::forms::{alert, submit_to};
use crate::pages::live;
use crate::pages::phone_field::PhoneField;
use crate::pages::question_field::QuestionFields;
use crate::pages::family_section::FamilySection;
use crate::pages::passkeys_section::PasskeysSection;
use crate::pages::two_step_section::TwoStepSection;
use crate::settings::{Change, SettingsError, SettingsView};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let data = Resource::new_blocking(|| (), |_| load_settings());
    view! {
        <Title text=t::settings_title(lang())/>
        <Suspense>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(Some(view)) => {
                        let (passkeys, family, initial) = (view.passkeys.clone(), view.family.clone(), view.outcome.clone());
                        let family_initial = initial.clone();
                        view! {
                            <main class="card">
                                <Settings view/>
                                <PasskeysSection passkeys initial/>
                                <FamilySection family initial=family_initial/>
                            </main>
                        }.into_any()
                    }
                    _ => view! { <Redirect path="/login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The outcome a form shows: its action's newest answer, else what a form
/// posted without JavaScript left for it.
fn outcome(change: Change, initial: &Option<(Change, Result<(), SettingsError>)>, latest: Option<Result<(), SettingsError>>) -> Option<Result<(), SettingsError>> {
    latest.or_else(|| initial.as_ref().filter(|(c, _)| *c == change).map(|(_, r)| r.clone()))
}

fn show(id: &'static str, change: Change, o: Option<Result<(), SettingsError>>) -> impl IntoView {
    match o {
        Some(Ok(())) => Some(view! { <p class="status" role="status">{change.done(lang())}</p> }.into_any()),
        Some(Err(e)) => Some(alert(id, Some(e.text(lang()))).into_any()),
        None => None,
    }
}

fn current_password(id: &'static str) -> impl IntoView {
    view! {
        <label for=id>{t::current_password(lang())}</label>
        <input id=id name="current" type="password" autocomplete="current-password" required/>
    }
}

#[island(lazy)]
fn Settings(view: SettingsView) -> impl IntoView {
    live::island();
    let lang = lang();
    let password = ServerAction::<ChangePassword>::new();
    let question = ServerAction::<ChangeQuestion>::new();
    let mobile = ServerAction::<ChangeMobile>::new();
    let initial = view.outcome.clone();
    let (i1, i2, i3, i4) = (initial.clone(), initial.clone(), initial.clone(), initial);
    let chosen = view.question.clone();
    view! {
            <h1>{t::account_settings_link(lang)}</h1>
            <p><a href="/">{t::back_to_portal(lang)}</a></p>

            <section aria-labelledby="password-heading">
                <h2 id="password-heading">{t::change_password(lang)}</h2>
                <form method="post" action=ChangePassword::url() on:submit=submit_to(password, || true) novalidate>
                    <CsrfField/>
                    {move || show("password-error", Change::Password, outcome(Change::Password, &i1, password.value().get()))}
                    {current_password("password-current")}
                    <label for="password-new">{t::new_password(lang)}</label>
                    <input id="password-new" name="password" type="password" autocomplete="new-password" required/>
                    <label for="password-confirm">{t::confirm_new_password(lang)}</label>
                    <input id="password-confirm" name="confirm" type="password" autocomplete="new-password" required/>
                    <button type="submit" aria-disabled=move || password.pending().get().then_some("true")>{t::change_password(lang)}</button>
                </form>
            </section>

            <section aria-labelledby="question-heading">
                <h2 id="question-heading">{t::change_question(lang)}</h2>
                <form method="post" action=ChangeQuestion::url() on:submit=submit_to(question, || true) novalidate>
                    <CsrfField/>
                    {move || show("question-error", Change::Question, outcome(Change::Question, &i2, question.value().get()))}
                    {current_password("question-current")}
                    <QuestionFields chosen=chosen.clone()/>
                    <button type="submit" aria-disabled=move || question.pending().get().then_some("true")>{t::save_question(lang)}</button>
                </form>
            </section>

            <section aria-labelledby="mobile-heading">
                <h2 id="mobile-heading">{t::change_mobile(lang)}</h2>
                <form method="post" action=ChangeMobile::url() on:submit=submit_to(mobile, || true) novalidate>
                    <CsrfField/>
                    {move || show("mobile-error", Change::Mobile, outcome(Change::Mobile, &i3, mobile.value().get()))}
                    {current_password("mobile-current")}
                    <PhoneField value=view.phone.clone() hint=t::phone_for_codes(lang)/>
                    <button type="submit" aria-disabled=move || mobile.pending().get().then_some("true")>{t::save_mobile(lang)}</button>
                </form>
            </section>

            <TwoStepSection settings=view.two_step.clone() initial=i4/>
    }
}
