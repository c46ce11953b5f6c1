//! The shared value types deserialize through their parsers (parse, don't
//! validate): JSON can't build a `MobileNumber`, `EmailAddress`, `Username`,
//! `SecurityCode` or `DateOfBirth` that typing it couldn't, and a refusal
//! carries the parser's own message.

use app::code::{CodeProblem, SecurityCode, DEFAULT_CODE_DIGITS};
use app::dob::{DateOfBirth, DobProblem};
use app::email::{EmailAddress, EmailProblem};
use app::error::InputProblem;
use app::phone::{MobileNumber, PhoneProblem};
use app::username::Username;

/// The serde error for `json` as a `T`, which must say `expected`.
fn refused<T: serde::de::DeserializeOwned + std::fmt::Debug>(json: &str, expected: impl std::fmt::Display) {
    let err = serde_json::from_str::<T>(json).expect_err(json);
    assert!(err.to_string().contains(&expected.to_string()), "{json}: {err}");
}

#[test]
fn bad_values_are_refused_with_the_parsers_message() {
    refused::<MobileNumber>(r#""555-0101""#, PhoneProblem);
    refused::<MobileNumber>(r#""+10005550101""#, PhoneProblem);
    refused::<EmailAddress>(r#""alice@localhost""#, EmailProblem);
    refused::<Username>(r#""   ""#, InputProblem::UsernameMissing);
    refused::<Username>(r#""alice\u202e@example.com""#, InputProblem::UsernameInvalid);
    refused::<SecurityCode>(r#""1234567""#, CodeProblem(DEFAULT_CODE_DIGITS));
    refused::<DateOfBirth>(r#"{"year":1985,"month":2,"day":30}"#, DobProblem::NoSuchDate);
    refused::<DateOfBirth>(r#"{"year":1850,"month":3,"day":12}"#, DobProblem::Before1900);
}

#[test]
fn good_values_come_out_in_their_canonical_form() {
    let phone: MobileNumber = serde_json::from_str(r#""(217) 555-0101""#).unwrap();
    assert_eq!(phone.e164(), "+12175550101");
    let email: EmailAddress = serde_json::from_str(r#"" Alice@Example.com ""#).unwrap();
    assert_eq!(email.as_str(), "alice@example.com");
    let name: Username = serde_json::from_str(r#""Alice@Example.com""#).unwrap();
    assert_eq!(name.as_str(), "alice@example.com");
    let code: SecurityCode = serde_json::from_str(r#""12 345""#).unwrap();
    assert_eq!(code.expose(), "12345");
    let dob: DateOfBirth = serde_json::from_str(r#"{"year":1985,"month":3,"day":12}"#).unwrap();
    assert_eq!(dob.compact(), "19850312");
    // And what is serialized reads back as itself.
    assert_eq!(serde_json::from_str::<MobileNumber>(&serde_json::to_string(&phone).unwrap()).unwrap(), phone);
    assert_eq!(serde_json::from_str::<DateOfBirth>(&serde_json::to_string(&dob).unwrap()).unwrap(), dob);
}
