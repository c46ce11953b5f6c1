//! What the console reads: the patient list with its search (indexed,
//! paged), and one chart with its portal status, troubleshooting findings,
//! audit log (newest first, paged) and messages.

use crate::internal::Internal as _;
use app::staff::{AuditRow, ChartView, MessageRow, PatientPage, PatientRow, StaffError};

use app::dob::DateOfBirth;
use app::ids::PatientId;

use crate::audit::{Entry, Event};
use crate::client::ClientMeta;
use crate::internal::internal;
use crate::staff::signin::StaffMember;
use crate::staff::findings::{self, EndedFacts, Facts, InvitationFacts, MessageFacts, PersonFacts, ResetFacts, SecondStepFacts, TwoStepFacts};
use crate::audit::detail;
use crate::store::grants::PersonRow;
use app::family::PersonKey;
use app::staff::PersonAction;
use app::two_step::CodesBy;
use crate::staff::words;
use app::phone::MobileNumber;
use crate::config::Config;
use crate::store::charts as store;
use crate::store::states::{Channel, TwoStepMethod};
use crate::store::two_step::ChallengeRow;
use crate::store::Tx;
use crate::store::states::EnrollmentState;
use crate::Services;

pub const PAGE_SIZE: i64 = 25;
pub const AUDIT_PAGE_SIZE: i64 = 20;
/// The newest messages the chart lists.
const MESSAGES_SHOWN: i64 = 20;

fn dashed(dob: DateOfBirth) -> String {
    let d = dob.ymd();
    format!("{:04}-{:02}-{:02}", d.year, d.month, d.day)
}

/// A date of birth as people read it: "Mar 12, 1985".
fn readable(dob: DateOfBirth) -> String {
    let d = dob.ymd();
    jiff::civil::Date::new(d.year as i16, d.month as i8, d.day as i8).map(|d| d.strftime("%b %-d, %Y").to_string()).unwrap_or_else(|_| dashed(dob))
}

/// A name (prefix of the first or last name, any case) or a date of birth
/// as YYYYMMDD; an empty query lists everyone. Ordered by last, first name.
pub async fn search(svc: &Services, query: &str, page: u32) -> Result<PatientPage, app::error::PortalError> {
    let q: String = query.trim().chars().filter(|c| !c.is_control()).take(100).collect::<String>().to_lowercase();
    let page = page.max(1);
    let offset = (i64::from(page) - 1) * PAGE_SIZE;
    let wanted = if q.is_empty() {
        store::Wanted::Everyone
    } else if q.len() == 8 && q.chars().all(|c| c.is_ascii_digit()) {
        store::Wanted::BornOn(&q)
    } else {
        store::Wanted::NamePrefix(&q)
    };
    let rows = store::search(&svc.store, wanted, PAGE_SIZE + 1, offset).await.map_err(internal)?;
    let has_more = rows.len() as i64 > PAGE_SIZE;
    let rows = rows
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|r| PatientRow {
            id: r.id,
            first_name: r.first_name,
            last_name: r.last_name,
            dob: dashed(r.dob),
            status: EnrollmentState::portal_status(r.state),
        })
        .collect();
    Ok(PatientPage { rows, page, has_more })
}

/// Everything a chart shows, as one snapshot of the store.
struct ChartRead {
    chart: store::ChartRow,
    invitation: Option<store::InvitationRow>,
    reset: Option<store::ResetRow>,
    messages: Vec<store::MessageRow>,
    /// One page of the audit log, and one entry more when there is a next page.
    audit: Vec<store::AuditEventRow>,
    two_step: Option<(TwoStepMethod, Option<ChallengeRow>)>,
    passkeys: i64,
    language: app::i18n::Lang,
}

/// Reads a chart's facts in `tx`, so that they agree with each other.
async fn read(tx: &mut Tx, id: PatientId, audit_page: u32) -> sqlx::Result<Option<ChartRead>> {
    let Some(chart) = store::chart(tx, id).await? else { return Ok(None) };
    let invitation = store::newest_invitation(tx, id).await?;
    let messages = store::recent_messages(tx, id, MESSAGES_SHOWN).await?;
    let offset = (i64::from(audit_page) - 1) * AUDIT_PAGE_SIZE;
    let audit = store::audit_events(tx, id, AUDIT_PAGE_SIZE + 1, offset).await?;
    let language = crate::store::patients::language(&mut **tx, id).await?;
    let (mut reset, mut two_step, mut passkeys) = (None, None, 0);
    if let Some(account) = chart.account_id {
        reset = store::newest_reset(tx, account).await?;
        if let Some(method) = crate::store::two_step::setting(&mut **tx, account).await?.method {
            two_step = Some((method, crate::store::two_step::latest_challenge(&mut **tx, account).await?));
        }
        passkeys = crate::store::passkeys::count_of_account(&mut **tx, account).await?;
    }
    Ok(Some(ChartRead { chart, invitation, reset, messages, audit, two_step, passkeys, language }))
}

