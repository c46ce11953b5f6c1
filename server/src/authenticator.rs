//! The authenticator app of staff (SPEC §3) and of patients who choose it (§2.5): its codes, TOTP as
//! RFC 6238 has it (HMAC-SHA-1, 6 digits, 30-second steps) through
//! `totp-rs`, which every authenticator app reads from the QR code's
//! `otpauth://` URL. A code of the step before or after the current one is
//! accepted too (a phone's clock drifts), and each step's code only once.

use subtle::ConstantTimeEq;
use totp_rs::{Algorithm, TOTP};

pub const STEP_SECS: i64 = 30;
pub const DIGITS: usize = 6;
/// 160 bits, RFC 4226's recommendation.
const SECRET_BYTES: usize = 20;
const ISSUER: &str = "Patient Portal";

/// One staff member's authenticator.
pub struct Authenticator(TOTP);

impl std::fmt::Debug for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Authenticator(..)")
    }
}

impl Authenticator {
    /// A fresh secret, as kept (base32).
    pub fn new_secret() -> String {
        let bytes: [u8; SECRET_BYTES] = rand::random();
        totp_rs::Secret::Raw(bytes.to_vec()).to_encoded().to_string()
    }

    /// The authenticator of the secret `base32`, labelled with `account` in the app.
    pub fn new(base32: &str, account: &str) -> anyhow::Result<Authenticator> {
        let bytes = totp_rs::Secret::Encoded(base32.to_string()).to_bytes().map_err(|e| anyhow::anyhow!("authenticator secret: {e:?}"))?;
        let label = account.replace(':', "");
        let totp = TOTP::new(Algorithm::SHA1, DIGITS, 1, STEP_SECS as u64, bytes, Some(ISSUER.to_string()), label)
            .map_err(|e| anyhow::anyhow!("authenticator: {e}"))?;
        Ok(Authenticator(totp))
    }

    /// The secret as a person types it into an app: base32 in groups of four.
    pub fn secret_text(&self) -> String {
        let b32 = self.0.get_secret_base32();
        b32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
    }

    /// The `otpauth://` URL apps scan, as an SVG QR code.
    pub fn qr_svg(&self) -> String {
        match qrcode::QrCode::new(self.0.get_url().as_bytes()) {
            Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(200, 200).quiet_zone(true).build(),
            Err(_) => String::new(),
        }
    }

    /// The code for the step holding `unix`.
    pub fn code_at(&self, unix: i64) -> String {
        self.0.generate(u64::try_from(unix).unwrap_or(0))
    }

    /// The time step of `typed`, if it is the code of the step holding `now`
    /// or of the one before or after it.
    pub fn step_of(&self, typed: &str, now: i64) -> Option<i64> {
        let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
        if typed.len() != DIGITS || !typed.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let current = now.div_euclid(STEP_SECS);
        [current - 1, current, current + 1]
            .into_iter()
            .find(|step| bool::from(self.code_at(step * STEP_SECS).as_bytes().ct_eq(typed.as_bytes())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_sha1_test_vector() {
        // RFC 6238 Appendix B: the ASCII secret "12345678901234567890", T = 59 s → 94287082 (8 digits; 6: 287082).
        let secret = totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string();
        let a = Authenticator::new(&secret, "t@example.com").unwrap();
        assert_eq!(a.code_at(59), "287082");
        assert_eq!(a.code_at(1_111_111_109), "081804");
    }

    #[test]
    fn a_code_works_in_its_step_and_the_ones_beside_it_only() {
        let a = Authenticator::new(&Authenticator::new_secret(), "t@example.com").unwrap();
        let now = 1_000_000_000;
        let code = a.code_at(now);
        let step = now / STEP_SECS;
        assert_eq!(a.step_of(&code, now), Some(step));
        assert_eq!(a.step_of(&format!("{} {}", &code[..3], &code[3..]), now), Some(step), "spaces are fine");
        assert_eq!(a.step_of(&code, now + STEP_SECS), Some(step), "a slow phone");
        assert_eq!(a.step_of(&code, now + 2 * STEP_SECS), None, "a minute later");
        assert_eq!(a.step_of("12345", now), None);
        assert!(a.secret_text().split(' ').all(|g| g.len() <= 4));
        assert!(a.qr_svg().starts_with("<?xml") || a.qr_svg().contains("<svg"));
    }
}
