//! "Text me a code" on the registration page (SPEC §2.4): where the chart
//! has a mobile number and the invitation is its own patient's, a code
//! texted to that number stands in for the access code. The reset code's
//! rules hold (its digits, life, the wait between sends and their number);
//! a wrong one counts like a wrong access code toward voiding the invitation.

use crate::internal::Internal as _;
use app::code::{SecurityCode, DEFAULT_CODE_DIGITS};
use app::phone::MobileNumber;
use app::register::{RegisterError, TextCodeOffer};
use app::i18n::t;

use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::enrollment::invite::find_open_for_update;
use crate::outbox::{self, Channel, Message};
use crate::recovery::code;
use crate::recovery::flow::{CODE_LIFE_SECS, MAX_CODE_SENDS, RESEND_INTERVAL_SECS};
use crate::store::invitations::{self, OpenRow};
use crate::store::patients;
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;

/// The chart's mobile number, when "Text me a code" is offered for `inv`.
fn offered_to(inv: &OpenRow, chart_mobile: Option<&MobileNumber>) -> Option<MobileNumber> {
    if inv.relationship.is_some_and(|r| r.relation().is_some()) {
        return None;
    }
    chart_mobile.cloned()
}

/// What the page shows of "Text me a code" for `inv`, if it is offered.
pub fn offer(svc: &Services, inv: &OpenRow, chart_mobile: Option<&MobileNumber>, at: i64) -> Option<TextCodeOffer> {
    let to = offered_to(inv, chart_mobile)?;
    let resend_in = inv.text_code_sent_at.map(|s| (s + RESEND_INTERVAL_SECS - at).max(0)).unwrap_or(0);
    Some(TextCodeOffer {
        masked: to.masked(),
        sent_at: inv.text_code_sent_at.map(|s| svc.config.local_time(s)),
        resend_in,
        sends_left: (MAX_CODE_SENDS - inv.text_code_sends).max(0),
        minutes: CODE_LIFE_SECS / 60,
    })
}

/// Sends a new code to the chart's mobile number; the old one stops working.
pub async fn send(svc: &Services, client: &ClientMeta, token: &SecretToken) -> Result<TextCodeOffer, RegisterError> {
    svc.throttle.check(Endpoint::Register, client.ip).await?;
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(RegisterError::internal)?;
    let inv = find_open_for_update(svc, &mut tx, token, at).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    let chart = patients::chart(&mut *tx, inv.patient_id).await.map_err(RegisterError::internal)?.ok_or(RegisterError::NoLongerValid)?;
    let to = offered_to(&inv, chart.mobile.as_ref()).ok_or(RegisterError::NoTextCode)?;
    if inv.text_code_sends >= MAX_CODE_SENDS {
        return Err(RegisterError::NoMoreCodes);
    }
    if let Some(wait) = inv.text_code_sent_at.map(|s| s + RESEND_INTERVAL_SECS - at).filter(|w| *w > 0) {
        return Err(RegisterError::CodeTooSoon(wait));
    }
    let code = code::generate(DEFAULT_CODE_DIGITS);
    let sends = inv.text_code_sends + 1;
    invitations::text_code_sent(&mut tx, inv.id, &code::digest(&code, token.expose()), at + CODE_LIFE_SECS, sends, at).await.map_err(RegisterError::internal)?;
    let lang = chart.language;
    let body = t::registration_code_text(lang, code.expose(), CODE_LIFE_SECS / 60);
    let m = Message { channel: Channel::Sms, to: to.e164(), subject: "", body: &body, lang, patient_id: Some(inv.patient_id) };
    outbox::enqueue(&mut tx, &svc.bodies, &m, at).await.map_err(RegisterError::internal)?;
    let last_four: String = to.e164().chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    let entry = Entry { patient_id: Some(inv.patient_id), actor: Actor::Patient, event: Event::RegistrationCodeSent, detail: &last_four, client };
    svc.audit.append(&mut tx, entry, at).await.map_err(RegisterError::internal)?;
    tx.commit().await.map_err(RegisterError::internal)?;
    let sent = OpenRow { text_code_sent_at: Some(at), text_code_sends: sends, ..inv };
    offer(svc, &sent, chart.mobile.as_ref(), at).ok_or(RegisterError::NoTextCode)
}

/// Whether `typed` (what "Access code" held) is the newest code texted for
/// `inv`, still working at `at`.
pub fn matches(inv: &OpenRow, token: &SecretToken, typed: &str, at: i64) -> bool {
    let Ok(typed) = SecurityCode::parse(typed.trim(), DEFAULT_CODE_DIGITS) else { return false };
    match (&inv.text_code_mac, inv.text_code_expires_at) {
        (Some(mac), Some(until)) if at < until => code::matches(mac, &typed, token.expose()),
        _ => false,
    }
}

/// Whether `typed` has the shape of a texted code (and so isn't an access code typed wrong).
pub fn is_code_shaped(typed: &str) -> bool {
    SecurityCode::parse(typed.trim(), DEFAULT_CODE_DIGITS).is_ok()
}
