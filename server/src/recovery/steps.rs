//! The reset wizard's steps after the emailed link (SPEC §2.2 step 4–6).
//! Each step locks the stored flow, checks that it is live and at the right
//! step before any other work, and moves it along in one transaction.

use app::code::{SecurityCode, DEFAULT_CODE_DIGITS};
use app::dob::DateOfBirth;
use app::phone::MobileNumber;
use app::api::reset::CodeStatus;
use app::reset::{Method, ResetError, SendBy};
use app::secret::{Password, PasswordProblem};

use crate::audit::{self, Entry};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::patients::normalize_answer;
use crate::policy::{self, PersonalWords};
use crate::recovery::code;
use crate::recovery::flow::{Flow, Outcome, Refusal, Step, MAX_CODE_SENDS};
use crate::sessions::{self, Subject};
use crate::signin::{internal, record_failure};
use crate::store::{now, today, Tx};
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;

impl From<Refusal> for ResetError {
    fn from(r: Refusal) -> Self {
        match r {
            Refusal::NoLongerValid => ResetError::NoLongerValid,
            Refusal::WrongStep => ResetError::WrongStep,
            Refusal::ResendIn(s) => ResetError::ResendIn(s),
            Refusal::NoMoreSends => ResetError::NoMoreSends,
            Refusal::CodeExpired => ResetError::CodeExpired,
        }
    }
}

fn fail(e: impl std::fmt::Display) -> ResetError {
    ResetError::Portal(internal(e))
}

/// A stored flow as read for a step.
pub struct Stored {
    pub id: i64,
    pub patient_id: i64,
    pub flow: Flow,
    code_hmac: Option<String>,
    pub code_channel: Option<String>,
}

type Row = (i64, i64, String, i64, i64, Option<String>, Option<String>, Option<i64>, i64, i64);

/// Reads the flow of `token`; with `for_update` (in a transaction), locks
/// its row until the transaction ends.
async fn load<'c, E>(svc: &Services, db: E, token: &SecretToken, for_update: bool) -> Result<Stored, ResetError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    // Only a fixed suffix (" FOR UPDATE" or nothing) is added to the literal.
    let sql = format!(
        "SELECT id, patient_id, step, expires_at, answer_failures, code_hmac, code_channel, code_sent_at, \
         code_sends, code_failures FROM reset_flows WHERE token_hash = $1{}",
        if for_update { svc.store.for_update() } else { "" }
    );
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(token.storage_key())
        .fetch_optional(db)
        .await
        .map_err(fail)?;
    let (id, patient_id, step, expires_at, answer_failures, code_hmac, code_channel, code_sent_at, code_sends, code_failures) =
        row.ok_or(ResetError::NoLongerValid)?;
    let step = Step::parse(&step).ok_or(ResetError::NoLongerValid)?;
    let flow = Flow { step, expires_at, answer_failures, code_sent_at, code_sends, code_failures };
    Ok(Stored { id, patient_id, flow, code_hmac, code_channel })
}

