//! `/reset/{token}` (SPEC §2.2 steps 4–6): the server says which step the
//! link's flow is at; each step is a form. With JavaScript, a step that
//! succeeds reloads only the wizard's data (the wizard is a lazy island);
//! without it, the server redirects.

mod choose;
mod code;
mod new_password;
mod question;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::reset::load_reset;
use crate::error::PortalError;
use crate::pages::{live, refetch::refetched};
use crate::i18n::{lang, t};
use crate::reset::{LinkEnded, Method, ResetError, ResetLink, ResetStage, ResetView};

/// What every step's form needs: the link, the refusal to show, and a way to
/// have the page fetch the flow's new state.
#[derive(Clone)]
pub struct StepCx {
    pub token: String,
    pub page: ResetView,
    refresh: RwSignal<u32>,
    /// The method chosen in this page (`?method=`), sent with each fetch.
    method: RwSignal<Option<String>>,
    /// What the wizard shows; a step known in advance is shown by setting it.
    current: RwSignal<Result<ResetView, PortalError>>,
    /// Whether a step has been shown in place of another (focus then goes to its heading).
    moved: RwSignal<bool>,
}

impl StepCx {
    /// After an answer from the server: the step moved on, or the link died.
    pub fn after(&self, result: &Result<(), ResetError>) -> bool {
        let moved = matches!(result, Ok(()) | Err(ResetError::NoLongerValid | ResetError::WrongStep));
        if moved {
            self.moved.set(true);
            self.refresh.update(|n| *n += 1);
        }
        moved
    }

    /// The step's heading. After a step moved on in place (JavaScript), focus
    /// goes to it, so a screen reader announces the new step.
    pub fn heading(&self, text: &'static str) -> impl IntoView {
        let h1 = NodeRef::<leptos::html::H1>::new();
        let moved = self.moved.get_untracked();
        Effect::new(move |_| {
            if let (true, Some(el)) = (moved, h1.get()) {
                let _ = el.focus();
            }
        });
        view! { <h1 tabindex="-1" node_ref=h1>{text}</h1> }
    }

    /// `/reset/{token}?method=…`, for links between the methods.
    pub fn method_page(&self, method: Method) -> String {
        ResetLink::parse(&self.token).map(|l| l.page(Some(method))).unwrap_or_default()
    }

    /// Shows `method`'s step in place (JavaScript): the address becomes its
    /// page's, so that a reload shows the same step. The question's form
    /// shows at once when the page came with the question; otherwise the
    /// step is fetched.
    pub fn choose(&self, method: Method) {
        let page = self.method_page(method);
        if let Ok(history) = window().history() {
            let _ = history.replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&page));
        }
        self.method.set(Some(method.as_str().to_string()));
        self.moved.set(true);
        match (method, &self.page.stage) {
            (Method::Question, ResetStage::Choose(Some(question))) => {
                let question = question.clone();
                let next = ResetView { stage: ResetStage::Question(question), error: None, ..self.page.clone() };
                self.current.set(Ok(next));
            }
            _ => self.refresh.update(|n| *n += 1),
        }
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let method = move || query.with(|q| q.get("method"));
    let page = Resource::new_blocking(move || (token(), method()), |(token, method)| load_reset(token, method));
    view! {
        <Title text=t::reset_title(lang())/>
        <main class="card">
            <Suspense>
                {move || Suspend::new(async move {
                    let page = page.await;
                    view! { <ResetWizard token=token() method=method() page/> }
                })}
            </Suspense>
        </main>
    }
}

/// The wizard: after a step's answer it fetches the flow's new state itself
/// and shows the step the flow is at.
#[island(lazy)]
fn ResetWizard(token: String, method: Option<String>, page: Result<ResetView, PortalError>) -> impl IntoView {
    live::island();
    let refresh = RwSignal::new(0u32);
    let method = RwSignal::new(method);
    let moved = RwSignal::new(false);
    let link = token.clone();
    let current = refetched(page, refresh, move || load_reset(link.clone(), method.get_untracked()));
    move || match current.get() {
        Ok(page) => view! { <Stage cx=StepCx { token: token.clone(), page, refresh, method, current, moved }/> }.into_any(),
        Err(e) => view! {
            <h1>{t::reset_heading(lang())}</h1>
            <p class="error" role="alert">{e.text(lang())}</p>
        }
        .into_any(),
    }
}

#[component]
fn Stage(cx: StepCx) -> impl IntoView {
    match cx.page.stage.clone() {
        ResetStage::Invalid(why) => view! { <NoLongerValid cx why/> }.into_any(),
        ResetStage::Choose(_) => view! { <choose::Choose cx/> }.into_any(),
        ResetStage::Question(question) => view! { <question::QuestionStep cx question/> }.into_any(),
        ResetStage::Phone => view! { <code::PhoneStep cx/> }.into_any(),
        ResetStage::Code(status) => view! { <code::CodeStep cx status/> }.into_any(),
        ResetStage::NewPassword => view! { <new_password::NewPasswordStep cx/> }.into_any(),
    }
}

#[component]
fn NoLongerValid(cx: StepCx, why: LinkEnded) -> impl IntoView {
    let lang = lang();
    view! {
        {cx.heading(t::reset_heading(lang))}
        <p class="error" role="alert">{ResetError::NoLongerValid.text(lang)}</p>
        <p>{why.text(lang)}</p>
        <p><a href="/forgot-password">{t::request_new_link(lang)}</a></p>
    }
}

/// The refusal a step shows: the newest answer of its actions, else the one
/// a form posted without JavaScript left.
pub fn refusal(cx: &StepCx, latest: Option<Result<(), ResetError>>) -> Option<ResetError> {
    match latest {
        Some(Err(e)) => Some(e),
        Some(Ok(())) => None,
        None => cx.page.error.clone(),
    }
}
