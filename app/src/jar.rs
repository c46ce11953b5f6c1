//! The cookies the portal keeps in a browser, by what they hold. The backend
//! reads what a request presented and says what the answer keeps or forgets
//! in these terms ([`crate::visit::Visit`]); their names and attributes are
//! the web layer's alone ([`crate::web::cookies`]).

use std::fmt;

/// A form refused without JavaScript shows its refusal on the page the
/// browser is sent to next: each form leaves it in a cookie of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeOf {
    SignIn,
    StaffSignIn,
    StaffVerify,
    Forgot,
    ForgotUsername,
    Settings,
    /// The family invitation whose access code `/settings` shows once.
    FamilyCode,
    ResetStep,
    Register,
    Link,
    Verify,
}

/// One cookie of ours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Jar {
    /// A signed-in account's session.
    Session,
    /// A staff member's session: one browser may hold both, and neither
    /// ever opens the other's pages.
    StaffSession,
    /// A sign-in waiting for its second step.
    SecondStep,
    /// A staff sign-in waiting for its authenticator code.
    StaffSecondStep,
    /// A device the patient asked to remember at a second step.
    Device,
    /// The visitor's choice of language.
    Language,
    /// The double-submit token of browsers that send no `Sec-Fetch-Site`.
    Csrf,
    Notice(NoticeOf),
}

impl Jar {
    /// Every cookie of ours, for reading a request's `Cookie` header once.
    pub const ALL: [Jar; 18] = [
        Jar::Session,
        Jar::StaffSession,
        Jar::SecondStep,
        Jar::StaffSecondStep,
        Jar::Device,
        Jar::Language,
        Jar::Csrf,
        Jar::Notice(NoticeOf::SignIn),
        Jar::Notice(NoticeOf::StaffSignIn),
        Jar::Notice(NoticeOf::StaffVerify),
        Jar::Notice(NoticeOf::Forgot),
        Jar::Notice(NoticeOf::ForgotUsername),
        Jar::Notice(NoticeOf::Settings),
        Jar::Notice(NoticeOf::FamilyCode),
        Jar::Notice(NoticeOf::ResetStep),
        Jar::Notice(NoticeOf::Register),
        Jar::Notice(NoticeOf::Link),
        Jar::Notice(NoticeOf::Verify),
    ];
}

/// How long a kept cookie lives in the browser.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Life {
    /// No `Max-Age`: the browser keeps it while it is open, and the server
    /// decides when what it names (a session, a step) ends.
    Browser,
    /// Kept this many seconds.
    Secs(i64),
}

/// What an answer does to one of our cookies.
#[derive(Clone, PartialEq, Eq)]
pub enum Change {
    Keep { jar: Jar, value: String, life: Life },
    Forget(Jar),
}

/// Values are session tokens and the like: `Debug` leaves them out.
impl fmt::Debug for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Keep { jar, life, .. } => f.debug_struct("Keep").field("jar", jar).field("life", life).finish_non_exhaustive(),
            Change::Forget(jar) => f.debug_tuple("Forget").field(jar).finish(),
        }
    }
}
