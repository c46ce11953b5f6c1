//! The server's side of the UI's settings port (`app::port::Settings`):
//! every call finds the signed-in patient from the session cookie first.

use app::settings::SettingsView;
use app::error::PortalError;
use app::visit::Visit;
use app::port::Settings;
use app::secret::{Password, SecurityAnswer};
use app::settings::{Change, SettingsError};
use app::two_step::CodesBy;

use crate::store::accounts;
use crate::store::states::EnrollmentState;
use crate::account::family;
use crate::changes::{self, step_up};
use crate::backend::Backend;
use crate::sessions::{Person, SessionToken};
use app::jar::NoticeOf;
use crate::internal::internal;
use crate::two_step::setup;


impl Backend {
    /// The session and its patient, or `NotSignedIn`.
    async fn signed_in(&self, cx: &Visit) -> Result<(SessionToken, Person), PortalError> {
        self.patient_in(cx).await
    }

    /// After a form posted without JavaScript, `/settings` shows the
    /// outcome, success and refusal alike (only fixed messages' names).
    fn outcome<T>(&self, cx: &Visit, change: Change, result: Result<T, SettingsError>) -> Result<T, SettingsError> {
        if cx.next_page() {
            let shown: Result<(), SettingsError> = result.as_ref().map(drop).map_err(Clone::clone);
            self.leave(cx, NoticeOf::Settings, &self.0.notice_key, &(change, &shown));
        }
        result
    }
}

#[async_trait::async_trait]
impl Settings for Backend {
    async fn settings(&self, cx: &Visit) -> Result<Option<SettingsView>, PortalError> {
        let Ok((session, who)) = self.signed_in(cx).await else { return Ok(None) };
        let account = accounts::of_account(&self.0.store, who.account).await.map_err(internal)?;
        let Some(account) = account.filter(|a| a.state == EnrollmentState::Enrolled) else {
            return Ok(None);
        };
        let two_step = setup::view(&self.0, &account, &session).await.map_err(internal)?;
        let (question, mobile) = (account.security_question, account.mobile);
        // The outcome holds only fixed messages' names, never text.
        let outcome = self.pick_up(cx, NoticeOf::Settings, &self.0.notice_key);
        let shown = match self.pick_up::<i64>(cx, NoticeOf::FamilyCode, &self.0.notice_key) {
            Some(id) => family::code_to_give(&self.0, account.own_chart, id).await.map_err(internal)?,
            None => None,
        };
        let family = family::view(&self.0, who, account.own_chart, shown).await.map_err(internal)?;
        Ok(Some(SettingsView {
            question: question.unwrap_or_default(),
            phone: mobile.map(|m| m.national()).unwrap_or_default(),
            two_step,
            passkeys: crate::passkeys::list(&self.0, who.account, cx.lang).await.map_err(internal)?,
            family,
            outcome,
        }))
    }

    async fn change_password(&self, cx: &Visit, current: &Password, new: &Password, confirm: &Password) -> Result<(), SettingsError> {
        let result: Result<(), SettingsError> = async {
            let (session, id) = self.signed_in(cx).await?;
            let kept = step_up::of(&self.0, &session).await.map_err(internal)?;
            let fresh = changes::change_password(&self.0, &cx.client, id, current, new, confirm, kept).await?;
            self.keep_session(cx, &fresh);
            Ok(())
        }
        .await;
        self.outcome(cx, Change::Password, result)
    }

    async fn change_question(&self, cx: &Visit, current: &Password, question: &str, answer: &SecurityAnswer) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((_, id)) => changes::change_question(&self.0, &cx.client, id, current, question, answer.expose()).await,
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::Question, result)
    }

    async fn change_mobile(&self, cx: &Visit, current: &Password, phone: &str) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((session, id)) => match step_up::require(&self.0, &session, id.account).await {
                Ok(()) => changes::change_mobile(&self.0, &cx.client, id, current, phone).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::Mobile, result)
    }

    async fn two_step_setup(&self, cx: &Visit, by: CodesBy, send: bool, current: &Password, code: &str) -> Result<Vec<String>, SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((_, id)) if send => setup::send_code(&self.0, &cx.client, id, by).await.map(|()| Vec::new()),
            Ok((session, id)) => setup::turn_on(&self.0, &cx.client, id, &session, by, current, code, cx.next_page()).await,
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, if send { Change::CodeSent } else { Change::TwoStepOn }, result)
    }

    async fn turn_off_two_step(&self, cx: &Visit, current: &Password) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((session, id)) => match step_up::require(&self.0, &session, id.account).await {
                Ok(()) => setup::turn_off(&self.0, &cx.client, id, current).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::TwoStepOff, result)
    }

    async fn remove_passkey(&self, cx: &Visit, id: i64) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((_, who)) => match crate::passkeys::remove(&self.0, &cx.client, who.account, id).await {
                Ok(_) => Ok(()),
                Err(app::passkeys::PasskeyError::Portal(e)) => Err(SettingsError::Portal(e)),
                Err(_) => Err(SettingsError::NoSuchPasskey),
            },
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::PasskeyRemoved, result)
    }

    async fn invite_family(&self, cx: &Visit, current: &Password, name: &str, email: &str, relationship: &str) -> Result<app::family::CodeToGive, SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((session, who)) => match step_up::require(&self.0, &session, who.account).await {
                Ok(()) => family::invite(&self.0, &cx.client, who, current, name, email, relationship).await,
                Err(e) => Err(e),
            },
            Err(e) => Err(e.into()),
        };
        if let (Ok((id, _)), true) = (&result, cx.next_page()) {
            self.leave(cx, NoticeOf::FamilyCode, &self.0.notice_key, id);
        }
        self.outcome(cx, Change::FamilyInvited, result.map(|(_, code)| code))
    }

    async fn remove_access(&self, cx: &Visit, person: app::family::PersonKey) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((_, who)) => match accounts::of_account(&self.0.store, who.account).await {
                Ok(Some(a)) => family::remove(&self.0, &cx.client, a.own_chart, person).await,
                Ok(None) => Err(PortalError::NotSignedIn.into()),
                Err(e) => Err(SettingsError::Portal(internal(e))),
            },
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::AccessRemoved, result)
    }

    async fn stop_seeing(&self, cx: &Visit, chart: app::ids::PatientId) -> Result<(), SettingsError> {
        let result = match self.signed_in(cx).await {
            Ok((_, who)) => family::stop_seeing(&self.0, &cx.client, who, chart).await,
            Err(e) => Err(e.into()),
        };
        self.outcome(cx, Change::AccessLeft, result)
    }
}
