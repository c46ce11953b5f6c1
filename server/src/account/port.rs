//! The server's side of the UI's settings port (`app::port::Settings`):
//! every call finds the signed-in patient from the session cookie first.

use app::settings::SettingsView;
use app::error::PortalError;
use app::phone::MobileNumber;
use app::port::{HttpCx, Settings};
use app::secret::{Password, SecurityAnswer};
use app::settings::{Change, SettingsError};
use app::two_step::CodesBy;

use crate::store::accounts;
use crate::store::states::AccountState;
use crate::account::changes;
use crate::client::ClientMeta;
use crate::portal::{set_cookie, Backend};
use crate::sessions::{self, SessionToken, PATIENT_COOKIE};
use crate::notice::Form;
use crate::signin::internal;
use crate::two_step::setup;


impl Backend {
    /// The session and its patient, or `NotSignedIn`.
    async fn signed_in(&self, cx: &HttpCx) -> Result<(SessionToken, i64), PortalError> {
        self.patient_in(&cx.parts.headers).await
    }
}

#[async_trait::async_trait]
impl Settings for Backend {
    async fn settings(&self, cx: &HttpCx) -> Result<Option<SettingsView>, PortalError> {
        let Ok((_, patient_id)) = self.signed_in(cx).await else { return Ok(None) };
        let account = accounts::of_patient(&self.0.store.pool, patient_id).await.map_err(internal)?;
        let Some(account) = account.filter(|a| a.state == AccountState::Enrolled) else {
            return Ok(None);
        };
        let two_step = setup::view(&self.0, &account).await.map_err(internal)?;
        let (question, mobile) = (account.security_question, account.mobile);
        // The outcome holds only fixed messages' names, never text.
        let outcome = self.pick_up(cx, Form::Settings, &self.0.notice_key);
        Ok(Some(SettingsView {
            question: question.unwrap_or_default(),
            phone: mobile.and_then(|m| MobileNumber::parse(&m).ok()).map(|m| m.national()).unwrap_or_default(),
            two_step,
            passkeys: crate::passkeys::list(&self.0, patient_id, app::i18n::lang()).await.map_err(internal)?,
            outcome,
        }))
    }

    async fn change_password(&self, cx: &HttpCx, current: &Password, new: &Password, confirm: &Password) -> Result<(), SettingsError> {
        let (_, id) = self.signed_in(cx).await?;
        let fresh = changes::change_password(&self.0, &ClientMeta::from_parts(&cx.parts), id, current, new, confirm).await?;
        set_cookie(cx, sessions::set_cookie(PATIENT_COOKIE, &fresh, self.secure()));
        Ok(())
    }

    async fn change_question(&self, cx: &HttpCx, current: &Password, question: &str, answer: &SecurityAnswer) -> Result<(), SettingsError> {
        let (_, id) = self.signed_in(cx).await?;
        changes::change_question(&self.0, &ClientMeta::from_parts(&cx.parts), id, current, question, answer.expose()).await
    }

    async fn change_mobile(&self, cx: &HttpCx, current: &Password, phone: &str) -> Result<(), SettingsError> {
        let (_, id) = self.signed_in(cx).await?;
        changes::change_mobile(&self.0, &ClientMeta::from_parts(&cx.parts), id, current, phone).await
    }

    async fn two_step_setup(&self, cx: &HttpCx, by: CodesBy, send: bool, current: &Password, code: &str) -> Result<Vec<String>, SettingsError> {
        let (_, id) = self.signed_in(cx).await?;
        let client = ClientMeta::from_parts(&cx.parts);
        if send {
            setup::send_code(&self.0, &client, id, by).await.map(|()| Vec::new())
        } else {
            setup::turn_on(&self.0, &client, id, by, current, code, cx.native_form()).await
        }
    }

    async fn turn_off_two_step(&self, cx: &HttpCx, current: &Password) -> Result<(), SettingsError> {
        let (_, id) = self.signed_in(cx).await?;
        setup::turn_off(&self.0, &ClientMeta::from_parts(&cx.parts), id, current).await
    }

    async fn remove_passkey(&self, cx: &HttpCx, id: i64) -> Result<(), SettingsError> {
        let (_, patient_id) = self.signed_in(cx).await?;
        match crate::passkeys::remove(&self.0, &ClientMeta::from_parts(&cx.parts), patient_id, id).await {
            Ok(_) => Ok(()),
            Err(app::passkeys::PasskeyError::Portal(e)) => Err(SettingsError::Portal(e)),
            Err(_) => Err(SettingsError::NoSuchPasskey),
        }
    }

    fn remember_outcome(&self, cx: &HttpCx, change: Change, result: &Result<(), SettingsError>) {
        self.leave(cx, Form::Settings, &self.0.notice_key, &(change, result));
    }
}
