//! "Create account" and "Link to my account" (SPEC §2.4, §2.7): the
//! invitation must be open, the date of birth and the access code (or a
//! code texted to the chart's mobile) must match it (5 wrong tries void the invitation), then the chart is enrolled (or the
//! family member's account made, or the existing account given the chart),
//! the invitation used up and a session started — one transaction, so a
//! username two registrations race for goes to one.

use crate::internal::Internal as _;
use app::access_code::AccessCode;
use app::dob::DateOfBirth;
use app::ids::PatientId;
use app::phone::MobileNumber;
use app::register::{RegisterError, SecurityQuestion};
use app::secret::{Password, PasswordProblem};
use app::username::Username;

use crate::store::patients as patients_store;
use crate::store::states::{EnrollmentState, InvitationState, Relationship};
use crate::store::{accounts, grants};
use crate::store::invitations::{self, Refused};
use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::enrollment::invite::{find_open_for_update, MAX_DOB_FAILURES, MAX_USERNAME_PROBES};
use crate::enrollment::text_code;
use crate::patients::{self, EnrollError, Enrollment, Whose};
use crate::sessions::{Person, SessionToken};
use crate::signin::SignedIn;
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;

/// The registration form as posted.
pub struct Form<'a> {
    pub dob: &'a str,
    pub code: &'a str,
    /// A family member's own date of birth (ignored on a patient's own invitation).
    pub your_dob: &'a str,
    pub username: &'a str,
    pub password: &'a Password,
    pub confirm: &'a Password,
    pub question: &'a str,
    pub answer: &'a str,
    pub phone: &'a str,
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
            EnrollError::Internal(e) => RegisterError::internal(e),
        }
    }
}

/// What "Access code" held: the practice's code, or a code texted to the chart's mobile.
enum Proof {
    Access(AccessCode),
    Texted(String),
}

impl Proof {
    fn parse(typed: &str) -> Result<Proof, RegisterError> {
        if text_code::is_code_shaped(typed) {
            return Ok(Proof::Texted(typed.trim().to_string()));
        }
        AccessCode::parse(typed).map(Proof::Access).map_err(RegisterError::AccessCode)
    }
}

/// Who the form's identity check found: the chart, its patient's date of
/// birth and mobile number on file, and the invitation.
struct Identified {
    patient_id: PatientId,
    mobile: Option<MobileNumber>,
    invitation: invitations::OpenRow,
}

/// Checks the invitation, the date of birth (a wrong date is a try) and,
/// before any hash is made, that the username is free (a taken one is a
/// probe, and past `MAX_USERNAME_PROBES` the invitation is void). The first
/// post marks the link opened for the staff panel; a GET changes nothing.
async fn check_identity(
    svc: &Services,
    client: &ClientMeta,
    token: &SecretToken,
    dob: &DateOfBirth,
    proof: &Proof,
    username: Option<&Username>,
) -> Result<Identified, RegisterError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(RegisterError::internal)?;
    let inv = find_open_for_update(svc, &mut tx, token, at).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    // An invitation sent before access codes can't be checked: the practice sends a new one.
    let code_mac = inv.access_code_mac.clone().ok_or(RegisterError::NoLongerValid)?;
    invitations::mark_opened(&mut *tx, inv.id, at).await.map_err(RegisterError::internal)?;
    let chart = patients_store::chart(&mut *tx, inv.patient_id).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    // Both are checked whatever the first says: the answer tells neither apart.
    let code_right = match proof {
        Proof::Access(code) => svc.access_codes.matches(&inv.token_hash, &code_mac, code),
        Proof::Texted(typed) => text_code::matches(&inv, token, typed, at),
    };
    let refusal = if (*dob != chart.dob) | !code_right {
        let n = inv.dob_failures + 1;
        let ended = count_refusal(svc, &mut tx, &inv, Refused::Dob, n, client, at).await?;
        Some(if ended { RegisterError::NoLongerValid } else { RegisterError::DobMismatch })
    } else if let Some(clash) = match username {
        Some(u) => patients::username_clash(&mut tx, u).await.map_err(RegisterError::internal)?,
        None => None,
    } {
        let n = inv.username_probes + 1;
        let ended = count_refusal(svc, &mut tx, &inv, Refused::Username, n, client, at).await?;
        Some(if ended { RegisterError::NoLongerValid } else { clash.into() })
    } else {
        None
    };
    tx.commit().await.map_err(RegisterError::internal)?;
    match refusal {
        Some(r) => Err(r),
        None => Ok(Identified { patient_id: inv.patient_id, mobile: chart.mobile, invitation: inv }),
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
    invitations::count_refusal(tx, inv.id, refused, n, state, at).await.map_err(RegisterError::internal)?;
    let detail = n.to_string();
    let entry = Entry { patient_id: Some(inv.patient_id), actor: Actor::Patient, event, detail: &detail, client };
    svc.audit.append(tx, entry, at).await.map_err(RegisterError::internal)?;
    Ok(ended)
}

/// The mobile number typed, or the one on file when the form still shows it
/// masked as the page pre-filled it.
fn mobile_of(typed: &str, on_file: Option<MobileNumber>) -> Result<MobileNumber, RegisterError> {
    match on_file {
        Some(m) if typed.trim() == m.masked() => Ok(m),
        _ => MobileNumber::parse(typed).map_err(RegisterError::Phone),
    }
}

