//! Patient charts and their portal accounts: creating a chart, enrolling it
//! (the domain step registration calls), and revoking access.

use app::dob::DateOfBirth;
use app::i18n::Lang;
use app::ids::{AccountId, PatientId};
use app::email::EmailAddress;
use app::family::Relation;
use app::phone::MobileNumber;
use app::secret::Password;
use app::username::Username;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::lookalike;
use crate::policy::{self, normalize_answer, PasswordProblem, PersonalWords};
use crate::sessions;
use crate::store::grants;
use crate::store::patients as store;
use crate::store::states::EnrollmentState;
use crate::store::Tx;
use crate::Services;

pub struct NewPatient {
    pub first_name: String,
    pub last_name: String,
    pub dob: DateOfBirth,
    pub email: Option<EmailAddress>,
    pub mobile: Option<MobileNumber>,
    /// The language messages go out in until the patient chooses one (SPEC §2.6).
    pub language: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum ChartProblem {
    #[error("first and last name must be 1 to 100 characters without control characters")]
    BadName,
}

fn clean_name(s: &str) -> Result<String, ChartProblem> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > 100 || s.chars().any(char::is_control) {
        return Err(ChartProblem::BadName);
    }
    Ok(s.to_string())
}

/// Creates a chart and returns its id.
pub async fn add_patient(svc: &Services, p: NewPatient, client: &ClientMeta) -> anyhow::Result<PatientId> {
    let (first, last) = (clean_name(&p.first_name)?, clean_name(&p.last_name)?);
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    let email = p.email.as_ref().map(|e| e.as_str());
    let mobile = p.mobile.as_ref().map(|m| m.e164());
    let id = store::insert(&mut tx, &first, &last, &p.dob.compact(), email, mobile, at).await?;
    store::set_language(&mut tx, id, p.language).await?;
    let entry = Entry { patient_id: Some(id), actor: Actor::System, event: Event::ChartCreated, detail: "", client };
    svc.audit.append(&mut tx, entry, at).await?;
    tx.commit().await?;
    Ok(id)
}

/// What a patient gives to enroll (SPEC §2.4).
pub struct Enrollment {
    pub username: Username,
    pub password: Password,
    pub security_question: String,
    pub security_answer: String,
    pub mobile: MobileNumber,
}

#[derive(Debug, thiserror::Error)]
pub enum EnrollError {
    #[error("no such patient")]
    NoSuchPatient,
    #[error("this patient is already enrolled")]
    AlreadyEnrolled,
    #[error("That username is taken.")]
    UsernameTaken,
    #[error("That username looks the same as one already in use.")]
    UsernameLookAlike,
    #[error("{0}")]
    WeakPassword(#[from] PasswordProblem),
    #[error("Enter a security answer.")]
    EmptyAnswer,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<sqlx::Error> for EnrollError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => EnrollError::UsernameTaken,
            _ => EnrollError::Internal(e.into()),
        }
    }
}

/// Whose account a registration makes.
pub enum Whose {
    /// The chart's own patient's.
    Own,
    /// A family member's or caregiver's, invited to the chart as `relation`
    /// by `invited_by` (an actor as the audit log writes it).
    Family { relation: Relation, first_name: String, last_name: String, email: String, dob: DateOfBirth, invited_by: String },
}

/// An enrollment checked against the chart and hashed, ready to write.
pub struct Prepared {
    whose: Whose,
    patient_id: PatientId,
    email: Option<String>,
    username: Username,
    password_hash: String,
    security_question: String,
    answer_hash: String,
    mobile: MobileNumber,
}

/// Checks the password policy and that the chart can enroll, and hashes the
/// password and the normalized answer (slow: do it before any transaction).
pub async fn prepare(svc: &Services, patient_id: PatientId, e: Enrollment, whose: Whose) -> Result<Prepared, EnrollError> {
    let store::ChartRow { dob, chart_email, invited_email, state, .. } =
        store::chart(&svc.store, patient_id).await?.ok_or(EnrollError::NoSuchPatient)?;
    let (email, dob) = match &whose {
        Whose::Own => {
            if state.is_some_and(|s| s != EnrollmentState::Invited) {
                return Err(EnrollError::AlreadyEnrolled);
            }
            (invited_email.or(chart_email), dob)
        }
        Whose::Family { email, dob, .. } => (Some(email.clone()), *dob),
    };
    let names: Vec<&str> = [Some(e.username.as_str()), email.as_deref()].into_iter().flatten().collect();
    policy::check(e.password.expose(), &PersonalWords { usernames: &names, dob: Some(&dob.compact()) })?;
    let answer = normalize_answer(&e.security_answer);
    if answer.is_empty() {
        return Err(EnrollError::EmptyAnswer);
    }
    let password_hash = svc.hasher.hash(e.password.expose().to_string()).await.map_err(anyhow::Error::from)?;
    let answer_hash = svc.hasher.hash(answer).await.map_err(anyhow::Error::from)?;
    Ok(Prepared {
        whose,
        patient_id,
        email,
        username: e.username,
        password_hash,
        security_question: e.security_question,
        answer_hash,
        mobile: e.mobile,
    })
}

