//! Family and caregivers (SPEC §2.7): the age rules in the practice's time
//! zone, what an account sees (`/`, `/charts/{id}`), and access ending —
//! removed by the patient, left by the family member, or at a minor's 18th
//! birthday (the sweep; every read checks the day too, so the sweep being
//! late changes nothing anyone sees).

use app::dob::{DateOfBirth, Ymd};
use app::family::{age_on, birthday, ChartItem, ChartPage, EndedItem, HomeView, PersonKey, Relation, ADULT_AGE};
use app::i18n::{t, Lang};
use app::ids::PatientId;

use crate::audit::{detail, Actor, Entry, Event};
use crate::client::ClientMeta;
use crate::outbox::{self, Channel, Message};
use crate::person::Person;
use crate::store::{accounts, grants, invitations, patients, Tx};
use crate::Services;

/// How long `/` keeps saying a shared record ended at 18.
const ENDED_SHOWN_SECS: i64 = 30 * 24 * 60 * 60;

/// Today in the practice's time zone (a birthday begins at its midnight).
pub fn practice_today(svc: &Services, at: i64) -> Ymd {
    let z = jiff::Timestamp::from_second(at).unwrap_or(jiff::Timestamp::UNIX_EPOCH).to_zoned_datetime(svc.config.timezone.clone());
    Ymd { year: z.year().max(0) as u16, month: z.month() as u8, day: z.day() as u8 }
}

/// The age of a patient born `dob` at `at`, in the practice's time zone.
pub fn age(svc: &Services, dob: DateOfBirth, at: i64) -> u16 {
    age_on(dob.ymd(), practice_today(svc, at))
}

/// When a grant as `relation` to a patient born `dob` ends by itself: a
/// parent's at the start of the 18th birthday in the practice's time zone.
pub fn ends_at(svc: &Services, relation: Relation, dob: DateOfBirth) -> Option<i64> {
    if relation != Relation::Parent {
        return None;
    }
    let b = birthday(dob.ymd(), ADULT_AGE);
    let date = jiff::civil::Date::new(b.year as i16, b.month as i8, b.day as i8).ok()?;
    date.to_zoned_datetime(svc.config.timezone.clone()).ok().map(|z| z.timestamp().as_second())
}

/// `/` of `who`: every chart it sees, and those that stopped being shared at 18 lately.
pub async fn home(svc: &Services, who: Person, first_name: String, idle_timeout_secs: u32) -> sqlx::Result<HomeView> {
    let at = svc.clock.now();
    let seen = grants::seen_by(&svc.store, who.account, at).await?;
    let charts = seen
        .into_iter()
        .map(|r| ChartItem { id: r.patient_id, full_name: format!("{} {}", r.first_name, r.last_name), relation: r.relationship.relation() })
        .collect();
    let ended = grants::ended_turned_18(&svc.store, who.account, at - ENDED_SHOWN_SECS).await?;
    let ended = ended.into_iter().map(|first_name| EndedItem { first_name }).collect();
    Ok(HomeView { first_name, idle_timeout_secs, charts, ended })
}

/// `/charts/{id}` for `who`; `None` when the account doesn't see that chart,
/// exactly as when no chart has that id.
pub async fn chart_page(svc: &Services, who: Person, id: PatientId, idle_timeout_secs: u32) -> sqlx::Result<Option<ChartPage>> {
    let at = svc.clock.now();
    let Some(rel) = grants::relationship(&svc.store, who.account, id, at).await? else { return Ok(None) };
    let Some(chart) = patients::names(&svc.store, id).await? else { return Ok(None) };
    let contact = (!svc.config.practice_phone.trim().is_empty()).then(|| (svc.config.practice_name.clone(), svc.config.practice_phone.clone()));
    Ok(Some(ChartPage { full_name: format!("{} {}", chart.0, chart.1), relation: rel.relation(), contact, idle_timeout_secs }))
}

/// Why a grant ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The patient (or staff) removed the person's access.
    Removed,
    /// The person stopped seeing the chart.
    Left,
    /// The patient turned 18 (a parent's access).
    Turned18,
}

impl Ending {
    fn stored(self) -> &'static str {
        match self {
            Ending::Removed => "removed",
            Ending::Left => "left",
            Ending::Turned18 => "turned_18",
        }
    }

    fn event(self) -> Event {
        match self {
            Ending::Removed => Event::AccessRemoved,
            Ending::Left => Event::AccessLeft,
            Ending::Turned18 => Event::AccessEndedTurned18,
        }
    }
}

/// Ends `grant` in `tx`: every session of its account loses the chart at
/// its next request (`sessions::lookup_patient` reads the grant each time),
/// and a pending second step opens on no chart it no longer sees; the chart's log says who lost access as what, and
/// the person and (an adult) patient are emailed.
pub async fn end(svc: &Services, tx: &mut Tx, grant: &grants::GrantRow, ending: Ending, actor: Actor, client: &ClientMeta, at: i64) -> anyhow::Result<bool> {
    let Some(relation) = grant.relationship.relation() else { anyhow::bail!("a chart's own access is revoked, not removed") };
    if !grants::end(tx, grant.id, ending.stored(), at).await? {
        return Ok(false);
    }
    let person = accounts::contact(&mut **tx, grant.account_id).await?;
    let chart = patients::chart(&mut **tx, grant.patient_id).await?;
    let name = person.as_ref().map(|p| p.full_name()).unwrap_or_default();
    let d = detail::person(&name, relation, None);
    let entry = Entry { patient_id: Some(grant.patient_id), actor, event: ending.event(), detail: &d, client };
    svc.audit.append(tx, entry, at).await?;
    if let (Some(p), Some(c)) = (&person, &chart) {
        if let Some(email) = &p.email {
            let body = t::access_ended_body(p.language, &p.first_name, &c.first_name);
            let m = Message { channel: Channel::Email, to: email, subject: t::access_ended_subject(p.language), body: &body, lang: p.language, patient_id: Some(grant.patient_id) };
            outbox::enqueue(tx, &svc.bodies, &m, at).await?;
        }
    }
    Ok(true)
}