/// Registers and returns the new session's token.
pub async fn register(svc: &Services, client: &ClientMeta, token: &SecretToken, f: Form<'_>) -> Result<SessionToken, RegisterError> {
    svc.throttle.check(Endpoint::Register, client.ip).await?;
    let dob = DateOfBirth::parse(f.dob, svc.clock.today()).map_err(RegisterError::Dob)?;
    let proof = Proof::parse(f.code)?;
    let username = Username::parse(f.username).map_err(RegisterError::Username)?;
    let Identified { patient_id, mobile, invitation } = check_identity(svc, client, token, &dob, &proof, Some(&username)).await?;
    if f.password != f.confirm {
        return Err(RegisterError::Password(PasswordProblem::Mismatch));
    }
    let question = SecurityQuestion::parse(f.question).ok_or(RegisterError::Question)?;
    let whose = match invitation.relationship.and_then(|r| r.relation()) {
        None => Whose::Own,
        Some(relation) => {
            let your_dob = DateOfBirth::parse(f.your_dob, svc.clock.today()).map_err(RegisterError::YourDob)?;
            let name = invitation.invitee_name.clone().unwrap_or_default();
            let (first_name, last_name) = name.trim().split_once(' ').map(|(a, b)| (a.to_string(), b.trim().to_string())).unwrap_or((name.trim().to_string(), String::new()));
            let invited_by = invitation.invited_by.clone().unwrap_or_else(|| "staff".into());
            Whose::Family { relation, first_name, last_name, email: invitation.email.clone(), dob: your_dob, invited_by }
        }
    };
    // The chart's mobile is its patient's: a family member's form shows none to keep.
    let on_file = if matches!(whose, Whose::Own) { mobile } else { None };
    let mobile = mobile_of(f.phone, on_file)?;
    let enrollment = Enrollment {
        username,
        password: f.password.clone(),
        security_question: question.as_str().to_string(),
        security_answer: f.answer.to_string(),
        mobile,
    };
    let prepared = patients::prepare(svc, patient_id, enrollment, whose).await?;

    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(RegisterError::internal)?;
    let inv = find_open_for_update(svc, &mut tx, token, at).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    invitations::mark_used(&mut tx, inv.id, at).await.map_err(RegisterError::internal)?;
    let account = patients::write(svc, &mut tx, &prepared, client, at).await?;
    let session = crate::sessions::start(svc, &mut tx, Person { account, chart: Some(patient_id) }, None, crate::sessions::Proved::Registration, client, at).await.map_err(RegisterError::internal)?;
    tx.commit().await.map_err(RegisterError::internal)?;
    Ok(session)
}

/// "Link to my account": what the form carried.
pub struct LinkForm<'a> {
    pub dob: &'a str,
    pub code: &'a str,
    pub username: &'a str,
    pub password: &'a Password,
}

/// "Link to my account" (SPEC §2.4): the invitation's date of birth and
/// access code (counted like registration's), then the account's username
/// and password through sign-in itself (its lock, its second step). The
/// chart is added to the account once the password is right; what sign-in
/// opened (a session, or the second step) is returned for the cookies.
pub async fn link(svc: &Services, client: &ClientMeta, token: &SecretToken, old: Option<SessionToken>, device: Option<SecretToken>, f: LinkForm<'_>) -> Result<SignedIn, RegisterError> {
    svc.throttle.check(Endpoint::Register, client.ip).await?;
    let dob = DateOfBirth::parse(f.dob, svc.clock.today()).map_err(RegisterError::Dob)?;
    let proof = Proof::parse(f.code)?;
    let username = Username::parse(f.username).map_err(RegisterError::Username)?;
    let Identified { patient_id, .. } = check_identity(svc, client, token, &dob, &proof, None).await?;
    let opened = crate::signin::sign_in(svc, client, old, device, username.as_str(), f.password).await?;

    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(RegisterError::internal)?;
    let inv = find_open_for_update(svc, &mut tx, token, at).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    let account = accounts::by_username(&svc.store, username.as_str(), at).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    invitations::mark_used(&mut tx, inv.id, at).await.map_err(RegisterError::internal)?;
    let already = grants::relationship(&mut *tx, account.account_id, patient_id, at).await.map_err(RegisterError::internal)?;
    match (inv.relationship.and_then(|r| r.relation()), already) {
        (_, Some(_)) => {}
        (None, None) => {
            // The chart's own patient, with an account from before (a family member's, say).
            if accounts::of_account(&mut *tx, account.account_id).await.map_err(RegisterError::internal)?.and_then(|a| a.own_chart).is_some() {
                return Err(RegisterError::AlreadyEnrolled);
            }
            grants::insert(&mut tx, account.account_id, patient_id, Relationship::Own, "patient", at, None).await.map_err(RegisterError::internal)?;
            patients_store::set_state(&mut tx, patient_id, EnrollmentState::Enrolled, at).await.map_err(RegisterError::internal)?;
            let entry = Entry { patient_id: Some(patient_id), actor: Actor::Patient, event: Event::Enrolled, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(RegisterError::internal)?;
        }
        (Some(relation), None) => {
            let by = inv.invited_by.clone().unwrap_or_else(|| "staff".into());
            crate::family::give(svc, &mut tx, account.account_id, patient_id, relation, &by, client, at).await.map_err(RegisterError::internal)?;
        }
    }
    tx.commit().await.map_err(RegisterError::internal)?;
    Ok(opened)
}
