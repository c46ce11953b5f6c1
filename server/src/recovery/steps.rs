//! The reset wizard's steps after the emailed link (SPEC §2.2 step 4–6).
//! Each step locks the stored flow, checks that it is live and at the right
//! step before any other work, and moves it along in one transaction.

use crate::internal::Internal as _;
use app::i18n::{t, Setting};
use app::ids::AccountId;
use app::code::{SecurityCode, DEFAULT_CODE_DIGITS};
use app::dob::DateOfBirth;
use app::phone::MobileNumber;
use app::reset::CodeStatus;
use app::reset::{Method, ResetError, SendBy};
use app::secret::{Password, PasswordProblem};

use crate::audit::Event;
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::policy::normalize_answer;
use crate::policy::{self, PersonalWords};
use crate::recovery::code;
use crate::recovery::flow::{Flow, Outcome, Refusal, Step, CODE_LIFE_SECS, MAX_CODE_SENDS};
use crate::sessions::Person;
use crate::lockout::{self, LockHolder};
use crate::password::audit_failure;
use crate::store::{accounts, flows, Tx};
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

/// A stored flow as read for a step.
pub struct Stored {
    pub id: i64,
    pub account_id: AccountId,
    pub flow: Flow,
    code_hmac: Option<String>,
    pub code_channel: Option<Channel>,
}

/// Reads the flow of `token`.
async fn load(svc: &Services, token: &SecretToken) -> Result<Stored, ResetError> {
    stored(flows::load(&svc.store, &token.storage_key()).await)
}

/// The flow as a row read it; no row is a link no longer valid.
fn stored(row: sqlx::Result<Option<flows::FlowRow>>) -> Result<Stored, ResetError> {
    let r = row.map_err(ResetError::internal)?.ok_or(ResetError::NoLongerValid)?;
    let flow = Flow {
        step: r.step,
        expires_at: r.expires_at,
        answer_failures: r.answer_failures,
        code_sent_at: r.code_sent_at,
        code_sends: r.code_sends,
        code_failures: r.code_failures,
        number_failures: r.number_failures,
    };
    Ok(Stored { id: r.id, account_id: r.account_id, flow, code_hmac: r.code_hmac, code_channel: r.code_channel })
}

async fn save(tx: &mut Tx, s: &Stored, at: i64) -> Result<(), ResetError> {
    let f = &s.flow;
    let row = flows::FlowRow {
        id: s.id,
        account_id: s.account_id,
        step: f.step,
        expires_at: f.expires_at,
        answer_failures: f.answer_failures,
        code_hmac: s.code_hmac.clone(),
        code_channel: s.code_channel,
        code_sent_at: f.code_sent_at,
        code_sends: f.code_sends,
        code_failures: f.code_failures,
        number_failures: f.number_failures,
    };
    flows::save(tx, &row, at).await.map_err(ResetError::internal)
}

/// The account a flow belongs to, as a row read it; a flow outlives no
/// account, so none is a refusal.
fn account(row: sqlx::Result<Option<accounts::AccountRow>>) -> Result<accounts::AccountRow, ResetError> {
    row.map_err(ResetError::internal)?.ok_or(ResetError::NoLongerValid)
}

/// An audit detail staff read as "(3 tries left)".
fn tries_left(left: i64) -> String {
    crate::audit::detail::tries_left(left)
}

/// Audits `event` of the flow's account on the chart it signs in to.
async fn note(svc: &Services, tx: &mut Tx, account: AccountId, event: Event, detail: &str, client: &ClientMeta, at: i64) -> Result<(), ResetError> {
    svc.audit.append_for_account(tx, account, event, detail, client, at).await.map_err(ResetError::internal)
}

/// Opens a write transaction with the flow of `token` locked and live.
async fn open(svc: &Services, token: &SecretToken) -> Result<(Tx, Stored, i64), ResetError> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(ResetError::internal)?;
    let stored = stored(flows::load_for_update(&svc.store, &mut tx, &token.storage_key()).await)?;
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
        tx_owned.commit().await.map_err(ResetError::internal)?;
        result
    }};
}

/// The flow of `token` whether or not it is live, for saying why it ended;
/// `None` when there is no such link.
pub async fn peek(svc: &Services, token: &SecretToken) -> Result<Option<Stored>, ResetError> {
    match load(svc, token).await {
        Ok(stored) => Ok(Some(stored)),
        Err(ResetError::NoLongerValid) => Ok(None),
        Err(e) => Err(e),
    }
}