/// A patient's chart as `who` reads it: its facts in one transaction, with
/// the reading audited in it (SPEC §3), then the view made of them.
pub async fn chart(svc: &Services, who: &StaffMember, client: &ClientMeta, id: PatientId, audit_page: u32) -> Result<ChartView, StaffError> {
    let audit_page = audit_page.max(1);
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(StaffError::internal)?;
    let facts = read(&mut tx, id, audit_page).await.map_err(StaffError::internal)?.ok_or(StaffError::NoSuchPatient)?;
    let people = crate::store::grants::people_of(&mut *tx, id, at).await.map_err(StaffError::internal)?;
    let ended = crate::store::grants::ended_turned_18_on(&mut *tx, id, at - ENDED_SHOWN_SECS).await.map_err(StaffError::internal)?;
    svc.audit.append(&mut tx, Entry { patient_id: Some(id), actor: who.actor(), event: Event::ChartViewed, detail: "", client }, at).await.map_err(StaffError::internal)?;
    tx.commit().await.map_err(StaffError::internal)?;
    let code = crate::enrollment::invite::open_code(svc, id, None, true).await.map_err(StaffError::internal)?;
    let age = crate::family::age(svc, facts.chart.dob, at);
    let mut v = view(facts, &svc.config, at, audit_page);
    v.access_code = code.map(|c| c.expose().to_string());
    let cfg = &svc.config;
    let facts: Vec<PersonFacts> = people.iter().filter_map(person_facts).collect();
    let ended: Vec<EndedFacts> = ended
        .into_iter()
        .filter_map(|e| e.relationship.relation().map(|r| EndedFacts { words: detail::Person { name: e.name, relation: r, email: None }.words(), ended_at: e.ended_at }))
        .collect();
    v.findings.extend(findings::diagnose_people(&facts, &ended, v.status, at, &|t| cfg.staff_time(t), &|t| cfg.staff_date(t)));
    v.people = people.into_iter().map(|p| person(svc, p, at)).collect();
    v.offered = app::family::Relation::offered_at(age);
    v.no_own_account = (age < app::family::OWN_ACCOUNT_AGE).then(|| "Under 13: no account of their own. A parent or guardian gets access instead (\"Add a family member or caregiver\").".to_string());
    Ok(v)
}

/// How long the panel keeps saying a parent's access ended at 18.
const ENDED_SHOWN_SECS: i64 = 30 * 24 * 60 * 60;

/// Which of "People with access" `p` is.
fn key_of(p: &PersonRow) -> Option<PersonKey> {
    match (p.grant_id, p.invitation_id) {
        (Some(g), _) => Some(PersonKey::Grant(g)),
        (None, Some(i)) => Some(PersonKey::Invitation(i)),
        (None, None) => None,
    }
}

fn person_facts(p: &PersonRow) -> Option<PersonFacts> {
    let relation = p.relationship.relation()?;
    Some(PersonFacts {
        key: key_of(p)?,
        words: detail::Person { name: p.name.clone(), relation, email: None }.words(),
        invitation_expires: p.expires_at,
        locked_until: p.locked_until,
        failures: p.failures.unwrap_or(0),
    })
}

/// A row of "People with access", with what staff can do for the person.
fn person(svc: &Services, p: PersonRow, at: i64) -> app::staff::PersonWithAccess {
    let cfg = &svc.config;
    let locked = p.locked_until.is_some_and(|u| u > at);
    let (status, actions) = match (p.grant_id, p.expires_at) {
        (None, Some(e)) if e <= at => (format!("Invitation expired {}", cfg.staff_date(e)), vec![PersonAction::Resend, PersonAction::Remove]),
        (None, _) => ("Invited".to_string(), vec![PersonAction::Resend, PersonAction::Remove]),
        (Some(_), _) if locked => (format!("Locked until {}", cfg.staff_time(p.locked_until.unwrap_or(at))), vec![PersonAction::Unlock, PersonAction::Remove]),
        (Some(_), _) => ("Active".to_string(), vec![PersonAction::Remove]),
    };
    let expired = p.grant_id.is_none() && p.expires_at.is_some_and(|e| e <= at);
    let access_code = match (&p.token_hash, &p.code_sealed, expired) {
        (Some(t), Some(s), false) => svc.access_codes.open(t, s).map(|c| c.expose().to_string()),
        _ => None,
    };
    app::staff::PersonWithAccess {
        key: key_of(&p).unwrap_or(PersonKey::Invitation(0)),
        name: p.name,
        relationship: p.relationship.relation().map(|r| r.label(app::i18n::Lang::En).to_string()).unwrap_or_default(),
        status,
        email: p.email,
        access_code,
        ends: p.ends_at.map(|e| format!("Ends {} (turns 18)", cfg.staff_date(e))),
        actions,
    }
}

