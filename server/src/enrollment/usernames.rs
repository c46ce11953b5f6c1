//! "Forgot username?" (SPEC §2.3): every username tied to an email address
//! and a date of birth goes to that address (a parent may manage several
//! family accounts). The caller always gets the same answer.

use app::i18n::t;
use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::register::UsernameHelpError;

use crate::sessions::Person;
use crate::store::accounts;
use crate::audit::{Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::recovery::reset::take_hourly_email;
use crate::store::flows::RecoveryEmail;
use crate::internal::internal;
use crate::throttle::Endpoint;
use crate::Services;


pub async fn send(svc: &Services, client: &ClientMeta, email: &str, dob: &str) -> Result<(), UsernameHelpError> {
    svc.throttle.check(Endpoint::Reset, client.ip).await?;
    let email = EmailAddress::parse(email).map_err(UsernameHelpError::Email)?;
    let dob = DateOfBirth::parse(dob, svc.clock.today()).map_err(UsernameHelpError::Dob)?;
    crate::even_time::at_least(crate::even_time::FLOOR, remind(svc, client, &email, &dob)).await
}

/// The email listing the usernames, when any matched; an audit entry either way.
async fn remind(svc: &Services, client: &ClientMeta, email: &EmailAddress, dob: &DateOfBirth) -> Result<(), UsernameHelpError> {
    let accounts = accounts::enrolled_by_email_and_dob(&svc.store, email.as_str(), &dob.compact()).await.map_err(internal)?;
    // One email for the address: in the language of the first account it names.
    let lang = accounts.first().map(|a| a.language).unwrap_or_default();
    let accounts: Vec<(Person, String, String)> =
        accounts.into_iter().map(|a| (Person { account: a.account_id, chart: a.patient_id }, a.first_name, a.username)).collect();

    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(internal)?;
    let matched = !accounts.is_empty();
    let mut under_limit = Vec::with_capacity(accounts.len());
    for a in accounts {
        if take_hourly_email(svc, &mut tx, a.0.account, RecoveryEmail::UsernameReminder, at).await? {
            under_limit.push(a);
        } else {
            let entry = Entry { patient_id: a.0.chart, actor: Actor::Anonymous, event: Event::UsernameReminderOverLimit, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
        }
    }
    let accounts = under_limit;
    if !matched {
        let entry = Entry { patient_id: None, actor: Actor::Anonymous, event: Event::UsernameReminderNoMatch, detail: "", client };
        svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
    } else if !accounts.is_empty() {
        let names: Vec<(&str, &str)> = accounts.iter().map(|(_, first, username)| (first.as_str(), username.as_str())).collect();
        let body = t::username_email_body(lang, &names);
        let first_patient = accounts.iter().find_map(|(who, ..)| who.chart);
        let subject = t::username_email_subject(lang);
        let m = Message { channel: Channel::Email, to: email.as_str(), subject, body: &body, lang, patient_id: first_patient };
        outbox::enqueue(&mut tx, &svc.bodies, &m, at).await.map_err(internal)?;
        for (who, ..) in &accounts {
            let entry = Entry { patient_id: who.chart, actor: Actor::Anonymous, event: Event::UsernameReminderSent, detail: "", client };
            svc.audit.append(&mut tx, entry, at).await.map_err(internal)?;
        }
    }
    tx.commit().await.map_err(internal)?;
    Ok(())
}