/// What `GET /reset/{token}` shows; reading changes nothing.
pub async fn view(svc: &Services, token: &SecretToken) -> Result<Stored, ResetError> {
    let stored = load(svc, token).await?;
    stored.flow.live(svc.clock.now())?;
    Ok(stored)
}

/// The patient's own security question, for the question form; reading it
/// changes nothing (only the answer's POST moves the flow).
pub async fn question(svc: &Services, token: &SecretToken) -> Result<String, ResetError> {
    question_of(svc, &view(svc, token).await?).await
}

/// The question of a flow already read.
pub async fn question_of(svc: &Services, s: &Stored) -> Result<String, ResetError> {
    account(accounts::of_account(&svc.store, s.account_id).await)?.security_question.ok_or(ResetError::NoLongerValid)
}

/// Refuses a step of a method the practice switched off (`PORTAL_RESET_METHODS`).
fn offered(svc: &Services, method: Method) -> Result<(), ResetError> {
    if svc.config.reset_methods.offers(method) { Ok(()) } else { Err(ResetError::MethodOff) }
}

/// "Date of birth" + "Security answer" → "Continue". A date that doesn't
/// parse is not a try; a wrong pair is, and counts toward the account lock.
pub async fn answer(svc: &Services, client: &ClientMeta, token: &SecretToken, dob: &str, answer: &str) -> Result<(), ResetError> {
    svc.throttle.check(Endpoint::Reset, client.ip).await.map_err(ResetError::from)?;
    offered(svc, Method::Question)?;
    let dob = DateOfBirth::parse(dob, svc.clock.today()).map_err(ResetError::Dob)?;
    // Take the try first, so parallel requests can't exceed the limit.
    let (who, chart_dob, answer_hash) = with_flow!(svc, token, |tx, s, at| {
        s.flow = s.flow.choose_question(at)?.begin_answer(at)?;
        save(tx, s, at).await?;
        let a = account(accounts::of_account(&mut **tx, s.account_id).await)?;
        Ok((Person { account: a.account_id, chart: a.patient_id }, a.dob, a.security_answer_hash))
    })?;
    let answer_ok = svc.hasher.verify(normalize_answer(answer), answer_hash).await.map_err(|e| ResetError::Portal(e.into()))?;
    let correct = answer_ok && dob == chart_dob;
    let outcome = with_flow!(svc, token, |tx, s, at| {
        let outcome = s.flow.finish_answer(correct);
        s.flow = match &outcome {
            Outcome::Passed(f) | Outcome::Wrong(f, _) | Outcome::Exhausted(f) => f.clone(),
        };
        save(tx, s, at).await?;
        // A wrong try is audited once, by `audit_failure` below, with its count.
        let event = match outcome {
            Outcome::Passed(_) => Some(Event::ResetQuestionPassed),
            Outcome::Wrong(..) => None,
            Outcome::Exhausted(_) => Some(Event::ResetFlowEnded),
        };
        if let Some(event) = event {
            note(svc, tx, s.account_id, event, "", client, at).await?;
        }
        Ok(outcome)
    })?;
    let refusal = match outcome {
        Outcome::Passed(_) => return Ok(()),
        Outcome::Wrong(_, left) => ResetError::NoMatch(left),
        Outcome::Exhausted(_) => ResetError::NoLongerValid,
    };
    let counted = lockout::count_failure(&svc.lockout, LockHolder::Account(who.account), svc.clock.now()).await.map_err(ResetError::internal)?;
    audit_failure(svc, who, client, Event::ResetQuestionFailed, &counted).await?;
    Err(refusal)
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
    svc.throttle.check(Endpoint::Reset, client.ip).await.map_err(ResetError::from)?;
    offered(svc, Method::Code)?;
    let typed = phone.map(MobileNumber::parse).transpose().map_err(ResetError::Phone)?;
    let channel = match send_by {
        SendBy::Text => Channel::Sms,
        SendBy::Voice => Channel::Voice,
    };
    with_flow!(svc, token, |tx, s, at| {
        s.flow.may_send_code(at)?;
        let holder = account(accounts::of_account(&mut **tx, s.account_id).await)?;
        let lang = holder.language;
        let to = match (&typed, holder.mobile) {
            (Some(typed), Some(on_file)) if *typed == on_file => on_file,
            (None, Some(on_file)) if s.flow.step == Step::CodeSent => on_file,
            (None, _) => return Err(ResetError::WrongStep),
            (Some(_), _) => {
                let (flow, event, refusal, left) = match s.flow.number_mismatched(at)? {
                    Outcome::Exhausted(f) => (f, Event::ResetCodeNumberMismatchFlowEnded, ResetError::NoLongerValid, 0),
                    Outcome::Wrong(f, left) => (f, Event::ResetCodeNumberMismatch, ResetError::PhoneMismatch, left),
                    Outcome::Passed(f) => (f, Event::ResetCodeNumberMismatch, ResetError::PhoneMismatch, 0),
                };
                s.flow = flow;
                save(tx, s, at).await?;
                note(svc, tx, s.account_id, event, &tries_left(left), client, at).await?;
                return Err(refusal);
            }
        };
        let code = code::generate(DEFAULT_CODE_DIGITS);
        s.flow = s.flow.code_sent(at)?;
        s.code_hmac = Some(code::digest(&code, token.expose()));
        s.code_channel = Some(channel);
        save(tx, s, at).await?;
        let body = match channel {
            Channel::Voice => t::reset_code_call(lang, &code::spoken(&code)),
            _ => t::reset_code_text(lang, code.expose(), CODE_LIFE_SECS / 60),
        };
        let m = Message { channel, to: to.e164(), subject: "", body: &body, lang, patient_id: holder.patient_id };
        outbox::enqueue(tx, &svc.bodies, &m, at).await.map_err(ResetError::internal)?;
        note(svc, tx, s.account_id, Event::ResetCodeSent, channel.as_str(), client, at).await?;
        Ok(CodeSent { channel, last_four: to.last_four().to_string(), sent_at: at })
    })
}