/// Gives `account` access to `patient_id` as `relation` in `tx` (granted by
/// `granted_by`, an actor as the audit log writes it): a parent's ends on
/// the 18th birthday; the chart's log names who, as what; an adult patient
/// is emailed. Nothing when the account already sees the chart.
#[allow(clippy::too_many_arguments)]
pub async fn give(svc: &Services, tx: &mut Tx, account: app::ids::AccountId, patient_id: PatientId, relation: Relation, granted_by: &str, client: &ClientMeta, at: i64) -> anyhow::Result<()> {
    if grants::relationship(&mut **tx, account, patient_id, at).await?.is_some() {
        return Ok(());
    }
    let chart = patients::chart(&mut **tx, patient_id).await?.ok_or_else(|| anyhow::anyhow!("no chart {patient_id}"))?;
    grants::insert(tx, account, patient_id, relation.into(), granted_by, at, ends_at(svc, relation, chart.dob)).await?;
    let name = accounts::contact(&mut **tx, account).await?.map(|c| c.full_name()).unwrap_or_default();
    let d = detail::person(name.trim(), relation, None);
    let entry = Entry { patient_id: Some(patient_id), actor: Actor::Account(account), event: Event::AccessGiven, detail: &d, client };
    svc.audit.append(tx, entry, at).await?;
    tell_patient_given(svc, tx, patient_id, name.trim(), relation, at).await
}

/// Tells the patient of `patient_id` (an adult with an email) that `name` can now see their records.
pub async fn tell_patient_given(svc: &Services, tx: &mut Tx, patient_id: PatientId, name: &str, relation: Relation, at: i64) -> anyhow::Result<()> {
    let Some(c) = patients::chart(&mut **tx, patient_id).await? else { return Ok(()) };
    if age(svc, c.dob, at) < ADULT_AGE {
        return Ok(());
    }
    let Some(email) = c.invited_email.clone().or(c.chart_email.clone()) else { return Ok(()) };
    let lang: Lang = c.language;
    let body = t::access_given_body(lang, &c.first_name, name, relation.label(lang));
    let m = Message { channel: Channel::Email, to: &email, subject: t::access_given_subject(lang), body: &body, lang, patient_id: Some(patient_id) };
    outbox::enqueue(tx, &svc.bodies, &m, at).await?;
    Ok(())
}

/// Ends `person`'s access to `patient_id` (a live grant) or withdraws their
/// invitation, for `actor` (the patient, or staff); false when there was
/// nothing to end.
pub async fn remove(svc: &Services, patient_id: PatientId, person: PersonKey, actor: Actor, client: &ClientMeta) -> anyhow::Result<bool> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    let done = match person {
        PersonKey::Grant(id) => match grants::live_on(&mut tx, id, patient_id).await? {
            Some(g) if g.relationship.relation().is_some() => end(svc, &mut tx, &g, Ending::Removed, actor, client, at).await?,
            _ => false,
        },
        PersonKey::Invitation(id) => {
            let Some(inv) = invitations::open_family(&mut *tx, id, patient_id).await? else { return Ok(false) };
            if !invitations::void_family(&mut tx, id, patient_id, at).await? {
                return Ok(false);
            }
            let name = inv.invitee_name.clone().unwrap_or_else(|| inv.email.clone());
            let d = inv.relationship.relation().map(|r| detail::person(&name, r, Some(&inv.email))).unwrap_or_default();
            let entry = Entry { patient_id: Some(patient_id), actor, event: Event::InvitationWithdrawn, detail: &d, client };
            svc.audit.append(&mut tx, entry, at).await?;
            true
        }
    };
    tx.commit().await?;
    Ok(done)
}

/// `who` stops seeing `patient_id` (not its own chart).
pub async fn leave(svc: &Services, who: Person, patient_id: PatientId, client: &ClientMeta) -> anyhow::Result<bool> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    let Some(g) = grants::live_of(&mut tx, who.account, patient_id).await? else { return Ok(false) };
    if g.relationship.relation().is_none() {
        return Ok(false);
    }
    let done = end(svc, &mut tx, &g, Ending::Left, Actor::Account(who.account), client, at).await?;
    tx.commit().await?;
    Ok(done)
}

/// Ends every parent's access whose child turned 18 by now; how many.
pub async fn sweep_turned_18(svc: &Services) -> anyhow::Result<usize> {
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await?;
    let due = grants::due(&mut tx, at).await?;
    let mut n = 0;
    for g in &due {
        if end(svc, &mut tx, g, Ending::Turned18, Actor::System, &ClientMeta::cli(), at).await? {
            n += 1;
        }
    }
    tx.commit().await?;
    Ok(n)
}
