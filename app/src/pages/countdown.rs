//! "Resend code in {N}s": the server's count of seconds, ticking down in the
//! browser each second (a reload shows the server's true time left).

use std::time::Duration;

use leptos::prelude::*;

/// Seconds left until `deadline` (ms since the epoch), rounded up.
fn secs_until(deadline: f64) -> i64 {
    ((deadline - js_sys::Date::now()) / 1000.0).ceil().max(0.0) as i64
}

/// Seconds left, starting at the server's `start` and ticking in the browser.
pub fn ticking(start: i64) -> RwSignal<i64> {
    let left = RwSignal::new(start);
    Effect::new(move |_| {
        let deadline = js_sys::Date::now() + start as f64 * 1000.0;
        if let Ok(handle) = set_interval_with_handle(move || left.set(secs_until(deadline)), Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    left
}

/// The resend button's text while `left` seconds remain.
pub fn resend_text(left: i64) -> String {
    let lang = crate::i18n::lang();
    match left {
        0 => crate::i18n::t::resend_code(lang).to_string(),
        n => crate::i18n::t::resend_in(lang, n),
    }
}