/// Why another account's username (the same, or one that looks the same)
/// stands in the way of `username`, if one does.
pub async fn username_clash(tx: &mut Tx, username: &Username) -> sqlx::Result<Option<EnrollError>> {
    let key = lookalike::key(username);
    Ok(match store::username_with_key(tx, &key).await? {
        Some(name) if name == username.as_str() => Some(EnrollError::UsernameTaken),
        Some(_) => Some(EnrollError::UsernameLookAlike),
        None => None,
    })
}

/// Records a prepared enrollment in `tx`. A username another account holds,
/// or one that looks the same (`lookalike`), is refused; the unique indexes
/// settle a race: of two registrations for one name exactly one wins.
pub async fn write(svc: &Services, tx: &mut Tx, p: &Prepared, client: &ClientMeta, at: i64) -> Result<AccountId, EnrollError> {
    if let Some(clash) = username_clash(tx, &p.username).await? {
        return Err(clash);
    }
    let key = lookalike::key(&p.username);
    if let Whose::Family { relation, first_name, last_name, email, dob, invited_by } = &p.whose {
        let chart = store::chart(&mut **tx, p.patient_id).await?.ok_or(EnrollError::NoSuchPatient)?;
        let new = crate::store::accounts::NewFamilyAccount {
            username: p.username.as_str(),
            username_key: &key,
            password_hash: &p.password_hash,
            security_question: &p.security_question,
            answer_hash: &p.answer_hash,
            first_name,
            last_name,
            email,
            dob: &dob.compact(),
            mobile: p.mobile.e164(),
            language: chart.language,
        };
        let account = crate::store::accounts::insert_family(tx, &new, at).await?;
        crate::family::give(svc, tx, account, p.patient_id, *relation, invited_by, client, at).await?;
        return Ok(account);
    }
    let enrolled = store::Enrolled {
        patient_id: p.patient_id,
        email: p.email.as_deref(),
        username: p.username.as_str(),
        username_key: &key,
        password_hash: &p.password_hash,
        security_question: &p.security_question,
        answer_hash: &p.answer_hash,
    };
    let Some(account) = store::enroll(tx, &enrolled, at).await? else {
        return Err(EnrollError::AlreadyEnrolled);
    };
    crate::store::accounts::set_mobile(tx, p.patient_id, p.mobile.e164()).await?;
    let entry = Entry { patient_id: Some(p.patient_id), actor: Actor::Patient, event: Event::Enrolled, detail: "", client };
    svc.audit.append(tx, entry, at).await?;
    Ok(account)
}

/// Enrolls a chart, all or nothing (the demo and tests; patients register):
/// its patient's new account.
pub async fn enroll(svc: &Services, patient_id: PatientId, e: Enrollment, client: &ClientMeta) -> Result<AccountId, EnrollError> {
    let prepared = prepare(svc, patient_id, e, Whose::Own).await?;
    let mut tx = svc.store.begin_write().await?;
    let account = write(svc, &mut tx, &prepared, client, svc.clock.now()).await?;
    tx.commit().await?;
    Ok(account)
}

/// Turns the chart's own portal access off: ends its patient's sessions and
/// reset links, and the chart's invitations.
pub async fn revoke(svc: &Services, patient_id: PatientId, actor: Actor, client: &ClientMeta) -> anyhow::Result<()> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    store::set_state(&mut tx, patient_id, EnrollmentState::Revoked, at).await?;
    if let Some(account) = grants::own_account(&mut *tx, patient_id).await? {
        // Everything that depended on the access ends with it (SPEC §5).
        sessions::end_all_of_account(&mut tx, account).await?;
        crate::store::flows::void_open(&mut tx, account, at).await?;
        crate::store::two_step::end_challenges(&mut tx, account, at).await?;
        crate::store::passkeys::end_ceremonies_of(&mut tx, account, at).await?;
    }
    crate::store::invitations::void_open(&mut tx, patient_id, at).await?;
    let entry = Entry { patient_id: Some(patient_id), actor, event: Event::AccessRevoked, detail: "", client };
    svc.audit.append(&mut tx, entry, at).await?;
    tx.commit().await?;
    Ok(())
}