/// The chart page made of its facts (no store, no clock of its own).
fn view(r: ChartRead, cfg: &Config, at: i64, audit_page: u32) -> ChartView {
    let c = r.chart;
    let status = EnrollmentState::portal_status(c.state);
    let email = c.invited_email.or(c.chart_email);
    let mobile = c.mobile.as_ref().map(MobileNumber::masked);
    let two_step = r.two_step.map(|(method, last)| {
        let by = CodesBy::from(method);
        let to = match by {
            CodesBy::Text => mobile.clone(),
            CodesBy::Email => email.clone(),
            CodesBy::App => Some(String::new()),
        };
        TwoStepFacts {
            codes_go: match by {
                CodesBy::App => "from the patient's authenticator app".to_string(),
                _ => by.phrase(app::i18n::Lang::En, to.as_deref().unwrap_or_default()).trim_end_matches(" to ").to_string(),
            },
            deliverable: to.is_some(),
            last: last.map(|s| SecondStepFacts {
                created_at: s.created_at,
                expires_at: s.expires_at,
                passed: s.passed_at.is_some(),
                ended: s.ended_at.is_some(),
                wrong_codes: s.code_failures,
            }),
        }
    });
    let facts = Facts {
        status,
        failures: c.failed_attempts.unwrap_or(0),
        locked_until: c.locked_until,
        locked_until_reset: crate::lockout::locked_until_reset(c.second_factor_misses.unwrap_or(0)),
        has_email: email.is_some(),
        has_mobile: c.mobile.is_some(),
        invitation: r.invitation.map(|i| InvitationFacts {
            state: i.state,
            created_at: i.created_at,
            expires_at: i.expires_at,
            dob_failures: i.dob_failures,
            opened_at: i.opened_at,
        }),
        reset: r.reset.map(|r| ResetFacts {
            step: r.step,
            created_at: r.created_at,
            expires_at: r.expires_at,
            code_channel: r.code_channel,
            code_sent_at: r.code_sent_at,
        }),
        last_message: r.messages.first().map(|m| MessageFacts {
            channel: m.channel,
            to: shown_recipient(m.channel, &m.recipient),
            status: m.status,
            error: m.last_error.clone(),
            created_at: m.created_at,
        }),
        two_step,
    };
    let findings = findings::diagnose(&facts, at, &|t| cfg.staff_time(t), &|t| cfg.staff_date(t));
    let audit_has_more = r.audit.len() as i64 > AUDIT_PAGE_SIZE;
    ChartView {
        id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        dob: readable(c.dob),
        dob_typed: c.dob.compact(),
        status,
        locked_until: c.locked_until.filter(|u| at < *u).map(|u| cfg.staff_time(u)),
        two_step: facts.two_step.as_ref().map(|t| t.codes_go.clone()),
        passkeys: r.passkeys,
        language: r.language,
        access_code: None,
        people: Vec::new(),
        offered: Vec::new(),
        no_own_account: None,
        mobile,
        mail_from: cfg.mail_from.to_string(),
        portal_url: cfg.public_url.to_string(),
        username: c.username.filter(|u| Some(u) != email.as_ref()),
        email,
        enrolled_on: c.enrolled_at.map(|t| cfg.staff_date(t)),
        last_sign_in: c.last_sign_in_at.map(|t| cfg.staff_time(t)),
        findings,
        audit: r
            .audit
            .into_iter()
            .take(AUDIT_PAGE_SIZE as usize)
            .map(|e| AuditRow {
                at: cfg.staff_time(e.at),
                actor: words::actor(&e.actor, &e.ip),
                event: words::entry(&e.event, &e.detail),
                ip: e.ip,
                user_agent: e.user_agent,
            })
            .collect(),
        audit_page,
        audit_has_more,
        messages: r
            .messages
            .into_iter()
            .map(|m| {
                let (delivery, reason) = words::delivery(m.status, m.channel, m.last_error.as_deref());
                MessageRow { at: cfg.staff_time(m.created_at), channel: words::channel(m.channel).into(), to: shown_recipient(m.channel, &m.recipient), subject: m.subject, delivery, reason }
            })
            .collect(),
    }
}

/// A message's recipient as staff read it: a number masked as the dialog
/// shows it ("(•••) •••-4567"), so a screen at the front desk doesn't show
/// a patient's whole number; an email address as it is.
fn shown_recipient(channel: Channel, to: &str) -> String {
    match channel {
        Channel::Email => to.to_string(),
        Channel::Sms | Channel::Voice => MobileNumber::parse(to).map(|m| m.masked()).unwrap_or_else(|_| "(•••) •••-••••".into()),
    }
}
