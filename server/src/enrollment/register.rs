//! "Create account" (SPEC §2.4): the invitation must be open, the date of
//! birth must match the chart (5 wrong tries void the invitation), then the
//! chart is enrolled, the invitation used up and a session started — one
//! transaction, so a username two registrations race for goes to one.

use app::dob::DateOfBirth;
use app::phone::MobileNumber;
use app::register::{RegisterError, SecurityQuestion};
use app::secret::{Password, PasswordProblem};
use app::username::Username;

use crate::store::patients as patients_store;
use crate::store::states::InvitationState;
use crate::store::invitations;
use crate::audit::Entry;
use crate::client::ClientMeta;
use crate::enrollment::invite::{find_open, MAX_DOB_FAILURES};
use crate::patients::{self, EnrollError, Enrollment};
use crate::sessions::{self, SessionToken, Subject};
use crate::signin::internal;
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;

/// The registration form as posted.
pub struct Form<'a> {
    pub dob: &'a str,
    pub username: &'a str,
    pub password: &'a Password,
    pub confirm: &'a Password,
    pub question: &'a str,
    pub answer: &'a str,
    pub phone: &'a str,
}

fn fail(e: impl std::fmt::Display) -> RegisterError {
    RegisterError::Portal(internal(e))
}

impl From<EnrollError> for RegisterError {
    fn from(e: EnrollError) -> Self {
        match e {
            EnrollError::UsernameTaken => RegisterError::UsernameTaken,
            EnrollError::UsernameLookAlike => RegisterError::UsernameLookAlike,
            EnrollError::AlreadyEnrolled => RegisterError::AlreadyEnrolled,
            EnrollError::WeakPassword(p) => RegisterError::Password(p),
            EnrollError::EmptyAnswer => RegisterError::EmptyAnswer,
            EnrollError::NoSuchPatient => RegisterError::NoLongerValid,
            EnrollError::Internal(e) => fail(e),
        }
    }
}

/// Checks the invitation and the date of birth; a wrong date is a try.
async fn check_identity(svc: &Services, client: &ClientMeta, token: &SecretToken, dob: &DateOfBirth) -> Result<i64, RegisterError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(fail)?;
    let inv = find_open(svc, &mut *tx, token, true, at).await.map_err(fail)?.ok_or(RegisterError::NoLongerValid)?;
    let chart_dob = patients_store::chart(&mut *tx, inv.patient_id).await.map_err(fail)?.ok_or(RegisterError::NoLongerValid)?.dob;
    if dob.compact() == chart_dob {
        return Ok(inv.patient_id);
    }
    let failures = inv.dob_failures + 1;
    let ended = failures >= MAX_DOB_FAILURES;
    let state = if ended { InvitationState::Void } else { InvitationState::Open };
    invitations::count_dob_failure(&mut tx, inv.id, failures, state, at).await.map_err(fail)?;
    let detail = failures.to_string();
    let entry = Entry { patient_id: Some(inv.patient_id), actor: "patient", event: "registration_dob_mismatch", detail: &detail, client };
    svc.audit.append(&mut tx, entry, at).await.map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Err(if ended { RegisterError::NoLongerValid } else { RegisterError::DobMismatch })
}

/// Registers and returns the new session's token.
pub async fn register(svc: &Services, client: &ClientMeta, token: &SecretToken, f: Form<'_>) -> Result<SessionToken, RegisterError> {
    svc.throttle.check(Endpoint::Register, client.ip)?;
    let dob = DateOfBirth::parse(f.dob, svc.clock.today()).map_err(RegisterError::Dob)?;
    let patient_id = check_identity(svc, client, token, &dob).await?;
    let username = Username::parse(f.username).map_err(RegisterError::Username)?;
    if f.password != f.confirm {
        return Err(RegisterError::Password(PasswordProblem::Mismatch));
    }
    let question = SecurityQuestion::parse(f.question).ok_or(RegisterError::Question)?;
    let mobile = MobileNumber::parse(f.phone).map_err(RegisterError::Phone)?;
    let enrollment = Enrollment {
        username,
        password: f.password.clone(),
        security_question: question.as_str().to_string(),
        security_answer: f.answer.to_string(),
        mobile,
    };
    let prepared = patients::prepare(svc, patient_id, enrollment).await?;

    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(fail)?;
    let inv = find_open(svc, &mut *tx, token, true, at).await.map_err(fail)?.ok_or(RegisterError::NoLongerValid)?;
    invitations::mark_used(&mut tx, inv.id, at).await.map_err(fail)?;
    patients::write(svc, &mut tx, &prepared, client, at).await?;
    crate::store::accounts::mark_signed_in(&mut tx, patient_id, at).await.map_err(fail)?;
    let session = sessions::create(&mut tx, Subject::Patient, patient_id, at).await.map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(session)
}
