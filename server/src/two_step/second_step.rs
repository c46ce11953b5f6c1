//! The sign-in's second step (SPEC §2.1): after a right password, a patient
//! with two-step verification on gets no session, only a 10-minute second
//! step (its token in a cookie) and, by text or email, a 6-digit code. A right
//! code, authenticator code or unused backup code makes the session; 5 wrong
//! ones end the step, and each counts toward the account's lock, whose earlier
//! failures stay counted until the step passes. "Resend code" keeps the
//! reset's rules (60 s apart, 3 sends). A remembered device skips the step.

use crate::internal::Internal as _;
use app::i18n::Lang;
use app::ids::AccountId;
use app::error::PortalError;
use app::two_step::{CodesBy, TwoStepError, TypedCode, VerifyView, REMEMBER_DAYS};

use crate::audit::Event;
use crate::authenticator::Authenticator;
use crate::client::ClientMeta;
use crate::lockout::{self, Attempt, LockHolder, Try};
use crate::outbox::{self, Channel, Message};
use crate::recovery::code;
use crate::two_step::flow::{SecondStep, Wrong};
use crate::sessions::{Person, SessionToken};
use crate::internal::internal;
use crate::store::states::{EnrollmentState, TwoStepMethod};
use crate::store::two_step::{self as store, ChallengeRow};
use crate::store::{accounts, grants, Tx};
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::two_step::{codes, send_cap};
use crate::Services;

pub use crate::two_step::flow::LIFE_SECS;
pub const REMEMBER_SECS: i64 = REMEMBER_DAYS * 24 * 60 * 60;

/// Audits `event` of `account` on the chart it signs in to.
async fn note(svc: &Services, tx: &mut Tx, account: AccountId, event: Event, detail: &str, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
    svc.audit.append_for_account(tx, account, event, detail, client, at).await
}

/// How the patient's codes come (`on`, as the sign-in read it), when a sign-in
/// needs the second step: it is on and this device is not remembered for the patient.
pub async fn needed(svc: &Services, account: AccountId, on: Option<TwoStepMethod>, device: Option<&SecretToken>) -> Result<Option<TwoStepMethod>, PortalError> {
    let Some(method) = on else {
        return Ok(None);
    };
    if let Some(device) = device {
        if store::device_remembered(&svc.store, &device.storage_key(), account, svc.clock.now()).await.map_err(internal)? {
            return Ok(None);
        }
    }
    Ok(Some(method))
}

/// Where a code by `method` goes: the mobile number or the email on the account.
fn destination(account: Option<accounts::AccountRow>, method: TwoStepMethod) -> Option<(Channel, String, Lang)> {
    account.and_then(|a| match method {
        TwoStepMethod::Text => a.mobile.map(|m| (Channel::Sms, m.e164().to_string(), a.language)),
        TwoStepMethod::Email => a.email.map(|e| (Channel::Email, e, a.language)),
        TwoStepMethod::App => None,
    })
}

/// What became of a code to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Sent,
    /// The account has no number or email for the method any more.
    NoDestination,
    /// The account's codes for now are used (SPEC §5).
    Capped,
}

/// Sends a new code for the second step `c` (keyed by its token), in `tx`,
/// unless there is nowhere to send it or the account's cap is reached.
async fn send(svc: &Services, tx: &mut Tx, c: &ChallengeRow, token: &SecretToken, client: &ClientMeta, at: i64) -> sqlx::Result<Sent> {
    let Some((channel, to, lang)) = destination(accounts::of_account(&mut **tx, c.account_id).await?, c.method) else {
        note(svc, tx, c.account_id, Event::TwoStepCodeUndeliverable, c.method.as_str(), client, at).await?;
        return Ok(Sent::NoDestination);
    };
    // Held for the cap's count (setup holds the same row).
    store::setting_for_update(&svc.store, tx, c.account_id).await?;
    if !send_cap::take(tx, c.account_id, at).await? {
        note(svc, tx, c.account_id, Event::TwoStepCodesCapped, channel.as_str(), client, at).await?;
        return Ok(Sent::Capped);
    }
    let code = codes::new_code();
    store::challenge_code_sent(tx, c.id, &code::digest(&code, token.expose()), at, at + LIFE_SECS).await?;
    let (subject, body) = codes::message(channel, &code, lang);
    let patient_id = grants::home_chart(&mut **tx, c.account_id, at).await?;
    let m = Message { channel, to: &to, subject, body: &body, lang, patient_id };
    outbox::enqueue(tx, &svc.bodies, &m, at).await?;
    note(svc, tx, c.account_id, Event::TwoStepCodeSent, channel.as_str(), client, at).await?;
    Ok(Sent::Sent)
}

