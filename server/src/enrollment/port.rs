//! The server's side of the UI's registration port (`app::port::Registration`).

use app::register::{ForgotUsernameView, LinkOutcome, LinkTyped, RegisterTyped, RegisterView};
use app::dob::DateOfBirth;
use app::email::EmailAddress;
use app::error::PortalError;
use app::visit::Visit;
use app::port::Registration;
use app::register::{RegisterError, UsernameHelpError};
use app::reset::is_link_token;
use app::secret::{Password, SecurityAnswer};

use app::jar::{Jar, NoticeOf};
use crate::enrollment::invite::find_open;
use crate::enrollment::register::{self, Form, LinkForm};
use crate::signin::SignedIn;
use crate::enrollment::usernames;
use crate::notice;
use crate::backend::Backend;
use crate::internal::internal;
use crate::tokens::SecretToken;


#[derive(serde::Serialize, serde::Deserialize)]
struct RegisterNotice {
    error: RegisterError,
    typed: RegisterTyped,
}

fn clipped(t: &RegisterTyped) -> RegisterTyped {
    RegisterTyped {
        dob: notice::clip(&t.dob),
        access_code: notice::clip(&t.access_code),
        your_dob: notice::clip(&t.your_dob),
        username: notice::clip(&t.username),
        question: notice::clip(&t.question),
        phone: notice::clip(&t.phone),
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct LinkNotice {
    error: RegisterError,
    typed: LinkTyped,
}

#[async_trait::async_trait]
impl Registration for Backend {
    async fn registration(&self, cx: &Visit, token: &str) -> Result<RegisterView, PortalError> {
        if !is_link_token(token) {
            return Ok(RegisterView::default());
        }
        let svc = &self.0;
        let token = SecretToken::from_presented(token.to_string());
        let Some(inv) = find_open(svc, &token, svc.clock.now()).await.map_err(internal)? else {
            return Ok(RegisterView::default());
        };
        let Some(chart) = crate::store::patients::chart(&svc.store, inv.patient_id).await.map_err(internal)? else {
            return Ok(RegisterView::default());
        };
        let family = inv.relationship.is_some_and(|r| r.relation().is_some());
        // Masked until the date of birth passes: a forwarded or scanned link
        // shows no phone number; a family member's form shows none (it is the patient's).
        let text_code = crate::enrollment::text_code::offer(svc, &inv, chart.mobile.as_ref(), svc.clock.now());
        let phone = chart.mobile.filter(|_| !family).map(|m| m.masked()).unwrap_or_default();
        let invitee_name = if family { inv.invitee_name.clone().or(Some(inv.email.clone())) } else { None };
        let mut view = RegisterView { first_name: Some(chart.first_name), invitee_name, username: inv.email, phone, text_code, ..Default::default() };
        if let Some(n) = self.pick_up::<RegisterNotice>(cx, NoticeOf::Register, token.expose()) {
            view.error = Some(n.error);
            view.dob = n.typed.dob;
            view.access_code = n.typed.access_code;
            view.your_dob = n.typed.your_dob;
            view.username = n.typed.username;
            view.question = n.typed.question;
            view.phone = n.typed.phone;
        }
        if let Some(n) = self.pick_up::<LinkNotice>(cx, NoticeOf::Link, token.expose()) {
            view.error = Some(n.error);
            view.dob = n.typed.dob;
            view.access_code = n.typed.access_code;
            view.username = n.typed.username;
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
            code: &typed.access_code,
            your_dob: &typed.your_dob,
            username: &typed.username,
            password,
            confirm,
            question: &typed.question,
            answer: answer.expose(),
            phone: &typed.phone,
        };
        let result = register::register(&self.0, &cx.client, &SecretToken::from_presented(token.to_string()), form).await;
        let result = result.map(|session| self.keep_session(cx, &session));
        self.keep_refusal(cx, result, |error| {
            // Sealed with the link's own token; what is no link token has no page to show it on.
            if is_link_token(token) {
                self.leave(cx, NoticeOf::Register, token, &RegisterNotice { error: error.clone(), typed: clipped(typed) });
            }
        })
    }

    async fn link(&self, cx: &Visit, token: &str, typed: &LinkTyped, password: &Password) -> Result<LinkOutcome, RegisterError> {
        let form = LinkForm { dob: &typed.dob, code: &typed.access_code, username: &typed.username, password };
        let device = self.token(cx, Jar::Device);
        let presented = SecretToken::from_presented(token.to_string());
        let result = match register::link(&self.0, &cx.client, &presented, self.session(cx), device, form).await {
            Ok(SignedIn::Session(session)) => {
                self.keep_session(cx, &session);
                Ok(LinkOutcome::SignedIn)
            }
            Ok(SignedIn::SecondStep(step)) => {
                self.keep_token(cx, Jar::SecondStep, &step);
                Ok(LinkOutcome::SecondStep)
            }
            Err(e) => Err(e),
        };
        self.keep_refusal(cx, result, |error| {
            if is_link_token(token) {
                let typed = LinkTyped { dob: notice::clip(&typed.dob), access_code: notice::clip(&typed.access_code), username: notice::clip(&typed.username) };
                self.leave(cx, NoticeOf::Link, token, &LinkNotice { error: error.clone(), typed });
            }
        })
    }

    async fn send_registration_code(&self, cx: &Visit, token: &str) -> Result<app::register::TextCodeOffer, RegisterError> {
        let presented = SecretToken::from_presented(token.to_string());
        let result = crate::enrollment::text_code::send(&self.0, &cx.client, &presented).await;
        self.keep_refusal(cx, result, |error| {
            if is_link_token(token) {
                self.leave(cx, NoticeOf::Register, token, &RegisterNotice { error: error.clone(), typed: RegisterTyped::default() });
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
