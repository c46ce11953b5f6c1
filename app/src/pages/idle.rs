//! Warns a signed-in patient before the idle timeout ends the session and lets
//! them stay signed in (WCAG 2.2.1). Timers run in the browser only: a lazy
//! island, fetched after the welcome page shows.

use std::time::Duration;

use leptos::prelude::*;

use crate::api::current_patient;
use crate::pages::live;

/// How long before the end the warning shows (SPEC §2.1: at least 60 s).
const WARN_SECS: f64 = 90.0;
/// The page's clock starts a little after the server's; end a bit early.
const SAFETY_SECS: f64 = 3.0;

fn now_secs() -> f64 {
    js_sys::Date::now() / 1000.0
}

#[island(lazy)]
pub fn IdleWarning(idle_timeout_secs: u32) -> impl IntoView {
    let idle = f64::from(idle_timeout_secs);
    // Wall-clock deadline, so a throttled background tab still counts right.
    let deadline = RwSignal::new(None::<f64>);
    let remaining = RwSignal::new(None::<u32>);
    live::island();

    Effect::new(move |_| {
        deadline.set(Some(now_secs() + idle - SAFETY_SECS));
        let tick = move || {
            let Some(end) = deadline.get_untracked() else { return };
            let left = end - now_secs();
            if left <= 0.0 {
                deadline.set(None);
                live::go_to("/login");
            } else if left <= WARN_SECS.min(idle / 2.0) {
                remaining.set(Some(left.ceil() as u32));
            } else {
                remaining.set(None);
            }
        };
        if let Ok(handle) = set_interval_with_handle(tick, Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });

    let stay = Action::new(move |_: &()| async move {
        if let Ok(Some(patient)) = current_patient().await {
            deadline.set(Some(now_secs() + f64::from(patient.idle_timeout_secs) - SAFETY_SECS));
            remaining.set(None);
        }
    });

    let lang = crate::i18n::lang();
    view! {
        <p class="hint">{crate::i18n::t::idle_rule(lang, idle_timeout_secs / 60)}</p>
        <Show when=move || remaining.get().is_some()>
            <div class="warning">
                <p role="alert">
                    {move || crate::i18n::t::idle_countdown(lang, remaining.get().unwrap_or_default())}
                </p>
                <button type="button" on:click=move |_| { stay.dispatch(()); }>
                    {crate::i18n::t::stay_signed_in(lang)}
                </button>
            </div>
        </Show>
    }
}
