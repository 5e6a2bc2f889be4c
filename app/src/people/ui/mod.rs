//! The people pages: the admin's list with add, edit and (de)activate,
//! CSV import (`import`), groups and the manager's team (`groups`).

mod groups;
mod import;

use leptos::prelude::*;

use super::{
    CreatePerson, Group, ImportPeople, Invitation, NewInvitation, PersonInput, PersonRow,
    SetPersonActive, UpdatePerson,
};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::RequireRole;
use crate::ui::{confirm, ErrorNote};

/// Lets several actions share one message: whichever finished last decides
/// it (its error, or none after a success), and a success runs `on_ok`.
fn follow<O: 'static>(
    outcome: impl Fn() -> Option<Result<O, AppError>> + 'static,
    error: RwSignal<Option<AppError>>,
    on_ok: impl Fn() + 'static,
) {
    Effect::new(move |_| match outcome() {
        Some(Ok(_)) => {
            error.set(None);
            on_ok();
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
}

#[component]
pub fn PeopleAdminPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <PeopleAdmin/>
        </RequireRole>
    }
}

#[component]
fn PeopleAdmin() -> impl IntoView {
    let i18n = use_i18n();
    // Bumped after every change so both lists reload.
    let version = RwSignal::new(0u32);
    let people = Resource::new(move || version.get(), |_| super::list_people());
    let groups = Resource::new(move || version.get(), |_| super::list_groups());
    let data = move || async move { Ok::<_, AppError>((people.await?, groups.await?)) };
    // Owned here, outside the part that reloads, so results survive the reload.
    let create = ServerAction::<CreatePerson>::new();
    let create_value = create.value();
    let import = ServerAction::<ImportPeople>::new();
    let import_value = import.value();
    Effect::new(move |_| {
        if matches!(create_value.try_get().flatten(), Some(Ok(_)))
            || matches!(import_value.try_get().flatten(), Some(Ok(_)))
        {
            version.update(|v| *v += 1);
        }
    });

    view! {
        <section class="card">
            <h1>{move || i18n.t(T::PeopleTitle)}</h1>
            {move || create_value.try_get().flatten().and_then(|r| r.ok()).map(|invitation| view! { <InvitationLink invitation=invitation/> })}
            {move || import_value.try_get().flatten().and_then(|r| r.ok()).map(|report| view! { <ImportReportView report=report/> })}
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match data().await {
                        Ok((people, groups)) => {
                            let groups = StoredValue::new(groups);
                            view! {
                                <AddPerson groups=groups action=create/>
                                <ImportCsv action=import/>
                                <PeopleTable people=people groups=groups version=version/>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// E-mail, name and title, shared by the add and edit forms.
#[component]
fn PersonFields(
    email: RwSignal<String>,
    name: RwSignal<String>,
    title: RwSignal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="row">
            <label>
                <span>{move || i18n.t(T::Email)}</span>
                <input type="email" name="email" required maxlength="254" prop:value=email on:input=move |ev| email.set(event_target_value(&ev))/>
            </label>
            <label>
                <span>{move || i18n.t(T::Name)}</span>
                <input type="text" name="name" required maxlength="120" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label>
                <span>{move || i18n.t(T::Title)}</span>
                <input type="text" name="title" maxlength="120" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
        </div>
    }
}

/// Role and group checkboxes shared by the add and edit forms.
#[component]
fn RolesAndGroups(
    roles: RwSignal<Vec<Role>>,
    group_ids: RwSignal<Vec<i64>>,
    groups: StoredValue<Vec<Group>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let toggle_role = move |role: Role, on: bool| {
        roles.update(|r| {
            r.retain(|x| *x != role);
            if on {
                r.push(role);
            }
        })
    };
    let toggle_group = move |id: i64, on: bool| {
        group_ids.update(|g| {
            g.retain(|x| *x != id);
            if on {
                g.push(id);
            }
        })
    };
    view! {
        <fieldset class="choices">
            <legend>{move || i18n.t(T::Roles)}</legend>
            {Role::ALL.into_iter().map(|role| view! {
                <label class="inline">
                    <input type="checkbox" name=format!("role-{}", role.code())
                        prop:checked=move || roles.with(|r| r.contains(&role))
                        on:change=move |ev| toggle_role(role, event_target_checked(&ev))/>
                    <span>{move || i18n.t(role.label())}</span>
                </label>
            }).collect_view()}
        </fieldset>
        <fieldset class="choices">
            <legend>{move || i18n.t(T::Groups)}</legend>
            {groups.get_value().into_iter().map(|g| {
                let id = g.id;
                view! {
                    <label class="inline">
                        <input type="checkbox" prop:checked=move || group_ids.with(|x| x.contains(&id))
                            on:change=move |ev| toggle_group(id, event_target_checked(&ev))/>
                        <span>{format!("{} ({})", g.name, i18n.t(g.kind.label()))}</span>
                    </label>
                }
            }).collect_view()}
        </fieldset>
    }
}

#[component]
fn InvitationLink(invitation: Invitation) -> impl IntoView {
    let i18n = use_i18n();
    let name = invitation.name.clone();
    view! {
        <div class="notice" role="status">
            <p>{move || i18n.t(T::PeopleInviteCreated).replace("{name}", &name)}</p>
            <input type="text" readonly class="copy" data-testid="invite-url" prop:value=invitation.url.clone()
                on:focus=move |ev| {
                    use wasm_bindgen::JsCast;
                    if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                        input.select();
                    }
                }/>
        </div>
    }
}

#[component]
fn AddPerson(groups: StoredValue<Vec<Group>>, action: ServerAction<CreatePerson>) -> impl IntoView {
    let action_value = action.value();
    let action_pending = action.pending();
    let i18n = use_i18n();
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let roles = RwSignal::new(vec![Role::Employee]);
    let group_ids = RwSignal::new(Vec::<i64>::new());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreatePerson {
            person: PersonInput {
                email: email.get_untracked(),
                name: name.get_untracked(),
                title: title.get_untracked(),
                roles: roles.get_untracked(),
                group_ids: group_ids.get_untracked(),
            },
        });
    };
    let error = Signal::derive(move || action_value.try_get().flatten().and_then(|r| r.err()));
    view! {
        <details class="panel" open=move || action_value.try_with(|v| matches!(v, Some(Err(_)))).unwrap_or(false)>
            <summary>{move || i18n.t(T::PeopleAddTitle)}</summary>
            <form class="stack" id="add-person" on:submit=on_submit>
                <PersonFields email=email name=name title=title/>
                <RolesAndGroups roles=roles group_ids=group_ids groups=groups/>
                <ErrorNote error=error/>
                <button type="submit" class="primary" disabled=move || action_pending.try_get().unwrap_or(false)>{move || i18n.t(T::PeopleAddButton)}</button>
            </form>
        </details>
    }
}

#[component]
fn PeopleTable(
    people: Vec<PersonRow>,
    groups: StoredValue<Vec<Group>>,
    version: RwSignal<u32>,
) -> impl IntoView {
    let i18n = use_i18n();
    let filter = RwSignal::new(String::new());
    let people = StoredValue::new(people);
    let editing = RwSignal::new(None::<i64>);
    let set_active = ServerAction::<SetPersonActive>::new();
    let set_active_value = set_active.value();
    let invite = ServerAction::<NewInvitation>::new();
    let invite_value = invite.value();
    let error = RwSignal::new(None::<AppError>);
    follow(
        move || set_active_value.try_get().flatten(),
        error,
        move || version.update(|v| *v += 1),
    );
    follow(move || invite_value.try_get().flatten(), error, || {});
    let group_names = move |ids: &[i64]| {
        groups.with_value(|gs| {
            gs.iter()
                .filter(|g| ids.contains(&g.id))
                .map(|g| g.name.clone())
                .collect::<Vec<_>>()
                .join(", ")
        })
    };
    let visible = move || {
        let needle = filter.get().trim().to_lowercase();
        people.with_value(|ps| {
            ps.iter()
                .filter(|p| {
                    needle.is_empty()
                        || p.name.to_lowercase().contains(&needle)
                        || p.email.contains(&needle)
                })
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="toolbar">
            <input type="search" placeholder=move || i18n.t(T::PeopleSearch) aria-label=move || i18n.t(T::PeopleSearch)
                prop:value=filter on:input=move |ev| filter.set(event_target_value(&ev))/>
            <span class="muted">{move || format!("{} {}", people.with_value(|p| p.len()), i18n.t(T::PeopleCount))}</span>
        </div>
        <ErrorNote error=error/>
        {move || invite_value.try_get().flatten().and_then(|r| r.ok()).map(|invitation| view! { <InvitationLink invitation=invitation/> })}
        <div class="table-wrap">
            <table class="people">
                <thead>
                    <tr>
                        <th>{move || i18n.t(T::Name)}</th>
                        <th>{move || i18n.t(T::Roles)}</th>
                        <th>{move || i18n.t(T::Groups)}</th>
                        <th>{move || i18n.t(T::PeopleStatus)}</th>
                        <th>{move || i18n.t(T::PeopleActions)}</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=visible key=|p| (p.id, p.active, p.name.clone(), p.roles.clone(), p.group_ids.clone()) let:person>
                        {
                            let id = person.id;
                            let active = person.active;
                            let name = person.name.clone();
                            let row_person = person.clone();
                            let groups_text = group_names(&person.group_ids);
                            let roles = person.roles.clone();
                            view! {
                                <tr data-email=person.email.clone() class:inactive=!active>
                                    <td>
                                        <strong>{person.name.clone()}</strong>
                                        <div class="muted">{person.email.clone()}</div>
                                        <div class="muted">{person.title.clone()}</div>
                                    </td>
                                    <td>{move || roles.iter().map(|r| i18n.t(r.label())).collect::<Vec<_>>().join(", ")}</td>
                                    <td>{groups_text}</td>
                                    <td>{move || if !active { i18n.t(T::PeopleInactive) } else if person.invited { i18n.t(T::PeopleInvited) } else { i18n.t(T::PeopleActive) }}</td>
                                    <td class="actions">
                                        <button type="button" on:click=move |_| editing.set(Some(id))>{move || i18n.t(T::PeopleEdit)}</button>
                                        <Show when=move || active fallback=move || view! {
                                            <button type="button" on:click=move |_| { set_active.dispatch(SetPersonActive { id, active: true }); }>{move || i18n.t(T::PeopleReactivate)}</button>
                                        }>
                                            {
                                                let name = name.clone();
                                                view! {
                                                    <button type="button" class="danger" on:click=move |_| {
                                                        if confirm(&i18n.t(T::PeopleDeactivateConfirm).replace("{name}", &name)) {
                                                            set_active.dispatch(SetPersonActive { id, active: false });
                                                        }
                                                    }>{move || i18n.t(T::PeopleDeactivate)}</button>
                                                    <button type="button" on:click=move |_| { invite.dispatch(NewInvitation { id }); }>{move || i18n.t(T::PeopleNewInvite)}</button>
                                                }
                                            }
                                        </Show>
                                    </td>
                                </tr>
                                <Show when=move || editing.get() == Some(id)>
                                    <tr class="editor"><td colspan="5">
                                        <EditPerson person=row_person.clone() groups=groups version=version editing=editing/>
                                    </td></tr>
                                </Show>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
        <Show when=move || visible().is_empty()><p class="muted">{move || i18n.t(T::PeopleNone)}</p></Show>
    }
}

#[component]
fn EditPerson(
    person: PersonRow,
    groups: StoredValue<Vec<Group>>,
    version: RwSignal<u32>,
    editing: RwSignal<Option<i64>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let email = RwSignal::new(person.email.clone());
    let name = RwSignal::new(person.name.clone());
    let title = RwSignal::new(person.title.clone());
    let roles = RwSignal::new(person.roles.clone());
    let group_ids = RwSignal::new(person.group_ids.clone());
    let action = ServerAction::<UpdatePerson>::new();
    let action_value = action.value();
    let action_pending = action.pending();
    Effect::new(move |_| {
        if let Some(Ok(())) = action_value.try_get().flatten() {
            editing.set(None);
            version.update(|v| *v += 1);
        }
    });
    let id = person.id;
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(UpdatePerson {
            id,
            person: PersonInput {
                email: email.get_untracked(),
                name: name.get_untracked(),
                title: title.get_untracked(),
                roles: roles.get_untracked(),
                group_ids: group_ids.get_untracked(),
            },
        });
    };
    let error = Signal::derive(move || action_value.try_get().flatten().and_then(|r| r.err()));
    view! {
        <form class="stack edit-person" on:submit=on_submit>
            <PersonFields email=email name=name title=title/>
            <RolesAndGroups roles=roles group_ids=group_ids groups=groups/>
            <ErrorNote error=error/>
            <div class="row">
                <button type="submit" class="primary" disabled=move || action_pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
                <button type="button" on:click=move |_| editing.set(None)>{move || i18n.t(T::Cancel)}</button>
            </div>
        </form>
    }
}

pub use groups::{GroupsAdminPage, TeamPage};
use import::{ImportCsv, ImportReportView};
