//! Server functions of the staff console (SPEC §3). Every one checks the
//! staff session itself (through the port): a patient session opens none.

use leptos::prelude::*;

use crate::api::LoginNotice;
use crate::error::PortalError;
use crate::secret::Password;
use crate::staff::{ChartView, PatientPage, SecondStepView, StaffError};

#[server(prefix = "/api", endpoint = "staff_login")]
pub async fn staff_login(username: String, password: Password) -> Result<(), PortalError> {
    let (port, cx) = crate::web::staff()?;
    cx.form(port.sign_in(&cx, &username, &password).await, crate::web::to("/staff/verify"), crate::web::to("/staff/login"))
}

/// What the second step of a staff sign-in shows.
#[server(prefix = "/api", endpoint = "staff_second_step")]
pub async fn staff_second_step() -> Result<SecondStepView, PortalError> {
    let (port, cx) = crate::web::staff()?;
    cx.read(port.second_step(&cx).await)
}

/// "Verification code" → "Verify".
#[server(prefix = "/api", endpoint = "staff_verify")]
pub async fn staff_verify(code: String) -> Result<(), PortalError> {
    let (port, cx) = crate::web::staff()?;
    let refused = |e: &PortalError| if *e == PortalError::NotSignedIn { "/staff/login".into() } else { "/staff/verify".into() };
    cx.form(port.verify(&cx, &code).await, crate::web::to("/staff"), refused)
}

#[server(prefix = "/api", endpoint = "staff_login_notice")]
pub async fn staff_login_notice() -> Result<LoginNotice, PortalError> {
    let (port, cx) = crate::web::staff()?;
    Ok(port.take_login_notice(&cx))
}

#[server(prefix = "/api", endpoint = "staff_logout")]
pub async fn staff_logout() -> Result<(), PortalError> {
    let (port, cx) = crate::web::staff()?;
    cx.form_on("/staff/login", port.sign_out(&cx).await)
}

/// The signed-in staff member's name, or `None`.
#[server(prefix = "/api", endpoint = "staff_me")]
pub async fn staff_me() -> Result<Option<String>, PortalError> {
    let (port, cx) = crate::web::staff()?;
    cx.read(port.me(&cx).await)
}

/// "Search patients": a name, or a date of birth as YYYYMMDD; paged.
#[server(prefix = "/api", endpoint = "staff_patients")]
pub async fn search_patients(query: String, page: u32) -> Result<PatientPage, PortalError> {
    let (port, cx) = crate::web::staff()?;
    cx.read(port.search(&cx, &query, page).await)
}

#[server(prefix = "/api", endpoint = "staff_chart")]
pub async fn load_chart(id: crate::ids::PatientId, audit_page: u32) -> Result<ChartView, StaffError> {
    let (port, cx) = crate::web::staff()?;
    cx.read(port.chart(&cx, id, audit_page).await)
}

/// "Send invitation" / "Resend invitation" (an empty email means the chart's).
#[server(prefix = "/api", endpoint = "staff_invite")]
pub async fn invite_patient(id: crate::ids::PatientId, email: String) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.invite(&cx, id, &email).await
}

#[server(prefix = "/api", endpoint = "staff_unlock")]
pub async fn unlock_account(id: crate::ids::PatientId) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.unlock(&cx, id).await
}

#[server(prefix = "/api", endpoint = "staff_revoke")]
pub async fn revoke_access(id: crate::ids::PatientId) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.revoke(&cx, id).await
}

/// "Turn off two-step verification", with a "Reason", after the staff member
/// confirmed the patient's identity.
#[server(prefix = "/api", endpoint = "staff_turn_off_two_step")]
pub async fn turn_off_two_step_for(id: crate::ids::PatientId, reason: String, identity_confirmed: bool) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    if !identity_confirmed {
        return Err(StaffError::IdentityNotConfirmed);
    }
    port.turn_off_two_step(&cx, id, &crate::staff::Reason::parse(&reason)?).await
}

/// "Save language" in the chart: the language messages to the patient go out in.
#[server(prefix = "/api", endpoint = "staff_set_language")]
pub async fn set_patient_language(id: crate::ids::PatientId, language: crate::i18n::Lang) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.set_language(&cx, id, language).await
}

/// "Update mobile number": the new number, a required "Reason", and the
/// staff member's word that the patient's identity was confirmed.
#[server(prefix = "/api", endpoint = "staff_update_mobile")]
pub async fn update_mobile(id: crate::ids::PatientId, phone: String, reason: String, identity_confirmed: bool) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    if !identity_confirmed {
        return Err(StaffError::IdentityNotConfirmed);
    }
    port.update_mobile(&cx, id, &phone, &crate::staff::Reason::parse(&reason)?).await
}

/// "Add a family member or caregiver": an invitation to `email` as `relationship`.
#[server(prefix = "/api", endpoint = "staff_add_family")]
pub async fn add_family(id: crate::ids::PatientId, name: String, email: String, relationship: String) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.add_family(&cx, id, &name, &email, &relationship).await
}

/// "Resend invitation", "Unlock account" or "Remove access" beside one of "People with access".
#[server(prefix = "/api", endpoint = "staff_person")]
pub async fn act_for_person(id: crate::ids::PatientId, person: crate::family::PersonKey, action: crate::staff::PersonAction) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    port.person(&cx, id, person, action).await
}

/// "Remove passkeys", with a "Reason", after the staff member confirmed the
/// patient's identity: every passkey goes and every session ends.
#[server(prefix = "/api", endpoint = "staff_remove_passkeys")]
pub async fn remove_passkeys_for(id: crate::ids::PatientId, reason: String, identity_confirmed: bool) -> Result<(), StaffError> {
    let (port, cx) = crate::web::staff()?;
    if !identity_confirmed {
        return Err(StaffError::IdentityNotConfirmed);
    }
    port.remove_passkeys(&cx, id, &crate::staff::Reason::parse(&reason)?).await
}
