//! `/`: the signed-in account's welcome, "Sign out", and the idle warning;
//! an account that sees more than one chart lists them under "Records you
//! can see" (SPEC §2.7), and says which stopped being shared at 18.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use crate::csrf::CsrfField;
use leptos_meta::Title;
use leptos_router::components::Redirect;

use crate::api::load_home;
use crate::family::{ChartItem, HomeView};
use crate::i18n::{lang, t};

#[component]
pub fn HomePage() -> impl IntoView {
    let me = Resource::new_blocking(|| (), |_| load_home());
    view! {
        <Suspense>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(home)) => view! { <Welcome home/> }.into_any(),
                    _ => view! { <Redirect path="/login"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// "Ben Nguyen — your child": the name is the link.
#[component]
fn ChartLink(chart: ChartItem) -> impl IntoView {
    let lang = lang();
    let whose = chart.relation.map(|r| r.to_you(lang)).unwrap_or(t::to_you_own(lang));
    view! {
        <li><a href=format!("/charts/{}", chart.id)>{chart.full_name}</a>{format!(" — {whose}")}</li>
    }
}

#[component]
fn Welcome(home: HomeView) -> impl IntoView {
    let lang = lang();
    let several = home.charts.len() > 1;
    // No chart shared any more (access removed, or ended at 18): the account is still theirs.
    let none = home.charts.is_empty();
    let charts = home.charts.clone();
    view! {
        <Title text=t::home_title(lang)/>
        <main class="card">
            <h1>{t::welcome(lang, &home.first_name)}</h1>
            {(!several).then(|| view! { <p>{t::signed_in_text(lang)}</p> })}
            {(none && home.ended.is_empty()).then(|| view! { <p class="notice">{t::no_records_shared(lang)}</p> })}
            {several.then(|| view! {
                <h2>{t::records_you_can_see(lang)}</h2>
                <ul class="charts">{charts.into_iter().map(|chart| view! { <ChartLink chart/> }).collect_view()}</ul>
            })}
            {home.ended.iter().map(|e| view! { <p class="notice">{t::no_longer_shared_18(lang, &e.first_name)}</p> }).collect_view()}
            <p><a href="/settings">{t::account_settings_link(lang)}</a></p>
            // A plain form: signing out is a page load with or without JavaScript.
            <form method="post" action=crate::api::Logout::url()>
                <CsrfField/>
                <button type="submit">{t::sign_out(lang)}</button>
            </form>
            <crate::pages::idle::IdleWarning idle_timeout_secs=home.idle_timeout_secs/>
        </main>
    }
}
