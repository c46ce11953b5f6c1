//! SPEC §5's one rule for every credential change, in one place: the current
//! password first ([`reauth`]: a wrong one counts toward the lock, so a
//! borrowed session can't be used to guess it), a recent second step where
//! two-step verification is on ([`step_up`]), and the change audited and
//! confirmed by email in the transaction that makes it ([`confirm`],
//! [`tell`]); a new password, whoever set it, ends what the old one let in
//! ([`replace_password`]). Settings' password, security question and
//! mobile number changes are here; passkeys, two-step verification, a
//! reset and family access call the same pieces.

pub mod step_up;

use crate::internal::Internal as _;
use app::i18n::{t, Lang, Setting};
use app::ids::{AccountId, PatientId};
use app::error::PortalError;
use app::phone::MobileNumber;
use app::register::SecurityQuestion;
use app::secret::{Password, PasswordProblem};
use app::settings::SettingsError;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::lockout;
use crate::outbox::{self, Channel, Message};
use crate::policy::{self, normalize_answer, PersonalWords};
use crate::sessions::{self, Person, SessionToken};
use crate::password::check_password;
use crate::store::accounts;
use crate::store::states::EnrollmentState;
use crate::store::Tx;
use crate::throttle::Endpoint;
use crate::Services;

pub(crate) struct Account {
    /// The account, on its own chart (where what it changes is audited).
    who: Person,
    /// `None` for a family member or caregiver with no chart of their own.
    own_chart: Option<PatientId>,
    first_name: String,
    email: Option<String>,
    username: String,
    dob: app::dob::DateOfBirth,
    lang: Lang,
}

impl Account {
    /// The account's own chart, if its person is a patient here.
    pub(crate) fn own_chart(&self) -> Option<PatientId> {
        self.own_chart
    }
}

/// The account, once `current` proved to be its password.
pub(crate) async fn reauth(svc: &Services, client: &ClientMeta, who: Person, current: &Password) -> Result<Account, SettingsError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let current = current.for_sign_in().map_err(|p| SettingsError::Portal(p.into()))?.to_string();
    let a = accounts::of_account(&svc.store, who.account)
        .await
        .map_err(SettingsError::internal)?
        .filter(|a| a.state == EnrollmentState::Enrolled)
        .ok_or(SettingsError::Portal(PortalError::NotSignedIn))?;
    let own = Person { account: a.account_id, chart: a.patient_id };
    let secret = (current, a.password_hash);
    let t = match check_password(svc, own, client, secret, Event::SettingsPasswordFailed, Event::SettingsRefusedLocked).await? {
        Ok(t) => t,
        Err(wrong) => return Err(if wrong.locks { PortalError::Locked.into() } else { SettingsError::WrongPassword }),
    };
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    let open = lockout::settle(&svc.lockout, &mut tx, &t, svc.clock.now()).await.map_err(SettingsError::internal)?;
    tx.commit().await.map_err(SettingsError::internal)?;
    if !open {
        return Err(PortalError::Locked.into());
    }
    Ok(Account { who: own, own_chart: a.own_chart, first_name: a.first_name, email: a.email, username: a.username, dob: a.dob, lang: a.language })
}

/// Emails the person that `what` changed (SPEC §5: every credential change
/// is emailed to the account), in `tx`; nothing without an address.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn tell(svc: &Services, tx: &mut Tx, to: Option<&str>, first_name: &str, lang: Lang, chart: Option<PatientId>, what: Setting, at: i64) -> sqlx::Result<()> {
    let Some(email) = to else { return Ok(()) };
    let body = t::changed_body(lang, first_name, what);
    let subject = t::changed_subject(lang, what);
    let m = Message { channel: Channel::Email, to: email, subject: &subject, body: &body, lang, patient_id: chart };
    outbox::enqueue(tx, &svc.bodies, &m, at).await.map(|_| ())
}

/// Emails the patient that `what` changed and audits `event`, in `tx`.
pub(crate) async fn confirm(svc: &Services, tx: &mut Tx, a: &Account, client: &ClientMeta, event: Event, what: Setting, at: i64) -> Result<(), SettingsError> {
    tell(svc, tx, a.email.as_deref(), &a.first_name, a.lang, a.who.chart, what, at).await.map_err(SettingsError::internal)?;
    let entry = Entry { patient_id: a.who.chart, actor: Actor::Patient, event, detail: "", client };
    svc.audit.append(tx, entry, at).await.map_err(SettingsError::internal)
}

