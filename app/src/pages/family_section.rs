//! The "Family and caregivers" section of `/settings` (SPEC §2.7): an adult
//! patient invites someone ("Name", "Email", "Relationship", "Current
//! password", "Invite") and then reads, once, the access code to give
//! them; "People who can see your records" with "Remove"; and, for someone
//! who was given another's records, those records with "Remove" too.
//! Plain forms, rendered on the server: they work the same with
//! JavaScript off, and the page adds no island for them.

use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use crate::api::settings::{InviteFamily, RemoveAccess, StopSeeing};
use crate::csrf::CsrfField;
use crate::family::{CodeToGive, FamilySettings, Relation};
use crate::i18n::{around, lang, t, HOLE};
use crate::pages::forms::alert;
use crate::settings::{Change, SettingsError};

type Outcome = Option<(Change, Result<(), SettingsError>)>;

/// The outcome of this section's form, if the page's last form was one of them.
fn outcome(initial: &Outcome, code: Option<&CodeToGive>) -> Option<AnyView> {
    let lang = lang();
    let (change, result) = initial.as_ref().filter(|(c, _)| matches!(c, Change::FamilyInvited | Change::AccessRemoved | Change::AccessLeft))?;
    Some(match (change, result) {
        (Change::FamilyInvited, Ok(())) => code.map(given)?.into_any(),
        (c, Ok(())) => view! { <p class="status" role="status">{c.done(lang)}</p> }.into_any(),
        (_, Err(e)) => alert("family-error", Some(e.text(lang))).into_any(),
    })
}

/// "Give this access code to {name}: {code}", the code in large type.
fn given(c: &CodeToGive) -> impl IntoView {
    let lang = lang();
    let (before, after) = around(&t::code_to_give(lang, &c.name, HOLE), HOLE);
    view! {
        <div class="status" role="status">
            <p>{before}<strong class="access-code">{c.code.clone()}</strong>{after}</p>
            <p class="hint">{t::code_to_give_hint(lang, c.days)}</p>
        </div>
    }
}

fn invite_form(offered: &[Relation]) -> impl IntoView {
    let lang = lang();
    view! {
        <p class="hint" id="family-intro">{t::family_intro(lang)}</p>
        <form method="post" action=InviteFamily::url() aria-describedby="family-intro" novalidate>
            <CsrfField/>
            <label for="family-name">{t::person_name(lang)}</label>
            <input id="family-name" name="name" type="text" autocomplete="off" maxlength="100" required/>
            <label for="family-email">{t::email_label(lang)}</label>
            <input id="family-email" name="email" type="email" autocomplete="off" inputmode="email" required/>
            <label for="family-relationship">{t::relationship_label(lang)}</label>
            <select id="family-relationship" name="relationship" required>
                <option value="">{t::choose_relationship(lang)}</option>
                {offered.iter().map(|r| view! { <option value=r.word()>{r.label(lang)}</option> }).collect_view()}
            </select>
            <label for="family-current">{t::current_password(lang)}</label>
            <input id="family-current" name="current" type="password" autocomplete="current-password" required/>
            <button type="submit">{t::invite(lang)}</button>
        </form>
    }
}

#[component]
pub fn FamilySection(family: FamilySettings, initial: Outcome) -> impl IntoView {
    let lang = lang();
    let shown = outcome(&initial, family.code_to_give.as_ref());
    let own = family.own_chart.then(|| {
        let people = if family.people.is_empty() {
            view! { <p>{t::nobody_else_sees(lang)}</p> }.into_any()
        } else {
            let can_remove = !family.offered.is_empty();
            view! {
                <ul class="people" aria-labelledby="people-heading">
                    {family.people.iter().map(|p| {
                        let key: String = p.key.into();
                        let name_id = format!("person-{key}");
                        view! {
                            <li>
                                <span id=name_id.clone()><strong>{p.name.clone()}</strong>
                                    {format!(" — {} · {}", p.relation.label(lang), p.status.label(lang))}</span>
                                {can_remove.then(|| view! {
                                    <form method="post" action=RemoveAccess::url()>
                                        <CsrfField/>
                                        <input type="hidden" name="person" value=key.clone()/>
                                        <button type="submit" class="secondary" aria-describedby=name_id.clone()>{t::remove(lang)}</button>
                                    </form>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        };
        view! {
            {if family.offered.is_empty() {
                view! { <p class="hint">{t::minors_ask_practice(lang)}</p> }.into_any()
            } else {
                invite_form(&family.offered).into_any()
            }}
            <h3 id="people-heading">{t::people_heading(lang)}</h3>
            {people}
        }
    });
    let seeing = (!family.seeing.is_empty()).then(|| view! {
        <h3 id="shared-heading">{t::shared_with_you_heading(lang)}</h3>
        <ul class="people" aria-labelledby="shared-heading">
            {family.seeing.iter().map(|c| {
                let name_id = format!("shared-{}", c.id);
                view! {
                    <li>
                        <span id=name_id.clone()><strong>{c.full_name.clone()}</strong>
                            {c.relation.map(|r| format!(" — {}", r.to_you(lang)))}</span>
                        <form method="post" action=StopSeeing::url()>
                            <CsrfField/>
                            <input type="hidden" name="chart" value=c.id.to_string()/>
                            <button type="submit" class="secondary" aria-describedby=name_id>{t::remove(lang)}</button>
                        </form>
                    </li>
                }
            }).collect_view()}
        </ul>
    });
    view! {
        <section aria-labelledby="family-heading" id="family">
            <h2 id="family-heading">{t::family_heading(lang)}</h2>
            {shown}
            {own}
            {seeing}
        </section>
    }
}
