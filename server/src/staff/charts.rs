//! What the console reads: the patient list with its search (indexed,
//! paged), and one chart with its portal status, troubleshooting findings,
//! audit log (newest first, paged) and messages.

use app::staff::{AuditRow, ChartView, MessageRow, PatientPage, PatientRow, StaffError};

use app::ids::PatientId;

use crate::audit::{Entry, Event};
use crate::client::ClientMeta;
use crate::signin::internal;
use crate::staff::signin::StaffMember;
use crate::staff::findings::{self, Facts, InvitationFacts, MessageFacts, ResetFacts, SecondStepFacts, TwoStepFacts};
use app::two_step::CodesBy;
use crate::staff::words;
use app::phone::MobileNumber;
use crate::store::charts as store;
use crate::store::states::EnrollmentState;
use crate::Services;

pub const PAGE_SIZE: i64 = 25;
pub const AUDIT_PAGE_SIZE: i64 = 20;
/// The newest messages the chart lists.
const MESSAGES_SHOWN: i64 = 20;

fn fail(e: impl std::fmt::Display + 'static) -> StaffError {
    StaffError::Portal(internal(e))
}

fn dashed(dob: &str) -> String {
    if dob.len() == 8 { format!("{}-{}-{}", &dob[..4], &dob[4..6], &dob[6..]) } else { dob.to_string() }
}

/// A stored `YYYYMMDD` as people read it: "Mar 12, 1985".
fn readable(dob: &str) -> String {
    jiff::civil::Date::strptime("%Y%m%d", dob).map(|d| d.strftime("%b %-d, %Y").to_string()).unwrap_or_else(|_| dob.to_string())
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
            dob: dashed(&r.dob),
            status: EnrollmentState::portal_status(r.state),
        })
        .collect();
    Ok(PatientPage { rows, page, has_more })
}

/// A patient's chart as `who` reads it; the reading is audited (SPEC §3).
pub async fn chart(svc: &Services, who: &StaffMember, client: &ClientMeta, id: PatientId, audit_page: u32) -> Result<ChartView, StaffError> {
    let pool = &svc.store.pool;
    let c = store::chart(pool, id).await.map_err(fail)?.ok_or(StaffError::NoSuchPatient)?;
    let status = EnrollmentState::portal_status(c.state);
    let email = c.invited_email.or(c.chart_email);
    let invitation = store::newest_invitation(pool, id).await.map_err(fail)?;
    let reset = match c.account_id {
        Some(account) => store::newest_reset(pool, account).await.map_err(fail)?,
        None => None,
    };
    let messages = store::recent_messages(pool, id, MESSAGES_SHOWN).await.map_err(fail)?;
    let audit_page = audit_page.max(1);
    let offset = (i64::from(audit_page) - 1) * AUDIT_PAGE_SIZE;
    let audit = store::audit_events(pool, id, AUDIT_PAGE_SIZE + 1, offset).await.map_err(fail)?;
    let mobile = c.mobile.as_deref().and_then(|m| MobileNumber::parse(m).ok()).map(|m| m.masked());
    let setting = match c.account_id {
        Some(account) => Some((account, crate::store::two_step::setting(pool, account).await.map_err(fail)?)),
        None => None,
    };
    let two_step = match setting.and_then(|(account, s)| Some((account, s.method?))) {
        Some((account, method)) => {
            let last = crate::store::two_step::latest_challenge(pool, account).await.map_err(fail)?;
            let by = CodesBy::from(method);
            let to = match by {
                CodesBy::Text => mobile.clone(),
                CodesBy::Email => email.clone(),
                CodesBy::App => Some(String::new()),
            };
            Some(TwoStepFacts {
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
            })
        }
        None => None,
    };

    let facts = Facts {
        status,
        failures: c.failed_attempts.unwrap_or(0),
        locked_until: c.locked_until,
        has_email: email.is_some(),
        has_mobile: c.mobile.is_some(),
        invitation: invitation.map(|i| InvitationFacts {
            state: i.state,
            created_at: i.created_at,
            expires_at: i.expires_at,
            dob_failures: i.dob_failures,
            opened_at: i.opened_at,
        }),
        reset: reset.map(|r| ResetFacts {
            step: r.step,
            created_at: r.created_at,
            expires_at: r.expires_at,
            code_channel: r.code_channel,
            code_sent_at: r.code_sent_at,
        }),
        last_message: messages.first().map(|m| MessageFacts {
            channel: m.channel,
            to: m.recipient.clone(),
            status: m.status,
            error: m.last_error.clone(),
            created_at: m.created_at,
        }),
        two_step,
    };
    let at = svc.clock.now();
    let mut tx = svc.store.begin_write().await.map_err(fail)?;
    let actor = who.actor();
    svc.audit.append(&mut tx, Entry { patient_id: Some(id), actor, event: Event::ChartViewed, detail: "", client }, at).await.map_err(fail)?;
    tx.commit().await.map_err(fail)?;
    let cfg = &svc.config;
    let findings = findings::diagnose(&facts, at, &|t| cfg.staff_time(t), &|t| cfg.staff_date(t));
    let audit_has_more = audit.len() as i64 > AUDIT_PAGE_SIZE;
    Ok(ChartView {
        id: c.id,
        first_name: c.first_name,
        last_name: c.last_name,
        dob: readable(&c.dob),
        dob_typed: c.dob,
        status,
        locked_until: c.locked_until.filter(|u| at < *u).map(|u| cfg.staff_time(u)),
        two_step: facts.two_step.as_ref().map(|t| t.codes_go.clone()),
        passkeys: match c.account_id {
            Some(account) => crate::store::passkeys::count_of_account(pool, account).await.map_err(fail)?,
            None => 0,
        },
        language: crate::store::patients::language(pool, id).await.map_err(fail)?,
        mobile,
        mail_from: cfg.mail_from.to_string(),
        portal_url: cfg.public_url.to_string(),
        username: c.username.filter(|u| Some(u) != email.as_ref()),
        email,
        enrolled_on: c.enrolled_at.map(|t| cfg.staff_date(t)),
        last_sign_in: c.last_sign_in_at.map(|t| cfg.staff_time(t)),
        findings,
        audit: audit
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
        messages: messages
            .into_iter()
            .map(|m| {
                let (delivery, reason) = words::delivery(m.status, m.channel, m.last_error.as_deref());
                MessageRow { at: cfg.staff_time(m.created_at), channel: words::channel(m.channel).into(), to: m.recipient, subject: m.subject, delivery, reason }
            })
            .collect(),
    })
}
