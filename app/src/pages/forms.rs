//! Forms that work twice: as a plain `<form method="post">` to a server
//! function's URL (JavaScript off: the server answers 303), and, once the page
//! is hydrated, as the same fields sent by a `ServerAction` with no reload.

use leptos::ev::SubmitEvent;
use leptos::form::FromFormData;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use serde::de::DeserializeOwned;

/// The submit handler of a form whose fields are the arguments of `S`.
/// `ready` runs first (browser-side checks); a second submit while one is
/// pending is ignored.
pub fn submit_to<S>(action: ServerAction<S>, ready: impl Fn() -> bool + 'static) -> impl FnMut(SubmitEvent) + 'static
where
    S: ServerFn + DeserializeOwned + Clone + Send + Sync + 'static,
    S::Output: Send + Sync + 'static,
    S::Error: Send + Sync + 'static,
{
    move |ev: SubmitEvent| {
        ev.prevent_default();
        if action.pending().get_untracked() || !ready() {
            return;
        }
        if let Ok(input) = S::from_event(&ev) {
            action.dispatch(input);
        }
    }
}

/// The error alert of a form, when there is one.
pub fn alert(id: &'static str, message: Option<String>) -> impl IntoView {
    message.map(|m| view! { <p class="error" role="alert" id=id>{m}</p> })
}

/// The hint under every "new password" field, with the length the policy enforces.
pub fn new_password_hint() -> String {
    crate::i18n::t::new_password_hint(crate::i18n::lang(), crate::secret::MIN_PASSWORD_CHARS)
}