/// Opens the second step after a right password (whose own try `t` was
/// given back); the code goes out with it. Refused if the account was locked
/// meanwhile.
pub async fn start(svc: &Services, who: Person, method: TwoStepMethod, t: &Try, client: &ClientMeta) -> Result<SecretToken, PortalError> {
    let at = svc.clock.now();
    let token = SecretToken::generate();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    if !lockout::still_open(&svc.lockout, &mut tx, t, at).await.map_err(internal)? {
        return Err(PortalError::Locked);
    }
    store::end_challenges(&mut tx, who.account, at).await.map_err(internal)?;
    let id = store::insert_challenge(&mut tx, &token.storage_key(), who.account, method, at, at + LIFE_SECS).await.map_err(internal)?;
    note(svc, &mut tx, who.account, Event::SignInPasswordOk, method.as_str(), client, at).await.map_err(internal)?;
    if method != TwoStepMethod::App {
        let c = ChallengeRow {
            id,
            account_id: who.account,
            method,
            created_at: at,
            expires_at: at + LIFE_SECS,
            code_hmac: None,
            code_sent_at: None,
            code_sends: 0,
            code_failures: 0,
            ended_at: None,
            passed_at: None,
        };
        send(svc, &mut tx, &c, &token, client, at).await.map_err(internal)?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(token)
}

/// What `/login/verify` shows for the second step `token`.
pub async fn view(svc: &Services, token: &SecretToken) -> Result<VerifyView, PortalError> {
    let at = svc.clock.now();
    let held = store::challenge(&svc.store, &token.storage_key()).await.map_err(internal)?;
    let Some(c) = held else { return Ok(VerifyView::default()) };
    let step = SecondStep::from(&c);
    if step.over || step.outlived(at) {
        return Ok(VerifyView::default());
    }
    let by = CodesBy::from(c.method);
    // A step whose code could not go because of the account's cap says so.
    let capped = c.method != TwoStepMethod::App
        && c.code_sends == 0
        && !send_cap::sent(&svc.store, c.account_id, at).await.map_err(internal)?.allows_another();
    let sent_to = match destination(accounts::of_account(&svc.store, c.account_id).await.map_err(internal)?, c.method) {
        Some((Channel::Sms, to, _)) => app::phone::MobileNumber::parse(&to).map(|m| m.masked()).unwrap_or_default(),
        Some((_, to, _)) => app::two_step::masked_email(&to),
        None => String::new(),
    };
    Ok(VerifyView {
        pending: true,
        by: Some(by),
        sent_to,
        sent_at: c.code_sent_at.map(|t| svc.config.local_time(t)).unwrap_or_default(),
        resend_in: step.resend_in(at),
        sends_left: step.sends_left(),
        error: capped.then_some(TwoStepError::TooManyCodes),
    })
}

/// What a right second step made.
#[derive(Debug)]
pub struct Passed {
    pub session: SessionToken,
    /// The device's new token, when the patient asked to be remembered.
    pub device: Option<SecretToken>,
}

/// Which secret a typed code proved, if any.
enum Proof {
    /// The authenticator's time step (each works once).
    Step(i64),
    Sent,
    Backup(String),
}

async fn check(svc: &Services, c: &ChallengeRow, token: &SecretToken, typed: &TypedCode, at: i64) -> Result<Option<Proof>, TwoStepError> {
    Ok(match typed {
        TypedCode::Backup(b) => {
            let mut found = None;
            for digest in codes::backup_digests(&svc.two_step_keys, c.account_id, b) {
                if store::has_backup_code(&svc.store, c.account_id, &digest).await.map_err(TwoStepError::internal)? {
                    found = Some(Proof::Backup(digest));
                    break;
                }
            }
            found
        }
        TypedCode::Code(digits) if c.method == TwoStepMethod::App => {
            let setting = store::setting(&svc.store, c.account_id).await.map_err(TwoStepError::internal)?;
            let sealed = setting.totp_secret.ok_or(TwoStepError::Portal(PortalError::NotSignedIn))?;
            let secret = svc.authenticators.open("patient-totp", &c.account_id.to_string(), &sealed).map_err(TwoStepError::internal)?;
            let a = Authenticator::new(&secret, "").map_err(TwoStepError::internal)?;
            a.step_of(digits, at).filter(|s| *s > setting.totp_last_step).map(Proof::Step)
        }
        TypedCode::Code(digits) => {
            let right = match (codes::typed(digits), &c.code_hmac) {
                (Some(code), Some(kept)) => code::matches(kept, &code, token.expose()),
                _ => false,
            };
            right.then_some(Proof::Sent)
        }
    })
}

/// "Verification code" → "Verify" (with "Remember this device for 30 days").
pub async fn verify(
    svc: &Services,
    client: &ClientMeta,
    token: &SecretToken,
    old: Option<&SessionToken>,
    typed: &TypedCode,
    remember: bool,
) -> Result<Passed, TwoStepError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let Some(c) = store::challenge(&svc.store, &token.storage_key()).await.map_err(TwoStepError::internal)? else {
        return Err(PortalError::NotSignedIn.into());
    };
    let at = svc.clock.now();
    SecondStep::from(&c).may_check(at)?;
    match lockout::attempt(&svc.lockout, LockHolder::Account(c.account_id), at, check(svc, &c, token, typed, at)).await? {
        Attempt::Right(t, proof) => pass(svc, client, &c, &t, proof, old, remember, at).await,
        Attempt::Wrong(t) => wrong(svc, client, &c, &t, at).await,
        Attempt::Locked { until_reset: false } => Err(PortalError::Locked.into()),
        Attempt::Locked { until_reset: true } => Err(PortalError::LockedUntilReset.into()),
        Attempt::Gone => Err(PortalError::NotSignedIn.into()),
    }
}

