//! `portal demo`: staff and patients in every portal state, made through the
//! same domain code as real ones (idempotent: existing demo charts are kept).

use app::ids::{AccountId, PatientId};
use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::phone::MobileNumber;
use app::secret::Password;
use app::username::Username;

use crate::audit::Actor;
use crate::client::ClientMeta;
use crate::patients::{self, Enrollment, NewPatient};
use crate::Services;

pub const PATIENT_PASSWORD: &str = "Harbor-Lantern-73";
pub const STAFF_EMAIL: &str = "staff@example.com";
pub const STAFF_PASSWORD: &str = "Quiet-Maple-Desk-19";
pub const SECURITY_QUESTION: &str = "What was the name of your first pet?";
pub const SECURITY_ANSWER: &str = "Biscuit";

#[derive(Clone, Copy)]
enum State {
    NotInvited,
    Invited,
    Enrolled,
    Locked,
    Revoked,
}

/// (first, last, dob, email, mobile, state)
const PEOPLE: &[(&str, &str, &str, &str, &str, State)] = &[
    ("Alice", "Nguyen", "19850312", "alice@example.com", "(217) 555-0101", State::Enrolled),
    ("Bob", "Martinez", "19720704", "bob@example.com", "(217) 555-0102", State::Locked),
    ("Carol", "Smith", "19900115", "carol@example.com", "(217) 555-0103", State::NotInvited),
    ("David", "Okafor", "20010923", "david@example.com", "(217) 555-0104", State::Invited),
    ("Erin", "Walsh", "19661130", "erin@example.com", "(217) 555-0105", State::Revoked),
    ("Frank", "Lee", "19580202", "frank@example.com", "(217) 555-0106", State::Enrolled),
    ("Grace", "Kim", "19950517", "grace@example.com", "(217) 555-0107", State::Enrolled),
    ("Henry", "Park", "19800808", "henry@example.com", "(217) 555-0108", State::Enrolled),
    ("Ivy", "Chen", "19930321", "ivy@example.com", "(217) 555-0109", State::Enrolled),
    ("Jack", "Rivera", "19880606", "jack@example.com", "(217) 555-0110", State::Enrolled),
    ("Kate", "Novak", "19770419", "kate@example.com", "(217) 555-0111", State::Enrolled),
    ("Liam", "Byrne", "20000229", "liam@example.com", "(217) 555-0112", State::Enrolled),
    ("Maya", "Patel", "19921010", "maya@example.com", "(217) 555-0113", State::Enrolled),
    ("Noah", "Schmidt", "19640825", "noah@example.com", "(217) 555-0114", State::Enrolled),
    ("Olivia", "Rossi", "19990131", "olivia@example.com", "(217) 555-0115", State::Enrolled),
    ("Paul", "Dubois", "19830914", "paul@example.com", "(217) 555-0116", State::Enrolled),
    ("Quinn", "Murphy", "19970703", "quinn@example.com", "(217) 555-0117", State::Enrolled),
    ("Rosa", "Garcia", "19751222", "rosa@example.com", "(217) 555-0118", State::Enrolled),
    ("Sam", "Ito", "19861105", "sam@example.com", "(217) 555-0119", State::Enrolled),
];

/// Enrolls a chart with `password` and the demo security question — the same
/// path registration takes. Tests use it to make enrolled patients.
pub async fn enroll_with(svc: &Services, patient_id: PatientId, username: &str, password: &str, mobile: &str) -> anyhow::Result<AccountId> {
    let e = Enrollment {
        username: Username::parse(username).map_err(|e| anyhow::anyhow!("{e}"))?,
        password: Password::new(password),
        security_question: SECURITY_QUESTION.into(),
        security_answer: SECURITY_ANSWER.into(),
        mobile: MobileNumber::parse(mobile).map_err(|e| anyhow::anyhow!("{e}"))?,
    };
    Ok(patients::enroll(svc, patient_id, e, &ClientMeta::cli()).await?)
}

/// Locks an account the way a patient does: five wrong passwords.
async fn lock(svc: &Services, username: &str) -> anyhow::Result<()> {
    for _ in 0..crate::lockout::MAX_FAILURES {
        let wrong = Password::new("not-the-password");
        let _ = crate::signin::sign_in(svc, &ClientMeta::cli(), None, None, username, &wrong).await;
    }
    Ok(())
}

