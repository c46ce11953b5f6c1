//! `/staff`: the patient list and "Search patients" (a name, or a date of
//! birth as YYYYMMDD), paged. A GET form: the query is in the URL.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_query_map;

use super::StaffHeader;
use crate::api::staff::{search_patients, staff_me};

#[component]
pub fn StaffPatientsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.with(|m| m.get("q").unwrap_or_default());
    let page = move || query.with(|m| m.get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1));
    let me = Resource::new_blocking(|| (), |_| staff_me());
    let results = Resource::new_blocking(move || (q(), page()), |(q, page)| search_patients(q, page));
    view! {
        <Title text="Patients · Staff · Patient Portal"/>
        <Suspense>
            {move || Suspend::new(async move {
                let Ok(Some(name)) = me.await else {
                    return view! { <Redirect path="/staff/login"/> }.into_any();
                };
                let found = results.await;
                let q_now = q();
                let page_link = move |p: u32| format!("/staff?q={}&page={p}", urlencode(&q_now));
                view! {
                    <StaffHeader name/>
                    <main class="wide">
                        <h1>"Patients"</h1>
                        <form method="get" action="/staff" role="search" class="search">
                            <label for="q">"Search patients"</label>
                            <span class="hint" id="q-hint">"A name, or a date of birth as YYYYMMDD."</span>
                            <input id="q" name="q" type="search" value=q() aria-describedby="q-hint"/>
                            <button type="submit">"Search"</button>
                        </form>
                        {match found {
                            Err(e) => view! { <p class="error" role="alert">{e.to_string()}</p> }.into_any(),
                            Ok(p) if p.rows.is_empty() => view! { <p>"No patients match."</p> }.into_any(),
                            Ok(p) => view! {
                                <table>
                                    <thead><tr><th scope="col">"Name"</th><th scope="col">"Date of birth"</th><th scope="col">"Portal status"</th></tr></thead>
                                    <tbody>
                                        {p.rows.into_iter().map(|r| view! {
                                            <tr>
                                                <td><a href=format!("/staff/patients/{}", r.id)>{format!("{}, {}", r.last_name, r.first_name)}</a></td>
                                                <td>{r.dob}</td>
                                                <td>{r.status.label()}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                <nav class="pager" aria-label="Pages">
                                    {(p.page > 1).then(|| view! { <a href=page_link(p.page - 1)>"Previous page"</a> })}
                                    {p.has_more.then(|| view! { <a href=page_link(p.page + 1)>"Next page"</a> })}
                                </nav>
                            }.into_any(),
                        }}
                    </main>
                }.into_any()
            })}
        </Suspense>
    }
}

/// Percent-encodes a query value for a link.
fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
