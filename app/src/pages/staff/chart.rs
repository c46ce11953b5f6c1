//! `/staff/patients/{id}`: the chart's name, date of birth and portal status
//! (a button that opens "Patient portal access"), the "Actions" menu, the
//! audit log (newest first, paged) and the messages sent to the patient.
//! The chart is a lazy island: after an action it fetches itself again.

use leptos::{html::Button, prelude::*};
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_params_map, use_query_map};

use super::access_dialog::AccessDialog;
use super::StaffHeader;
use crate::api::staff::{load_chart, staff_me};
use crate::pages::{live, refetch::refetched};
use crate::ids::PatientId;
use crate::staff::{ChartView, StaffError};

#[component]
pub fn StaffChartPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|i| i.parse::<PatientId>().ok()).unwrap_or(PatientId::new(0)));
    let audit_page = move || query.with(|q| q.get("audit_page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1));
    let me = Resource::new_blocking(|| (), |_| staff_me());
    let chart = Resource::new_blocking(move || (id(), audit_page()), |(id, page)| load_chart(id, page));
    view! {
        <Title text="Chart · Staff · Patient Portal"/>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(name)) = me.await else {
                    return view! { <Redirect path="/staff/login"/> }.into_any();
                };
                match chart.await {
                    Ok(c) => view! { <StaffHeader name/><LiveChart c/> }.into_any(),
                    Err(e) => view! {
                        <StaffHeader name/>
                        <main class="wide"><p class="error" role="alert">{e.to_string()}</p></main>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The chart, shown again after each action with what the server now knows.
#[island(lazy)]
fn LiveChart(c: ChartView) -> impl IntoView {
    live::island();
    let ui = ChartUi {
        version: RwSignal::new(0),
        dialog_open: RwSignal::new(false),
        opener: RwSignal::new("status-button"),
        notice: RwSignal::new(None),
    };
    let (id, audit_page) = (c.id, c.audit_page);
    let current = refetched(Ok::<_, StaffError>(c), ui.version, move || load_chart(id, audit_page));
    move || match current.get() {
        Ok(c) => view! { <Chart c ui/> }.into_any(),
        Err(e) => view! { <main class="wide"><p class="error" role="alert">{e.to_string()}</p></main> }.into_any(),
    }
}

/// What outlives a reload of the chart after an action: the dialog stays
/// open, with its confirmation, and focus can go back to its opener.
#[derive(Clone, Copy)]
pub struct ChartUi {
    pub version: RwSignal<u32>,
    pub dialog_open: RwSignal<bool>,
    /// The id of the button that opened the dialog.
    pub opener: RwSignal<&'static str>,
    pub notice: RwSignal<Option<Outcome>>,
}

/// How the dialog's last action ended: shown and announced differently.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Done(String),
    Failed(String),
}

#[component]
fn Chart(c: ChartView, ui: ChartUi) -> impl IntoView {
    let menu_open = RwSignal::new(false);
    let actions_button = NodeRef::<Button>::new();
    let menu_item = NodeRef::<Button>::new();
    let open_from = move |from: &'static str| {
        menu_open.set(false);
        ui.opener.set(from);
        ui.notice.set(None);
        ui.dialog_open.set(true);
    };
    Effect::new(move |_| {
        if menu_open.get() {
            if let Some(item) = menu_item.get() {
                let _ = item.focus();
            }
        }
    });
    let older = c.audit_has_more.then(|| format!("/staff/patients/{}?audit_page={}", c.id, c.audit_page + 1));
    let newer = (c.audit_page > 1).then(|| format!("/staff/patients/{}?audit_page={}", c.id, c.audit_page - 1));
    let full_name = format!("{} {}", c.first_name, c.last_name);
    view! {
        <main class="wide">
            <h1>{full_name.clone()}</h1>
            <p>"Date of birth: " {c.dob.clone()} " (typed as " <strong class="typed">{c.dob_typed.clone()}</strong> ")"</p>
            <div class="chart-bar">
                <button type="button" id="status-button" class="secondary" on:click=move |_| open_from("status-button")>
                    {format!("Portal status: {}", c.status.label())}
                </button>
                {c.locked_until.as_ref().map(|_| view! { <span class="badge">"Locked"</span> })}
                <div class="menu">
                    <button
                        type="button"
                        id="actions-button"
                        class="secondary"
                        aria-haspopup="menu"
                        aria-controls="actions-menu"
                        aria-expanded=move || if menu_open.get() { "true" } else { "false" }
                        node_ref=actions_button
                        on:click=move |_| menu_open.update(|o| *o = !*o)
                    >
                        "Actions"
                    </button>
                    <ul
                        id="actions-menu"
                        role="menu"
                        aria-labelledby="actions-button"
                        hidden=move || !menu_open.get()
                        on:keydown=move |ev| {
                            if ev.key() == "Escape" {
                                menu_open.set(false);
                                if let Some(b) = actions_button.get() {
                                    let _ = b.focus();
                                }
                            }
                        }
                    >
                        <li role="none">
                            <button type="button" role="menuitem" node_ref=menu_item on:click=move |_| open_from("actions-button")>
                                "Invite to patient portal"
                            </button>
                        </li>
                    </ul>
                </div>
            </div>
            <AccessDialog c=c.clone() ui/>

            <section aria-labelledby="messages-heading">
                <h2 id="messages-heading">"Messages"</h2>
                {if c.messages.is_empty() {
                    view! { <p>"No messages sent to this patient."</p> }.into_any()
                } else {
                    view! {
                        <table>
                            <thead><tr><th scope="col">"Time"</th><th scope="col">"Channel"</th><th scope="col">"To"</th><th scope="col">"Subject"</th><th scope="col">"Delivery"</th></tr></thead>
                            <tbody>
                                {c.messages.iter().map(|m| view! {
                                    <tr>
                                        <td>{m.at.clone()}</td>
                                        <td>{m.channel.clone()}</td>
                                        <td>{m.to.clone()}</td>
                                        <td>{m.subject.clone()}</td>
                                        <td>
                                            {m.delivery.clone()}
                                            {m.reason.clone().map(|r| view! {
                                                <details><summary>"The server's reason"</summary><code>{r}</code></details>
                                            })}
                                        </td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any()
                }}
            </section>

            <section aria-labelledby="audit-heading">
                <h2 id="audit-heading">"Audit log"</h2>
                <table>
                    <thead><tr><th scope="col">"Time"</th><th scope="col">"Actor"</th><th scope="col">"Event"</th><th scope="col">"IP"</th><th scope="col">"User agent"</th></tr></thead>
                    <tbody>
                        {c.audit.iter().map(|a| view! {
                            <tr>
                                <td>{a.at.clone()}</td>
                                <td>{a.actor.clone()}</td>
                                <td>{a.event.clone()}</td>
                                <td>{a.ip.clone()}</td>
                                <td class="ua">{a.user_agent.clone()}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <nav class="pager" aria-label="Audit log pages">
                    {newer.map(|href| view! { <a href=href>"Newer entries"</a> })}
                    {older.map(|href| view! { <a href=href>"Older entries"</a> })}
                </nav>
            </section>
        </main>
    }
    .into_any()
}