/// A new password. Every session of the account ends, this one too, and it
/// goes on in a fresh session (keeping `stepped_up_at`, this one's recent
/// second step) whose token is returned; open reset links die.
pub async fn change_password(
    svc: &Services,
    client: &ClientMeta,
    who: Person,
    current: &Password,
    new: &Password,
    confirm_new: &Password,
    stepped_up_at: Option<i64>,
) -> Result<SessionToken, SettingsError> {
    let a = reauth(svc, client, who, current).await?;
    if new != confirm_new {
        return Err(SettingsError::Password(PasswordProblem::Mismatch));
    }
    let names: Vec<&str> = [Some(a.username.as_str()), a.email.as_deref()].into_iter().flatten().collect();
    policy::check(new.expose(), &PersonalWords { usernames: &names, dob: Some(&a.dob.compact()) }).map_err(SettingsError::Password)?;
    let hash = svc.hasher.hash(new.expose().to_string()).await.map_err(|e| SettingsError::Portal(e.into()))?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    replace_password(svc, &mut tx, who.account, &hash, client, at).await.map_err(SettingsError::internal)?;
    let fresh = sessions::create_patient(&mut tx, who, at, stepped_up_at).await.map_err(SettingsError::internal)?;
    confirm(svc, &mut tx, &a, client, Event::PasswordChanged, Setting::Password, at).await?;
    tx.commit().await.map_err(SettingsError::internal)?;
    Ok(fresh)
}

/// What a new password does to an account, whoever set it (settings or a
/// reset), in `tx`: the hash replaced, every session of the account ended,
/// open reset links voided, remembered devices forgotten and waiting second
/// steps ended. The caller confirms it (email, audit) and says what else
/// follows (a fresh session, the lock cleared).
pub(crate) async fn replace_password(svc: &Services, tx: &mut Tx, account: AccountId, hash: &str, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
    accounts::set_password(tx, account, hash, at).await?;
    sessions::end_all_of_account(tx, account).await?;
    crate::store::flows::void_open(tx, account, at).await?;
    forget_what_it_let_through(svc, tx, account, client, at).await
}

/// Forgets what the old password let through: every remembered device, and
/// every second step waiting (SPEC §2.5); audited when there were devices to forget.
async fn forget_what_it_let_through(svc: &Services, tx: &mut Tx, account: AccountId, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
    let devices = crate::store::two_step::forget_devices(tx, account).await?;
    if devices > 0 {
        svc.audit.append_for_account(tx, account, Event::DevicesForgotten, &devices.to_string(), client, at).await?;
    }
    crate::store::two_step::end_challenges(tx, account, at).await
}

pub async fn change_question(svc: &Services, client: &ClientMeta, who: Person, current: &Password, question: &str, answer: &str) -> Result<(), SettingsError> {
    let question = SecurityQuestion::parse(question).ok_or(SettingsError::Question)?;
    let answer = normalize_answer(answer);
    if answer.is_empty() {
        return Err(SettingsError::EmptyAnswer);
    }
    let a = reauth(svc, client, who, current).await?;
    let hash = svc.hasher.hash(answer).await.map_err(|e| SettingsError::Portal(e.into()))?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    accounts::set_question(&mut tx, who.account, question.as_str(), &hash, at).await.map_err(SettingsError::internal)?;
    confirm(svc, &mut tx, &a, client, Event::SecurityQuestionChanged, Setting::SecurityQuestion, at).await?;
    tx.commit().await.map_err(SettingsError::internal)
}

pub async fn change_mobile(svc: &Services, client: &ClientMeta, who: Person, current: &Password, phone: &str) -> Result<(), SettingsError> {
    let mobile = MobileNumber::parse(phone).map_err(SettingsError::Phone)?;
    let a = reauth(svc, client, who, current).await?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(SettingsError::internal)?;
    accounts::set_account_mobile(&mut tx, a.who.account, a.own_chart, mobile.e164()).await.map_err(SettingsError::internal)?;
    confirm(svc, &mut tx, &a, client, Event::MobileChanged, Setting::MobileNumber, at).await?;
    tx.commit().await.map_err(SettingsError::internal)
}
