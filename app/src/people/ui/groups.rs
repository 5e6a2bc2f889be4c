//! Groups (departments, teams, offices) for admins, and a manager's team.

use leptos::prelude::*;

use super::super::{CreateGroup, DeleteGroup, GroupKind, RenameGroup};
use super::follow;
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::{confirm, ErrorNote, RequireRole};

#[component]
pub fn GroupsAdminPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <GroupsAdmin/>
        </RequireRole>
    }
}

#[component]
fn GroupsAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let groups = Resource::new(move || version.get(), |_| super::super::list_groups());
    let create = ServerAction::<CreateGroup>::new();
    let create_value = create.value();
    let rename = ServerAction::<RenameGroup>::new();
    let rename_value = rename.value();
    let delete = ServerAction::<DeleteGroup>::new();
    let delete_value = delete.value();
    let bump = move || version.update(|v| *v += 1);
    let error = RwSignal::new(None::<AppError>);
    follow(move || create_value.try_get().flatten(), error, bump);
    follow(move || rename_value.try_get().flatten(), error, bump);
    follow(move || delete_value.try_get().flatten(), error, bump);
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::GroupsTitle)}</h1>
            <ActionForm action=create attr:class="row" attr:id="add-group">
                <label>
                    <span>{move || i18n.t(T::GroupKind)}</span>
                    <select name="kind">
                        {GroupKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{move || i18n.t(k.label())}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    <span>{move || i18n.t(T::GroupName)}</span>
                    <input type="text" name="name" required maxlength="120"/>
                </label>
                <button type="submit" class="primary">{move || i18n.t(T::GroupAdd)}</button>
            </ActionForm>
            <ErrorNote error=error/>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match groups.await {
                        Ok(groups) => view! {
                            <table class="groups">
                                <thead><tr>
                                    <th>{move || i18n.t(T::GroupName)}</th>
                                    <th>{move || i18n.t(T::GroupKind)}</th>
                                    <th>{move || i18n.t(T::GroupMembers)}</th>
                                    <th>{move || i18n.t(T::PeopleActions)}</th>
                                </tr></thead>
                                <tbody>
                                    {groups.into_iter().map(|g| {
                                        let (id, name) = (g.id, g.name.clone());
                                        let new_name = RwSignal::new(g.name.clone());
                                        view! {
                                            <tr data-group=g.name.clone()>
                                                <td><input type="text" maxlength="120" aria-label=move || i18n.t(T::GroupName) prop:value=new_name on:input=move |ev| new_name.set(event_target_value(&ev))/></td>
                                                <td>{move || i18n.t(g.kind.label())}</td>
                                                <td>{g.members}</td>
                                                <td class="actions">
                                                    <button type="button" on:click=move |_| { rename.dispatch(RenameGroup { id, name: new_name.get_untracked() }); }>{move || i18n.t(T::GroupRename)}</button>
                                                    <button type="button" class="danger" on:click=move |_| {
                                                        if confirm(&i18n.t(T::GroupDeleteConfirm).replace("{name}", &name)) {
                                                            delete.dispatch(DeleteGroup { id });
                                                        }
                                                    }>{move || i18n.t(T::GroupDelete)}</button>
                                                </td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
pub fn TeamPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Manager, Role::Admin]>
            <Team/>
        </RequireRole>
    }
}

#[component]
fn Team() -> impl IntoView {
    let i18n = use_i18n();
    let team = Resource::new(|| (), |_| super::super::my_team());
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::TeamTitle)}</h1>
            <p class="muted">{move || i18n.t(T::TeamHelp)}</p>
            <Suspense fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match team.await {
                        Ok(team) if team.is_empty() => view! { <p>{move || i18n.t(T::TeamNone)}</p> }.into_any(),
                        Ok(team) => view! {
                            <ul class="team">
                                {team.into_iter().map(|m| view! {
                                    <li>
                                        <strong>{m.name}</strong>
                                        <span class="muted">{m.title}</span>
                                        <span class="muted">{m.groups.join(", ")}</span>
                                        <span data-testid="team-motivations">
                                            {if m.motivations.is_empty() {
                                                view! { <span class="muted">{move || i18n.t(T::TeamNoMotivations)}</span> }.into_any()
                                            } else {
                                                let list = m.motivations.clone();
                                                view! {
                                                    <span>{move || i18n.t(T::TeamMotivatedBy)}" "
                                                        {move || list.iter().map(|x| i18n.t(x.label())).collect::<Vec<_>>().join(", ")}
                                                    </span>
                                                }.into_any()
                                            }}
                                        </span>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