pub async fn run(svc: &Services) -> anyhow::Result<()> {
    let cli = ClientMeta::cli();
    crate::staff::add_if_missing(svc, STAFF_EMAIL, "Front Desk", STAFF_PASSWORD).await?;
    let today = svc.clock.today();
    for &(first, last, dob, email, mobile, state) in PEOPLE {
        let existing = crate::store::patients::id_by_email(&svc.store, email).await?;
        let email_addr = EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
        let id = match existing {
            Some(id) => id,
            None => {
                let p = NewPatient {
                    first_name: first.into(),
                    last_name: last.into(),
                    dob: DateOfBirth::parse(dob, today).map_err(|e| anyhow::anyhow!("{e}"))?,
                    email: Some(email_addr.clone()),
                    mobile: Some(MobileNumber::parse(mobile).map_err(|e| anyhow::anyhow!("{e}"))?),
                    language: app::i18n::Lang::En,
                };
                let id = patients::add_patient(svc, p, &cli).await?;
                match state {
                    State::NotInvited => {}
                    State::Invited => {
                        crate::enrollment::invite::invite(svc, id, crate::enrollment::invite::Invitee::Own(Some(&email_addr)), Actor::System, &cli).await?;
                    }
                    State::Enrolled | State::Locked | State::Revoked => {
                        enroll_with(svc, id, email, PATIENT_PASSWORD, mobile).await?;
                    }
                }
                if let State::Revoked = state {
                    patients::revoke(svc, id, Actor::System, &cli).await?;
                }
                id
            }
        };
        let account = crate::store::grants::own_account(&svc.store, id).await?;
        if let (State::Locked, Some(account)) = (state, account) {
            let held = crate::store::locks::read(&svc.store, crate::lockout::LockHolder::Account(account)).await?.unwrap_or_default();
            if !held.is_locked(svc.clock.now()) {
                lock(svc, email).await?;
            }
        }
    }
    family(svc).await
}

/// A demo chart made once (found again by its email), born `dob`.
async fn chart_once(svc: &Services, first: &str, last: &str, dob: &str, email: &str) -> anyhow::Result<PatientId> {
    if let Some(id) = crate::store::patients::id_by_email(&svc.store, email).await? {
        return Ok(id);
    }
    let p = NewPatient {
        first_name: first.into(),
        last_name: last.into(),
        dob: DateOfBirth::parse(dob, svc.clock.today()).map_err(|e| anyhow::anyhow!("{e}"))?,
        email: Some(EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?),
        mobile: None,
        language: app::i18n::Lang::En,
    };
    patients::add_patient(svc, p, &ClientMeta::cli()).await
}

/// `YYYYMMDD` of the day `years` years before today, moved `days` later.
fn years_ago(svc: &Services, years: i64, days: i64) -> String {
    let today = jiff::Timestamp::from_second(svc.clock.now()).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_zoned_datetime(svc.config.timezone.clone()).date();
    today
        .checked_sub(jiff::Span::new().years(years))
        .and_then(|d| d.checked_add(jiff::Span::new().days(days)))
        .map(|d| d.strftime("%Y%m%d").to_string())
        .unwrap_or_else(|_| "20100101".into())
}

/// Families and caregivers (SPEC §2.7): Alice also sees her son Ben (8, so
/// no account of his own) and her daughter Tess, who turns 18 in a week;
/// Rosa Diaz, who is no patient here, is the caregiver of Henry Okafor.
async fn family(svc: &Services) -> anyhow::Result<()> {
    use app::family::Relation;
    let cli = ClientMeta::cli();
    let ben = chart_once(svc, "Ben", "Nguyen", &years_ago(svc, 8, 0), "ben.nguyen@example.com").await?;
    let tess = chart_once(svc, "Tess", "Nguyen", &years_ago(svc, 18, 7), "tess.nguyen@example.com").await?;
    let henry = chart_once(svc, "Henry", "Okafor", "19400210", "henry.okafor@example.com").await?;
    let at = svc.clock.now();
    if let Some(alice) = crate::store::patients::id_by_email(&svc.store, "alice@example.com").await? {
        if let Some(account) = crate::store::grants::own_account(&svc.store, alice).await? {
            let mut tx = svc.store.begin_write().await?;
            crate::family::give(svc, &mut tx, account, ben, Relation::Parent, "system", &cli, at).await?;
            crate::family::give(svc, &mut tx, account, tess, Relation::Parent, "system", &cli, at).await?;
            tx.commit().await?;
        }
    }
    if crate::store::accounts::enrolled_by_username(&svc.store, CAREGIVER_USERNAME).await?.is_none() {
        let e = Enrollment {
            username: Username::parse(CAREGIVER_USERNAME).map_err(|e| anyhow::anyhow!("{e}"))?,
            password: Password::new(PATIENT_PASSWORD),
            security_question: SECURITY_QUESTION.into(),
            security_answer: SECURITY_ANSWER.into(),
            mobile: MobileNumber::parse("(217) 555-0120").map_err(|e| anyhow::anyhow!("{e}"))?,
        };
        let whose = patients::Whose::Family {
            relation: Relation::Caregiver,
            first_name: "Rosa".into(),
            last_name: "Diaz".into(),
            email: CAREGIVER_USERNAME.into(),
            dob: DateOfBirth::parse("19700505", svc.clock.today()).map_err(|e| anyhow::anyhow!("{e}"))?,
            invited_by: "system".into(),
        };
        let prepared = patients::prepare(svc, henry, e, whose).await?;
        let mut tx = svc.store.begin_write().await?;
        patients::write(svc, &mut tx, &prepared, &cli, at).await?;
        tx.commit().await?;
    }
    Ok(())
}

/// The demo caregiver's username (and email): no chart of her own.
pub const CAREGIVER_USERNAME: &str = "rosa.diaz@example.com";
