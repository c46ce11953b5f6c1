//! "People with access" in the access dialog: who else sees the chart, the
//! actions each person's row offers (unless a finding offers them), and
//! "Add a family member or caregiver".

use leptos::prelude::*;

use super::access_controls::{Confirm, Controls};
use crate::family::{PersonKey, Relation};
use crate::i18n::Lang;
use crate::staff::{PersonAction, PersonWithAccess};

/// The list and the "Add" control; `offered_by_fixes`: person actions a
/// finding shows instead.
pub fn people(people: Vec<PersonWithAccess>, offered: Vec<Relation>, offered_by_fixes: Vec<(PersonKey, PersonAction)>, controls: Controls) -> impl IntoView {
    view! {
        <h3 id="people-heading">"People with access"</h3>
        {if people.is_empty() {
            view! { <p>"Nobody else sees this chart."</p> }.into_any()
        } else {
            view! {
                <ul class="people" aria-labelledby="people-heading">
                    {people.into_iter().map(|p| person_row(p, &offered_by_fixes, controls)).collect_view()}
                </ul>
            }.into_any()
        }}
        {add(offered, controls)}
    }
}

fn person_row(p: PersonWithAccess, offered_by_fixes: &[(PersonKey, PersonAction)], controls: Controls) -> impl IntoView {
    let key = p.key;
    let question = format!("Remove {}'s access? They lose this chart at once and are told by email. ", p.name);
    let buttons = p
        .actions
        .iter()
        .copied()
        .filter(|a| !offered_by_fixes.contains(&(key, *a)))
        .map(|a| match a {
            PersonAction::Remove => {
                let question = question.clone();
                view! {
                    <Show
                        when=move || controls.is_open(Confirm::RemovePerson(key))
                        fallback=move || view! {
                            <button type="button" class="danger" on:click=move |_| controls.open.set(Some(Confirm::RemovePerson(key)))>{a.label()}</button>
                        }
                    >
                        <span class="confirm" role="group">
                            {question.clone()}
                            <button type="button" class="danger" on:click=move |_| controls.act(key, PersonAction::Remove)>{a.label()}</button>
                            {controls.cancel()}
                        </span>
                    </Show>
                }
                .into_any()
            }
            _ => view! { <button type="button" class="secondary" on:click=move |_| controls.act(key, a)>{a.label()}</button> }.into_any(),
        })
        .collect_view();
    view! {
        <li>
            <span>
                <strong>{p.name}</strong>{format!(" — {}: {}", p.relationship, p.status)}
                {p.email.map(|e| view! { <br/><span>{e}</span> })}
                {p.access_code.map(|code| view! { <br/><span>"Access code: "<strong class="access-code">{code}</strong></span> })}
                {p.ends.map(|e| view! { <br/><span>{e}</span> })}
            </span>
            <span class="row-actions">{buttons}</span>
        </li>
    }
}

fn add(offered: Vec<Relation>, controls: Controls) -> impl IntoView {
    let (name, email, relationship) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    view! {
        <Show
            when=move || controls.is_open(Confirm::AddFamily)
            fallback=move || controls.opener(Confirm::AddFamily, "secondary", "Add a family member or caregiver")
        >
            <form class="confirm" aria-labelledby="add-family-heading" on:submit=move |ev| {
                ev.prevent_default();
                controls.add_family(name.get_untracked(), email.get_untracked(), relationship.get_untracked());
            }>
                <h3 id="add-family-heading">"Add a family member or caregiver"</h3>
                <label for="family-name">"Name"</label>
                <input id="family-name" type="text" required maxlength="100" on:input=move |ev| name.set(event_target_value(&ev))/>
                <label for="family-email">"Email address"</label>
                <input id="family-email" type="email" required on:input=move |ev| email.set(event_target_value(&ev))/>
                <label for="family-relationship">"Relationship"</label>
                <select id="family-relationship" required on:change=move |ev| relationship.set(event_target_value(&ev))>
                    <option value="">"Choose one"</option>
                    {offered.iter().map(|r| view! { <option value=r.word()>{r.label(Lang::En)}</option> }).collect_view()}
                </select>
                <button type="submit">"Send invitation"</button>
                {controls.cancel()}
            </form>
        </Show>
    }
}
