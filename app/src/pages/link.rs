//! `/register/{token}/link` (SPEC §2.4): "Link to your account" — someone
//! who already has an account gives the invitation's date of birth and access
//! code, then signs in with that account; the chart joins it.

use leptos::server_fn::ServerFn;
use leptos::{html::Input, prelude::*};
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::register::{load_registration, LinkAccount};
use crate::csrf::CsrfField;
use crate::i18n::{lang, t};
use crate::pages::dob_field::{self, DobField};
use crate::pages::forms::{alert, submit_to};
use crate::pages::live;
use crate::pages::register::AccessCodeField;
use crate::register::{LinkOutcome, RegisterError, RegisterView};

#[component]
pub fn LinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let data = Resource::new_blocking(token, load_registration);
    let lang = lang();
    view! {
        <Title text=t::link_heading(lang)/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(v) if v.first_name.is_some() => view! { <LinkForm token=token() view=v/> }.into_any(),
                        Ok(_) => view! {
                            <h1>{t::link_heading(lang)}</h1>
                            <p class="error" role="alert">{RegisterError::NoLongerValid.text(lang)}</p>
                        }.into_any(),
                        Err(e) => view! {
                            <h1>{t::link_heading(lang)}</h1>
                            <p class="error" role="alert">{e.text(lang)}</p>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

#[island(lazy)]
fn LinkForm(token: String, view: RegisterView) -> impl IntoView {
    live::island();
    let lang = lang();
    let action = ServerAction::<LinkAccount>::new();
    let dob_input = NodeRef::<Input>::new();
    let (dob_message, shown) = match view.error.clone() {
        Some(RegisterError::Dob(p)) => (Some(p.text(lang)), None),
        other => (None, other),
    };
    let dob_message = RwSignal::new(dob_message);
    let shown = RwSignal::new(shown);
    Effect::new(move |_| match action.value().get() {
        Some(Ok(LinkOutcome::SignedIn)) => live::go_to("/"),
        Some(Ok(LinkOutcome::SecondStep)) => live::go_to("/login/verify"),
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
    view! {
        <h1>{t::link_heading(lang)}</h1>
        <p>{t::link_intro(lang)}</p>
        <form method="post" action=LinkAccount::url() on:submit=submit_to(action, move || dob_field::ready(dob_message, dob_input)) novalidate>
            <CsrfField/>
            {move || alert("link-error", shown.get().map(|e| e.text(lang)))}
            <input type="hidden" name="token" value=token/>
            <DobField value=view.dob.clone() message=dob_message input=dob_input/>
            <AccessCodeField value=view.access_code.clone()/>
            <label for="username">{t::username(lang)}</label>
            <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value=view.username.clone()/>
            <label for="password">{t::password(lang)}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required/>
            <button type="submit" aria-disabled=move || action.pending().get().then_some("true")>{t::link_button(lang)}</button>
        </form>
    }
}
