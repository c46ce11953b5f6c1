//! "Create account" (SPEC §2.4): the invitation must be open, the date of
//! birth must match the chart (5 wrong tries void the invitation), then the
//! chart is enrolled, the invitation used up and a session started — one
//! transaction, so a username two registrations race for goes to one.

use app::dob::DateOfBirth;
use app::ids::PatientId;
use app::phone::MobileNumber;
use app::register::{RegisterError, SecurityQuestion};
use app::secret::{Password, PasswordProblem};
use app::username::Username;

use crate::store::patients as patients_store;
use crate::store::states::InvitationState;
use crate::store::invitations::{self, Refused};
use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::enrollment::invite::{find_open, MAX_DOB_FAILURES, MAX_USERNAME_PROBES};
use crate::patients::{self, EnrollError, Enrollment};
use crate::sessions::{Person, SessionToken};
use crate::signin::{internal, start_session};
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

fn fail(e: impl std::fmt::Display + 'static) -> RegisterError {
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

/// Who the form's identity check found: the chart, and its mobile number on file.
struct Identified {
    patient_id: PatientId,
    mobile: Option<String>,
}

/// Checks the invitation, the date of birth (a wrong date is a try) and,
/// before any hash is made, that the username is free (a taken one is a
/// probe, and past `MAX_USERNAME_PROBES` the invitation is void). The first
/// post marks the link opened for the staff panel; a GET changes nothing.
async fn check_identity(svc: &Services, client: &ClientMeta, token: &SecretToken, dob: &DateOfBirth, username: &Username) -> Result<Identified, RegisterError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(fail)?;
    let inv = find_open(svc, &mut *tx, token, true, at).await.map_err(fail)?.ok_or(RegisterError::NoLongerValid)?;
    invitations::mark_opened(&mut *tx, inv.id, at).await.map_err(fail)?;
    let chart = patients_store::chart(&mut *tx, inv.patient_id).await.map_err(fail)?.ok_or(RegisterError::NoLongerValid)?;
    let refusal = if dob.compact() != chart.dob {
        let n = inv.dob_failures + 1;
        let ended = count_refusal(svc, &mut tx, &inv, Refused::Dob, n, client, at).await?;
        Some(if ended { RegisterError::NoLongerValid } else { RegisterError::DobMismatch })
    } else if let Some(clash) = patients::username_clash(&mut tx, username).await.map_err(fail)? {
        let n = inv.username_probes + 1;
        let ended = count_refusal(svc, &mut tx, &inv, Refused::Username, n, client, at).await?;
        Some(if ended { RegisterError::NoLongerValid } else { clash.into() })
    } else {
        None
    };
    tx.commit().await.map_err(fail)?;
    match refusal {
        Some(r) => Err(r),
        None => Ok(Identified { patient_id: inv.patient_id, mobile: chart.mobile }),
    }
}

/// Counts the `n`th refusal of its kind against the invitation and audits
/// it; at the kind's cap the invitation is void. True when it ended.
async fn count_refusal(
    svc: &Services,
    tx: &mut crate::store::Tx,
    inv: &invitations::OpenRow,
    refused: Refused,
    n: i64,
    client: &ClientMeta,
    at: i64,
) -> Result<bool, RegisterError> {
    let (cap, event) = match refused {
        Refused::Dob => (MAX_DOB_FAILURES, Event::RegistrationDobMismatch),
        Refused::Username => (MAX_USERNAME_PROBES, Event::RegistrationUsernameTaken),
    };
    let ended = n >= cap;
    let state = if ended { InvitationState::Void } else { InvitationState::Open };
    invitations::count_refusal(tx, inv.id, refused, n, state, at).await.map_err(fail)?;
    let detail = n.to_string();
    let entry = Entry { patient_id: Some(inv.patient_id), actor: Actor::Patient, event, detail: &detail, client };
    svc.audit.append(tx, entry, at).await.map_err(fail)?;
    Ok(ended)
}

/// The mobile number typed, or the one on file when the form still shows it
/// masked as the page pre-filled it.
fn mobile_of(typed: &str, on_file: Option<&str>) -> Result<MobileNumber, RegisterError> {
    let on_file = on_file.and_then(|m| MobileNumber::parse(m).ok());
    match on_file {
        Some(m) if typed.trim() == m.masked() => Ok(m),
        _ => MobileNumber::parse(typed).map_err(RegisterError::Phone),
    }
}

/// Registers and returns the new session's token.
pub async fn register(svc: &Services, client: &ClientMeta, token: &SecretToken, f: Form<'_>) -> Result<SessionToken, RegisterError> {
    svc.throttle.check(Endpoint::Register, client.ip).await?;
    let dob = DateOfBirth::parse(f.dob, svc.clock.today()).map_err(RegisterError::Dob)?;
    let username = Username::parse(f.username).map_err(RegisterError::Username)?;
    let Identified { patient_id, mobile } = check_identity(svc, client, token, &dob, &username).await?;
    if f.password != f.confirm {
        return Err(RegisterError::Password(PasswordProblem::Mismatch));
    }
    let question = SecurityQuestion::parse(f.question).ok_or(RegisterError::Question)?;
    let mobile = mobile_of(f.phone, mobile.as_deref())?;
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
    let account = patients::write(svc, &mut tx, &prepared, client, at).await?;
    let session = start_session(svc, &mut tx, Person { account, chart: patient_id }, None, "registration", client, at).await.map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    Ok(session)
}