/// Where the newest code of a flow at the code step went, and what may come next.
pub async fn code_status(svc: &Services, s: &Stored) -> Result<CodeStatus, ResetError> {
    let mobile = account(accounts::of_account(&svc.store, s.account_id).await)?.mobile;
    let at = svc.clock.now();
    Ok(CodeStatus {
        sent_by: if s.code_channel == Some(Channel::Voice) { SendBy::Voice } else { SendBy::Text },
        last_four: mobile.as_ref().map(|m| m.last_four().to_string()).unwrap_or_default(),
        sent_at: s.flow.code_sent_at.map(|t| svc.config.local_time(t)).unwrap_or_default(),
        resend_in: s.flow.resend_wait(at),
        sends_left: (MAX_CODE_SENDS - s.flow.code_sends).max(0),
    })
}

/// "Security Code" → "Check".
pub async fn check_code(svc: &Services, client: &ClientMeta, token: &SecretToken, typed: &str) -> Result<(), ResetError> {
    svc.throttle.check(Endpoint::Reset, client.ip).await.map_err(ResetError::from)?;
    offered(svc, Method::Code)?;
    let typed = SecurityCode::parse(typed, DEFAULT_CODE_DIGITS).map_err(ResetError::Code)?;
    with_flow!(svc, token, |tx, s, at| {
        let correct = s.code_hmac.as_deref().is_some_and(|h| code::matches(h, &typed, token.expose()));
        let outcome = s.flow.code_checked(correct, at)?;
        let (flow, event, result, left) = match outcome {
            Outcome::Passed(f) => (f, Event::ResetCodePassed, Ok(()), None),
            Outcome::Wrong(f, left) => (f, Event::ResetCodeFailed, Err(ResetError::WrongCode(left)), Some(left)),
            Outcome::Exhausted(f) => (f, Event::ResetCodeFailedCodeEnded, Err(ResetError::CodeExpired), Some(0)),
        };
        s.flow = flow;
        save(tx, s, at).await?;
        note(svc, tx, s.account_id, event, &left.map(tries_left).unwrap_or_default(), client, at).await?;
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
    let accounts::AccountRow { patient_id, username, email, dob, first_name, language: lang, .. } = account(accounts::of_account(&svc.store, s.account_id).await)?;
    let names: Vec<&str> = [Some(username.as_str()), email.as_deref()].into_iter().flatten().collect();
    policy::check(new.expose(), &PersonalWords { usernames: &names, dob: Some(&dob.compact()) }).map_err(ResetError::Password)?;
    let hash = svc.hasher.hash(new.expose().to_string()).await.map_err(|e| ResetError::Portal(e.into()))?;
    with_flow!(svc, token, |tx, s, at| {
        s.flow = s.flow.password_saved(at)?;
        save(tx, s, at).await?;
        crate::changes::replace_password(svc, tx, s.account_id, &hash, client, at).await.map_err(ResetError::internal)?;
        lockout::clear(tx, LockHolder::Account(s.account_id), at).await.map_err(ResetError::internal)?;
        crate::changes::tell(svc, tx, email.as_deref(), &first_name, lang, patient_id, Setting::Password, at).await.map_err(ResetError::internal)?;
        note(svc, tx, s.account_id, Event::PasswordReset, "", client, at).await
    })
}
