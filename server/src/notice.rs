//! A form refused without JavaScript is shown on the page the browser is
//! redirected to. The refusal and what was typed (never a password, answer
//! or code) ride in a 60-second HttpOnly cookie, one per form, signed (HMAC)
//! so that no one else can forge what the page shows: with the emailed
//! link's own token for the reset wizard and registration, else with the
//! server's notice key. The one way every form leaves and reads its notice
//! (each form's cookie is an `app::jar::NoticeOf`).

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine};
use hmac::{Hmac, Mac};
use serde::{de::DeserializeOwned, Serialize};
use sha2::Sha256;

/// How long a notice waits for its page, in seconds.
pub const LIFE_SECS: i64 = 60;

/// Typed values longer than any valid input are cut to this.
const MAX_TYPED: usize = 254;

fn mac(key: &str, payload: &str) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes any key length");
    mac.update(b"form-notice:");
    mac.update(payload.as_bytes());
    mac
}

/// A typed value as kept: trimmed, without control characters, bounded.
pub fn clip(s: &str) -> String {
    s.trim().chars().filter(|c| !c.is_control()).take(MAX_TYPED).collect()
}

pub fn seal<T: Serialize>(key: &str, notice: &T) -> String {
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(notice).unwrap_or_default());
    let tag = URL_SAFE_NO_PAD.encode(mac(key, &payload).finalize().into_bytes());
    format!("{payload}.{tag}")
}

/// The notice in `value`, if `key` signed it.
pub fn open<T: DeserializeOwned>(key: &str, value: &str) -> Option<T> {
    let (payload, tag) = value.split_once('.')?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(key, payload).verify_slice(&tag).ok()?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_opens_only_with_the_key_that_sealed_it() {
        let a = "a".repeat(43);
        let sealed = seal(&a, &(3, clip(" 1985-03-12\u{0} ")));
        assert_eq!(open::<(i32, String)>(&a, &sealed), Some((3, "1985-03-12".to_string())));
        assert_eq!(open::<(i32, String)>(&"b".repeat(43), &sealed), None);
        let (payload, tag) = sealed.split_once('.').unwrap();
        let forged = URL_SAFE_NO_PAD.encode(br#"[4,"x"]"#);
        assert_eq!(open::<(i32, String)>(&a, &format!("{forged}.{tag}")), None);
        assert_eq!(open::<(i32, String)>(&a, payload), None);
        assert_eq!(clip(&"9".repeat(5000)).len(), MAX_TYPED);
    }
}