async fn wrong(svc: &Services, client: &ClientMeta, c: &ChallengeRow, t: &Try, at: i64) -> Result<Passed, TwoStepError> {
    let mut tx = svc.store.begin_write().await.map_err(TwoStepError::internal)?;
    // Across locks: at the 20th in a row only a reset or staff opens the account.
    let misses = crate::store::locks::second_factor_missed(&mut tx, c.account_id).await.map_err(TwoStepError::internal)?;
    if lockout::locked_until_reset(misses) {
        store::end_challenge(&mut tx, c.id, at).await.map_err(TwoStepError::internal)?;
        // The first such lock: later misses can't come (the lock refuses them first).
        if !lockout::locked_until_reset(misses - 1) {
            locked_until_reset(svc, &mut tx, c.account_id, client, at).await.map_err(TwoStepError::internal)?;
        }
        tx.commit().await.map_err(TwoStepError::internal)?;
        return Err(PortalError::LockedUntilReset.into());
    }
    let failures = store::challenge_failed(&mut tx, c.id).await.map_err(TwoStepError::internal)?;
    let Wrong { left, ends } = SecondStep::after_wrong(failures, t.locks());
    if ends {
        store::end_challenge(&mut tx, c.id, at).await.map_err(TwoStepError::internal)?;
    }
    let event = if ends { Event::TwoStepFailedEnded } else { Event::TwoStepFailed };
    let detail = crate::audit::detail::tries_left_and_failed(left, t.failures());
    note(svc, &mut tx, c.account_id, event, &detail, client, at).await.map_err(TwoStepError::internal)?;
    tx.commit().await.map_err(TwoStepError::internal)?;
    Err(if t.locks() {
        PortalError::Locked.into()
    } else if ends {
        TwoStepError::Ended
    } else {
        TwoStepError::WrongCode(left)
    })
}

/// The account just locked until a reset: audited, and the person told by
/// email (a patient who didn't type those codes learns someone has their password).
async fn locked_until_reset(svc: &Services, tx: &mut Tx, account: AccountId, client: &ClientMeta, at: i64) -> sqlx::Result<()> {
    note(svc, tx, account, Event::LockedUntilReset, "", client, at).await?;
    let Some(a) = accounts::of_account(&mut **tx, account).await? else { return Ok(()) };
    let Some(email) = a.email.as_deref() else { return Ok(()) };
    let lang = a.language;
    let body = app::i18n::t::hello_email(lang, &a.first_name, &app::i18n::t::locked_until_reset_told(lang, lockout::MAX_SECOND_FACTOR_MISSES));
    let m = Message { channel: Channel::Email, to: email, subject: app::i18n::t::locked_until_reset_subject(lang), body: &body, lang, patient_id: a.patient_id };
    outbox::enqueue(tx, &svc.bodies, &m, at).await.map(|_| ())
}

