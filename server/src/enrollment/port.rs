//! The server's side of the UI's registration port (`app::port::Registration`).

use app::register::{ForgotUsernameView, RegisterTyped, RegisterView};
use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::error::PortalError;
use app::phone::MobileNumber;
use app::visit::Visit;
use app::port::Registration;
use app::register::{RegisterError, UsernameHelpError};
use app::reset::is_link_token;
use app::secret::{Password, SecurityAnswer};

use crate::notice::Form as NoticeOf;
use crate::enrollment::invite::find_open;
use crate::enrollment::register::{self, Form};
use crate::enrollment::usernames;
use crate::notice;
use crate::portal::Backend;
use crate::sessions::{self, PATIENT_COOKIE};
use crate::signin::internal;
use crate::tokens::SecretToken;


#[derive(serde::Serialize, serde::Deserialize)]
struct RegisterNotice {
    error: RegisterError,
    typed: RegisterTyped,
}

fn clipped(t: &RegisterTyped) -> RegisterTyped {
    RegisterTyped { dob: notice::clip(&t.dob), username: notice::clip(&t.username), question: notice::clip(&t.question), phone: notice::clip(&t.phone) }
}

#[async_trait::async_trait]
impl Registration for Backend {
    async fn registration(&self, cx: &Visit, token: &str) -> Result<RegisterView, PortalError> {
        if !is_link_token(token) {
            return Ok(RegisterView::default());
        }
        let svc = &self.0;
        let token = SecretToken::from_presented(token.to_string());
        let Some(inv) = find_open(svc, &svc.store.pool, &token, false, svc.clock.now()).await.map_err(internal)? else {
            return Ok(RegisterView::default());
        };
        let Some(chart) = crate::store::patients::chart(&svc.store.pool, inv.patient_id).await.map_err(internal)? else {
            return Ok(RegisterView::default());
        };
        let (first_name, mobile) = (chart.first_name, chart.mobile);
        // Masked until the date of birth passes: a forwarded or scanned link shows no phone number.
        let phone = mobile.and_then(|m| MobileNumber::parse(&m).ok()).map(|m| m.masked()).unwrap_or_default();
        let mut view = RegisterView { first_name: Some(first_name), username: inv.email, phone, ..Default::default() };
        if let Some(n) = self.pick_up::<RegisterNotice>(cx, NoticeOf::Register, token.expose()) {
            view.error = Some(n.error);
            view.dob = n.typed.dob;
            view.username = n.typed.username;
            view.question = n.typed.question;
            view.phone = n.typed.phone;
        }
        Ok(view)
    }

    async fn register(
        &self,
        cx: &Visit,
        token: &str,
        typed: &RegisterTyped,
        password: &Password,
        confirm: &Password,
        answer: &SecurityAnswer,
    ) -> Result<(), RegisterError> {
        let form = Form {
            dob: &typed.dob,
            username: &typed.username,
            password,
            confirm,
            question: &typed.question,
            answer: answer.expose(),
            phone: &typed.phone,
        };
        let result = register::register(&self.0, &cx.client, &SecretToken::from_presented(token.to_string()), form).await;
        let result = result.map(|session| cx.set_cookie(sessions::set_cookie(PATIENT_COOKIE, &session, self.secure())));
        self.keep_refusal(cx, result, |error| {
            // Sealed with the link's own token; what is no link token has no page to show it on.
            if is_link_token(token) {
                self.leave(cx, NoticeOf::Register, token, &RegisterNotice { error: error.clone(), typed: clipped(typed) });
            }
        })
    }

    fn forgot_username_view(&self, cx: &Visit) -> ForgotUsernameView {
        let mut view = ForgotUsernameView { mail_from: self.0.config.mail_from.clone(), ..Default::default() };
        let typed = self.pick_up::<(String, String)>(cx, NoticeOf::ForgotUsername, &self.0.notice_key);
        if let Some((email, dob)) = typed {
            // The message comes from running the parsers again, never from the cookie.
            view.error = match (EmailAddress::parse(&email), DateOfBirth::parse(&dob, self.0.clock.today())) {
                (Err(e), _) => Some(UsernameHelpError::Email(e)),
                (_, Err(d)) => Some(UsernameHelpError::Dob(d)),
                _ => Some(UsernameHelpError::Portal(PortalError::TooManyAttempts)),
            };
            view.email = notice::clip(&email);
            view.dob = notice::clip(&dob);
        }
        view
    }

    async fn send_usernames(&self, cx: &Visit, email: &str, dob: &str) -> Result<(), UsernameHelpError> {
        let result = usernames::send(&self.0, &cx.client, email, dob).await;
        // What was typed; the page runs the parsers on it again.
        self.keep_refusal(cx, result, |_| self.leave(cx, NoticeOf::ForgotUsername, &self.0.notice_key, &(notice::clip(email), notice::clip(dob))))
    }
}