async fn save(tx: &mut Tx, s: &Stored, at: i64) -> Result<(), ResetError> {
    sqlx::query(
        "UPDATE reset_flows SET step = $1, answer_failures = $2, code_hmac = $3, code_channel = $4, code_sent_at = $5, \
         code_sends = $6, code_failures = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(s.flow.step.as_str())
    .bind(s.flow.answer_failures)
    .bind(&s.code_hmac)
    .bind(&s.code_channel)
    .bind(s.flow.code_sent_at)
    .bind(s.flow.code_sends)
    .bind(s.flow.code_failures)
    .bind(at)
    .bind(s.id)
    .execute(&mut **tx)
    .await
    .map_err(fail)?;
    Ok(())
}

async fn note(svc: &Services, tx: &mut Tx, patient_id: i64, event: &str, detail: &str, client: &ClientMeta, at: i64) -> Result<(), ResetError> {
    let entry = Entry { patient_id: Some(patient_id), actor: "patient", event, detail, client };
    audit::append(tx, svc.store.dialect, entry, at).await.map_err(fail)
}

/// Opens a write transaction with the flow of `token` locked and live.
async fn open(svc: &Services, token: &SecretToken) -> Result<(Tx, Stored, i64), ResetError> {
    let at = now();
    let mut tx = svc.store.begin_write().await.map_err(fail)?;
    let stored = load(svc, &mut *tx, token, true).await?;
    stored.flow.live(at)?;
    Ok((tx, stored, at))
}

/// Runs a step's body on the locked flow inside one write transaction; the
/// counters a refused step moved are kept, so it commits either way. (A
/// macro, not a function taking an async closure: the futures must be `Send`.)
macro_rules! with_flow {
    ($svc:expr, $token:expr, |$tx:ident, $s:ident, $at:ident| $body:block) => {{
        let (mut tx_owned, mut stored_owned, $at) = open($svc, $token).await?;
        let result: Result<_, ResetError> = {
            let $tx = &mut tx_owned;
            let $s = &mut stored_owned;
            async move { $body }.await
        };
        tx_owned.commit().await.map_err(fail)?;
        result
    }};
}

/// What `GET /reset/{token}` shows; reading changes nothing.
pub async fn view(svc: &Services, token: &SecretToken) -> Result<Stored, ResetError> {
    let stored = load(svc, &svc.store.pool, token, false).await?;
    stored.flow.live(now())?;
    Ok(stored)
}

/// The patient's own security question, for the question form; reading it
/// changes nothing (only the answer's POST moves the flow).
pub async fn question(svc: &Services, token: &SecretToken) -> Result<String, ResetError> {
    question_of(svc, &view(svc, token).await?).await
}

/// The question of a flow already read.
pub async fn question_of(svc: &Services, s: &Stored) -> Result<String, ResetError> {
    let q: Option<String> = sqlx::query_scalar("SELECT security_question FROM portal_accounts WHERE patient_id = $1")
        .bind(s.patient_id)
        .fetch_one(&svc.store.pool)
        .await
        .map_err(fail)?;
    q.ok_or(ResetError::NoLongerValid)
}

/// Refuses a step of a method the practice switched off (`PORTAL_RESET_METHODS`).
fn offered(svc: &Services, method: Method) -> Result<(), ResetError> {
    if svc.config.reset_methods.offers(method) { Ok(()) } else { Err(ResetError::MethodOff) }
}

/// "Date of birth" + "Security answer" → "Continue". A date that doesn't
/// parse is not a try; a wrong pair is, and counts toward the account lock.
pub async fn answer(svc: &Services, client: &ClientMeta, token: &SecretToken, dob: &str, answer: &str) -> Result<(), ResetError> {
    svc.throttle.check(Endpoint::Reset, client.ip).map_err(ResetError::from)?;
    offered(svc, Method::Question)?;
    let dob = DateOfBirth::parse(dob, today()).map_err(ResetError::Dob)?;
    // Take the try first, so parallel requests can't exceed the limit.
    let (patient_id, chart_dob, answer_hash) = with_flow!(svc, token, |tx, s, at| {
        s.flow = s.flow.choose_question(at)?.begin_answer(at)?;
        save(tx, s, at).await?;
        let (chart_dob, hash): (String, Option<String>) = sqlx::query_as(
            "SELECT p.dob, a.security_answer_hash FROM patients p JOIN portal_accounts a ON a.patient_id = p.id WHERE p.id = $1",
        )
        .bind(s.patient_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(fail)?;
        Ok((s.patient_id, chart_dob, hash))
    })?;
    let answer_ok = svc.hasher.verify(normalize_answer(answer), answer_hash).await.map_err(|e| ResetError::Portal(e.into()))?;
    let correct = answer_ok && dob.compact() == chart_dob;
    let outcome = with_flow!(svc, token, |tx, s, at| {
        let outcome = s.flow.finish_answer(correct);
        s.flow = match &outcome {
            Outcome::Passed(f) | Outcome::Wrong(f, _) | Outcome::Exhausted(f) => f.clone(),
        };
        save(tx, s, at).await?;
        // A wrong try is audited once, by `record_failure` below, with its count.
        let event = match outcome {
            Outcome::Passed(_) => Some("reset_question_passed"),
            Outcome::Wrong(..) => None,
            Outcome::Exhausted(_) => Some("reset_flow_ended"),
        };
        if let Some(event) = event {
            note(svc, tx, s.patient_id, event, "", client, at).await?;
        }
        Ok(outcome)
    })?;
    if correct {
        return Ok(());
    }
    record_failure(svc, patient_id, client, "reset_question_failed").await?;
    match outcome {
        Outcome::Exhausted(_) => Err(ResetError::NoLongerValid),
        _ => Err(ResetError::NoMatch),
    }
}

/// Where and when the newest code went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSent {
    pub channel: Channel,
    pub last_four: String,
    pub sent_at: i64,
}

/// "Send code" to `phone`, which must match the number on file; or, with
/// `None`, "Resend code" to the number the last code went to.
pub async fn send_code(svc: &Services, client: &ClientMeta, token: &SecretToken, phone: Option<&str>, send_by: SendBy) -> Result<CodeSent, ResetError> {
    svc.throttle.check(Endpoint::Reset, client.ip).map_err(ResetError::from)?;
    offered(svc, Method::Code)?;
    let typed = phone.map(MobileNumber::parse).transpose().map_err(ResetError::Phone)?;
    let channel = match send_by {
        SendBy::Text => Channel::Sms,
        SendBy::Voice => Channel::Voice,
    };
    with_flow!(svc, token, |tx, s, at| {
        s.flow.may_send_code(at)?;
        let on_file: Option<String> = sqlx::query_scalar("SELECT mobile FROM patients WHERE id = $1")
            .bind(s.patient_id)
            .fetch_one(&mut **tx)
            .await
            .map_err(fail)?;
        let to = match (&typed, on_file) {
            (Some(typed), Some(on_file)) if typed.e164() == on_file => on_file,
            (None, Some(on_file)) if s.flow.step == Step::CodeSent => on_file,
            (None, _) => return Err(ResetError::WrongStep),
            (Some(_), _) => {
                note(svc, tx, s.patient_id, "reset_code_number_mismatch", "", client, at).await?;
                return Err(ResetError::PhoneMismatch);
            }
        };
        let code = code::generate(DEFAULT_CODE_DIGITS);
        s.flow = s.flow.code_sent(at)?;
        s.code_hmac = Some(code::digest(&code, token.expose()));
        s.code_channel = Some(channel.as_str().to_string());
        save(tx, s, at).await?;
        let body = match channel {
            Channel::Voice => format!("Your patient portal security code is: {}. Again: {}.", code::spoken(&code), code::spoken(&code)),
            _ => format!("Your patient portal security code is {}. It works for 10 minutes. Don't share it.", code.expose()),
        };
        let m = Message { channel, to: &to, subject: "", body: &body, patient_id: Some(s.patient_id) };
        outbox::enqueue(tx, &m, at).await.map_err(fail)?;
        note(svc, tx, s.patient_id, "reset_code_sent", channel.as_str(), client, at).await?;
        Ok(CodeSent { channel, last_four: last_four(&to).to_string(), sent_at: at })
    })
}

fn last_four(e164: &str) -> &str {
    &e164[e164.len().saturating_sub(4)..]
}

/// Where the newest code of a flow at the code step went, and what may come next.
pub async fn code_status(svc: &Services, s: &Stored) -> Result<CodeStatus, ResetError> {
    let mobile: Option<String> = sqlx::query_scalar("SELECT mobile FROM patients WHERE id = $1")
        .bind(s.patient_id)
        .fetch_one(&svc.store.pool)
        .await
        .map_err(fail)?;
    let at = now();
    Ok(CodeStatus {
        sent_by: if s.code_channel.as_deref() == Some(Channel::Voice.as_str()) { SendBy::Voice } else { SendBy::Text },
        last_four: last_four(mobile.as_deref().unwrap_or_default()).to_string(),
        sent_at: s.flow.code_sent_at.map(|t| svc.config.local_time(t)).unwrap_or_default(),
        resend_in: s.flow.resend_wait(at),
        sends_left: (MAX_CODE_SENDS - s.flow.code_sends).max(0),
    })
}

/// "Security Code" → "Check".
pub async fn check_code(svc: &Services, client: &ClientMeta, token: &SecretToken, typed: &str) -> Result<(), ResetError> {
    svc.throttle.check(Endpoint::Reset, client.ip).map_err(ResetError::from)?;
    offered(svc, Method::Code)?;
    let typed = SecurityCode::parse(typed, DEFAULT_CODE_DIGITS).map_err(ResetError::Code)?;
    with_flow!(svc, token, |tx, s, at| {
        let correct = s.code_hmac.as_deref().is_some_and(|h| code::matches(h, &typed, token.expose()));
        let outcome = s.flow.code_checked(correct, at)?;
        let (flow, event, result) = match outcome {
            Outcome::Passed(f) => (f, "reset_code_passed", Ok(())),
            Outcome::Wrong(f, left) => (f, "reset_code_failed", Err(ResetError::WrongCode(left))),
            Outcome::Exhausted(f) => (f, "reset_code_failed_code_ended", Err(ResetError::CodeExpired)),
        };
        s.flow = flow;
        save(tx, s, at).await?;
        note(svc, tx, s.patient_id, event, "", client, at).await?;
        result
    })
}

/// "New password" + "Confirm new password" → "Save password": unlocks the
/// account, ends all its sessions, uses the link up, and emails the patient.
pub async fn save_password(svc: &Services, client: &ClientMeta, token: &SecretToken, new: &Password, confirm: &Password) -> Result<(), ResetError> {
    if new != confirm {
        return Err(ResetError::Password(PasswordProblem::Mismatch));
    }
    let s = view(svc, token).await?;
    if s.flow.step != Step::Passed {
        return Err(ResetError::WrongStep);
    }
    let (username, email, dob, first_name): (Option<String>, Option<String>, String, String) = sqlx::query_as(
        "SELECT a.username, COALESCE(a.invited_email, p.email), p.dob, p.first_name FROM portal_accounts a \
         JOIN patients p ON p.id = a.patient_id WHERE p.id = $1",
    )
    .bind(s.patient_id)
    .fetch_one(&svc.store.pool)
    .await
    .map_err(fail)?;
    let names: Vec<&str> = [username.as_deref(), email.as_deref()].into_iter().flatten().collect();
    policy::check(new.expose(), &PersonalWords { usernames: &names, dob: Some(&dob) }).map_err(ResetError::Password)?;
    let hash = svc.hasher.hash(new.expose().to_string()).await.map_err(|e| ResetError::Portal(e.into()))?;
    with_flow!(svc, token, |tx, s, at| {
        s.flow = s.flow.password_saved(at)?;
        save(tx, s, at).await?;
        sqlx::query(
            "UPDATE portal_accounts SET password_hash = $1, failed_attempts = 0, locked_until = NULL, updated_at = $2 WHERE patient_id = $3",
        )
        .bind(&hash)
        .bind(at)
        .bind(s.patient_id)
        .execute(&mut **tx)
        .await
        .map_err(fail)?;
        sessions::end_all(tx, Subject::Patient, s.patient_id).await.map_err(fail)?;
        if let Some(email) = &email {
            let body = format!(
                "Hello {first_name},\n\nThe password of your patient portal account was just changed.\n\
                 If this wasn't you, call your practice right away.\n"
            );
            let m = Message { channel: Channel::Email, to: email, subject: "Your patient portal password was changed", body: &body, patient_id: Some(s.patient_id) };
            outbox::enqueue(tx, &m, at).await.map_err(fail)?;
        }
        note(svc, tx, s.patient_id, "password_reset", "", client, at).await
    })
}
