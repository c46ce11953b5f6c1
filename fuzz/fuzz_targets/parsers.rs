//! The shared parsers (date of birth, mobile number, username, email, code)
//! on arbitrary text: they never panic, and what they accept is canonical —
//! parsing their own output gives back the same value.
#![no_main]

use app::code::SecurityCode;
use app::dob::{DateOfBirth, Ymd};
use app::email::EmailAddress;
use app::phone::MobileNumber;
use app::username::Username;
use libfuzzer_sys::fuzz_target;

const TODAY: Ymd = Ymd { year: 2026, month: 11, day: 26 };

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else { return };
    if let Ok(d) = DateOfBirth::parse(s, TODAY) {
        let again = DateOfBirth::parse(&d.compact(), TODAY).expect("a date's own form parses");
        assert_eq!(again.compact(), d.compact());
        assert!(d.ymd() <= TODAY && d.ymd().year >= 1900);
    }
    if let Ok(p) = MobileNumber::parse(s) {
        assert_eq!(p.e164().len(), 12);
        assert_eq!(MobileNumber::parse(p.e164()).as_ref(), Ok(&p));
        assert_eq!(MobileNumber::parse(&p.national()).as_ref(), Ok(&p));
        assert_eq!(p.last_four().len(), 4);
    }
    if let Ok(u) = Username::parse(s) {
        assert!(!u.as_str().is_empty());
        assert_eq!(Username::parse(u.as_str()).map(|again| again.as_str().to_string()), Ok(u.as_str().to_string()));
    }
    if let Ok(e) = EmailAddress::parse(s) {
        assert_eq!(EmailAddress::parse(e.as_str()).map(|again| again.as_str().to_string()), Ok(e.as_str().to_string()));
    }
    for digits in [5, 6, 8] {
        if let Ok(c) = SecurityCode::parse(s, digits) {
            assert!(c.expose().len() == digits && c.expose().bytes().all(|b| b.is_ascii_digit()));
        }
    }
});