#[allow(clippy::too_many_arguments)]
async fn pass(
    svc: &Services,
    client: &ClientMeta,
    c: &ChallengeRow,
    t: &Try,
    proof: Proof,
    old: Option<&SessionToken>,
    remember: bool,
    at: i64,
) -> Result<Passed, TwoStepError> {
    let mut tx = svc.store.begin_write().await.map_err(TwoStepError::internal)?;
    // Access turned off since the password was right: the step opens nothing.
    let state = accounts::of_account(&mut *tx, c.account_id).await.map_err(TwoStepError::internal)?.map(|a| a.state);
    if state != Some(EnrollmentState::Enrolled) {
        return Err(PortalError::Revoked.into());
    }
    if !lockout::settle(&svc.lockout, &mut tx, t, at).await.map_err(TwoStepError::internal)? {
        return Err(PortalError::Locked.into());
    }
    let (used, how) = match &proof {
        Proof::Step(step) => (store::use_step(&mut tx, c.account_id, *step).await.map_err(TwoStepError::internal)?, "app"),
        Proof::Sent => (true, c.method.as_str()),
        Proof::Backup(digest) => (store::use_backup_code(&mut tx, c.account_id, digest, at).await.map_err(TwoStepError::internal)?, "backup_code"),
    };
    // Another request used the same code, or passed this step, first.
    if !used || !store::challenge_passed(&mut tx, c.id, at).await.map_err(TwoStepError::internal)? {
        return Err(PortalError::NotSignedIn.into());
    }
    let chart = grants::home_chart(&mut *tx, c.account_id, at).await.map_err(TwoStepError::internal)?;
    note(svc, &mut tx, c.account_id, Event::TwoStepPassed, how, client, at).await.map_err(TwoStepError::internal)?;
    let device = if remember {
        let device = SecretToken::generate();
        store::remember_device(&mut tx, &device.storage_key(), c.account_id, at, at + REMEMBER_SECS).await.map_err(TwoStepError::internal)?;
        note(svc, &mut tx, c.account_id, Event::DeviceRemembered, "", client, at).await.map_err(TwoStepError::internal)?;
        Some(device)
    } else {
        None
    };
    let session = crate::sessions::start(svc, &mut tx, Person { account: c.account_id, chart }, old, crate::sessions::Proved::SecondStep, client, at).await.map_err(TwoStepError::internal)?;
    tx.commit().await.map_err(TwoStepError::internal)?;
    Ok(Passed { session, device })
}

/// "Resend code": a new code by the same way, 60 s after the last, at most 3 in all.
pub async fn resend(svc: &Services, client: &ClientMeta, token: &SecretToken) -> Result<(), TwoStepError> {
    svc.throttle.check(Endpoint::SignIn, client.ip).await?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(TwoStepError::internal)?;
    let held = store::challenge_for_update(&svc.store, &mut tx, &token.storage_key()).await.map_err(TwoStepError::internal)?;
    let Some(c) = held else {
        return Err(PortalError::NotSignedIn.into());
    };
    SecondStep::from(&c).may_resend(at)?;
    let sent = send(svc, &mut tx, &c, token, client, at).await.map_err(TwoStepError::internal)?;
    tx.commit().await.map_err(TwoStepError::internal)?;
    match sent {
        Sent::Sent => Ok(()),
        Sent::Capped => Err(TwoStepError::TooManyCodes),
        // The number or email went away mid-step: the page says there is none on the account.
        Sent::NoDestination => Err(TwoStepError::Ended),
    }
}

/// How long a second step is kept after it began: long past its life, so
/// that staff still see a patient stuck at it that day.
pub const KEPT_SECS: i64 = 24 * 60 * 60;

/// Forgets second steps older than [`KEPT_SECS`] and remembered devices
/// whose 30 days are over (they let nobody in any more; the rows would only pile up).
pub async fn sweep(store: &crate::store::Store, now: i64) -> sqlx::Result<u64> {
    store::sweep_challenges_and_devices(store, now - KEPT_SECS, now).await
}
