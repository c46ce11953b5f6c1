//! The "Family and caregivers" section of `/settings` (SPEC §2.7): an adult
//! patient invites someone to their own records (with the current
//! password, at most [`INVITATIONS_A_DAY`] a day) and is shown the access
//! code once; lists who sees the records and removes them; anyone stops
//! seeing a chart someone else shared with them.

use crate::internal::Internal as _;
use app::email::EmailAddress;
use app::family::{AccessStatus, ChartItem, CodeToGive, FamilySettings, PersonItem, PersonKey, Relation, ADULT_AGE};
use app::ids::PatientId;
use app::secret::Password;
use app::settings::SettingsError;

use crate::changes::reauth;
use crate::audit::Actor;
use crate::client::ClientMeta;
use crate::enrollment::invite::{self, InviteError, Invitee, INVITATION_LIFE_SECS};
use crate::family;
use crate::person::Person;
use crate::store::{grants, invitations, patients};
use crate::Services;

/// Family invitations a patient may send from settings in a day: each is an
/// email to an address the patient typed, so the portal can't be made to
/// mail strangers without end.
pub const INVITATIONS_A_DAY: i64 = 10;
const DAY_SECS: i64 = 24 * 60 * 60;

impl From<InviteError> for SettingsError {
    fn from(e: InviteError) -> Self {
        match e {
            InviteError::ParentOfAdult => SettingsError::ParentOfAdult,
            InviteError::NoName => SettingsError::PersonName,
            InviteError::UnderThirteen | InviteError::NoSuchPatient | InviteError::AlreadyEnrolled | InviteError::Revoked => SettingsError::AdultsOnly,
            InviteError::NoEmail => SettingsError::Email(app::email::EmailProblem),
            InviteError::Internal(e) => SettingsError::internal(e),
        }
    }
}

/// The account's own chart when its patient is an adult today: the only
/// one who gives access from settings.
async fn adult_own_chart(svc: &Services, own_chart: Option<PatientId>) -> Result<PatientId, SettingsError> {
    let chart = own_chart.ok_or(SettingsError::AdultsOnly)?;
    let row = patients::chart(&svc.store, chart).await.map_err(SettingsError::internal)?.ok_or(SettingsError::AdultsOnly)?;
    if family::age(svc, row.dob, svc.clock.now()) >= ADULT_AGE {
        Ok(chart)
    } else {
        Err(SettingsError::AdultsOnly)
    }
}

/// What the section shows to the account `who`, whose own chart is `own_chart`.
pub async fn view(svc: &Services, who: Person, own_chart: Option<PatientId>, code_to_give: Option<CodeToGive>) -> anyhow::Result<FamilySettings> {
    let at = svc.clock.now();
    let seeing = grants::seen_by(&svc.store, who.account, at).await?;
    let seeing = seeing
        .into_iter()
        .filter_map(|r| r.relationship.relation().map(|rel| ChartItem { id: r.patient_id, full_name: format!("{} {}", r.first_name, r.last_name), relation: Some(rel) }))
        .collect();
    let Some(chart) = own_chart else {
        return Ok(FamilySettings { seeing, ..FamilySettings::default() });
    };
    let offered = match adult_own_chart(svc, Some(chart)).await {
        Ok(_) => {
            let row = patients::chart(&svc.store, chart).await?;
            row.map(|c| Relation::offered_at(family::age(svc, c.dob, at))).unwrap_or_default()
        }
        Err(_) => Vec::new(),
    };
    let people = grants::people_of(&svc.store, chart, at).await?;
    let people = people
        .into_iter()
        // An invitation that ran out is the practice's to resend; the patient invites again.
        .filter(|p| p.expires_at.is_none_or(|e| e > at))
        .filter_map(|p| {
            let relation = p.relationship.relation()?;
            let (key, status) = match (p.grant_id, p.invitation_id) {
                (Some(g), _) => (PersonKey::Grant(g), AccessStatus::Active),
                (None, Some(i)) => (PersonKey::Invitation(i), AccessStatus::Invited),
                (None, None) => return None,
            };
            Some(PersonItem { key, name: p.name, relation, status })
        })
        .collect();
    Ok(FamilySettings { own_chart: true, offered, people, seeing, code_to_give })
}

/// "Invite": the current password first (a wrong one counts toward the
/// lock), then an invitation to `email` as `relationship`; answers the code
/// to give the person, and the invitation's id.
pub async fn invite(svc: &Services, client: &ClientMeta, who: Person, current: &Password, name: &str, email: &str, relationship: &str) -> Result<(i64, CodeToGive), SettingsError> {
    let relation = Relation::parse(relationship).ok_or(SettingsError::Relationship)?;
    let email = EmailAddress::parse(email).map_err(SettingsError::Email)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(SettingsError::PersonName);
    }
    let a = reauth(svc, client, who, current).await?;
    let chart = adult_own_chart(svc, a.own_chart()).await?;
    let since = svc.clock.now() - DAY_SECS;
    let sent = invitations::family_sent_since(&svc.store, chart, &Actor::Patient.text(), since).await.map_err(SettingsError::internal)?;
    if sent >= INVITATIONS_A_DAY {
        return Err(SettingsError::TooManyInvitations(INVITATIONS_A_DAY));
    }
    let invited = invite::invite(svc, chart, Invitee::Family { email: &email, name, relation }, Actor::Patient, client).await?;
    let days = INVITATION_LIFE_SECS / DAY_SECS;
    Ok((invited.id, CodeToGive { name: name.to_string(), code: invited.code.expose().to_string(), days }))
}

/// The code of invitation `id` to show once more on the page a form
/// without JavaScript lands on: only while it is open, and only to the
/// patient whose chart it is for.
pub async fn code_to_give(svc: &Services, own_chart: Option<PatientId>, id: i64) -> anyhow::Result<Option<CodeToGive>> {
    let Some(chart) = own_chart else { return Ok(None) };
    let inv = invitations::open_family(&svc.store, id, chart).await?;
    let Some(inv) = inv.filter(|i| i.expires_at > svc.clock.now()) else { return Ok(None) };
    let code = inv.access_code_sealed.as_deref().and_then(|s| svc.access_codes.open(&inv.token_hash, s));
    let days = INVITATION_LIFE_SECS / DAY_SECS;
    Ok(code.map(|c| CodeToGive { name: inv.invitee_name.unwrap_or(inv.email), code: c.expose().to_string(), days }))
}

/// "Remove" beside one of "People who can see your records".
pub async fn remove(svc: &Services, client: &ClientMeta, own_chart: Option<PatientId>, person: PersonKey) -> Result<(), SettingsError> {
    let chart = adult_own_chart(svc, own_chart).await?;
    match family::remove(svc, chart, person, Actor::Patient, client).await.map_err(SettingsError::internal)? {
        true => Ok(()),
        false => Err(SettingsError::NoSuchPerson),
    }
}

/// "Remove" beside one of "Records shared with you".
pub async fn stop_seeing(svc: &Services, client: &ClientMeta, who: Person, chart: PatientId) -> Result<(), SettingsError> {
    match family::leave(svc, who, chart, client).await.map_err(SettingsError::internal)? {
        true => Ok(()),
        false => Err(SettingsError::NoSuchPerson),
    }
}
