//! Stored reset flows: asking for a reset link. Whether or not the username
//! exists the caller learns nothing; a known, enrolled account gets an email
//! with a new link, and any older link of that account stops working.

use app::i18n::t;
use app::error::PortalError;
use app::username::Username;

use crate::sessions::Person;
use app::ids::AccountId;
use crate::store::flows::{self, RecoveryEmail};
use crate::store::accounts;
use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::recovery::flow::{Flow, EMAILS_PER_HOUR, HOUR_SECS, LINK_LIFE_SECS};
use crate::internal::internal;
use crate::throttle::Endpoint;
use crate::tokens::SecretToken;
use crate::Services;


/// Handles "Forgot password?": the same `Ok(())` for every username.
pub async fn request(svc: &Services, client: &ClientMeta, username: &str) -> Result<(), PortalError> {
    svc.throttle.check(Endpoint::Reset, client.ip).await?;
    let username = Username::parse(username)?;
    crate::even_time::at_least(crate::even_time::FLOOR, issue(svc, client, &username)).await
}

/// Takes one of the account's `EMAILS_PER_HOUR` `kind` emails for the past
/// hour: `false` once they are used. Counted per account (a caregiver's
/// requests never use up the patient's), with the account held until `tx`
/// ends so that parallel requests can't all take the last one.
pub async fn take_hourly_email(svc: &Services, tx: &mut crate::store::Tx, account: AccountId, kind: RecoveryEmail, at: i64) -> Result<bool, PortalError> {
    accounts::hold(&svc.store, tx, account).await.map_err(internal)?;
    let n = flows::emails_sent_since(tx, account, kind, at - HOUR_SECS).await.map_err(internal)?;
    if n >= EMAILS_PER_HOUR {
        return Ok(false);
    }
    flows::email_sent(tx, account, kind, at).await.map_err(internal)?;
    Ok(true)
}

/// Forgets the recovery emails that count for nothing any more (older than the hour).
pub async fn sweep_hourly_emails(store: &crate::store::Store, now: i64) -> sqlx::Result<u64> {
    flows::sweep_emails(store, now - HOUR_SECS).await
}

/// A new link for a known, enrolled account; an audit entry either way.
async fn issue(svc: &Services, client: &ClientMeta, username: &Username) -> Result<(), PortalError> {
    let account = accounts::enrolled_by_username(&svc.store, username.as_str()).await.map_err(internal)?;

    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    match account.map(|a| (Person { account: a.account_id, chart: a.patient_id }, a.first_name, a.email, a.language)) {
        Some((who, _, Some(_), _)) if !take_hourly_email(svc, &mut tx, who.account, RecoveryEmail::ResetLink, at).await? => {
            // Past the limit no older link is voided: asking again and again can't keep a patient's link dead.
            let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::ResetRequestedOverLimit, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
        }
        Some((who, first_name, Some(email), lang)) => {
            flows::void_open(&mut tx, who.account, at).await.map_err(internal)?;
            let token = SecretToken::generate();
            let flow = Flow::new(at);
            flows::create(&mut tx, &token.storage_key(), who.account, flow.step, flow.expires_at, at).await.map_err(internal)?;
            let link = svc.config.public_url.join(&format!("reset/{}", token.expose())).map_err(internal)?;
            let body = t::reset_email_body(lang, &first_name, link.as_str(), LINK_LIFE_SECS / 60);
            let subject = t::reset_email_subject(lang);
            let message = Message { channel: Channel::Email, to: &email, subject, body: &body, lang, patient_id: who.chart };
            outbox::enqueue(&mut tx, &svc.bodies, &message, at).await.map_err(internal)?;
            let entry = Entry { patient_id: who.chart, actor: Actor::Patient, event: Event::ResetRequested, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
        }
        _ => {
            let entry = Entry { patient_id: None, actor: Actor::Anonymous, event: Event::ResetRequestedNoAccount, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
        }
    }
    tx.commit().await.map_err(internal)
}
