use leptos::prelude::*;

use super::{ChangePassword, NetworkAudience, Profile, ProfileUpdate, UpdateProfile};
use crate::base::i18n::{use_i18n, Lang, T};
use crate::base::session::use_session;
use crate::networks::Network;
use crate::people::GroupKind;
use crate::ui::ErrorNote;
use crate::ui::RequireRole;

#[component]
pub fn ProfilePage() -> impl IntoView {
    view! {
        <RequireRole>
            <ProfileContent/>
        </RequireRole>
    }
}

#[component]
fn ProfileContent() -> impl IntoView {
    let i18n = use_i18n();
    let profile = Resource::new(|| (), |_| super::my_profile());
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::ProfileTitle)}</h1>
            <Suspense fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! { <ProfileForm profile=p/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <MotivationsSection/>
        <PasswordForm/>
    }
}

#[component]
fn MotivationsSection() -> impl IntoView {
    let i18n = use_i18n();
    let saved = Resource::new(|| (), |_| super::motivations::my_motivations());
    view! {
        <section class="card" aria-labelledby="motivations-title">
            <h2 id="motivations-title">{move || i18n.t(T::MotivationsTitle)}</h2>
            <Suspense fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match saved.await {
                        Ok(m) => view! { <super::motivations::MotivationsForm saved=m/> }.into_any(),
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ProfileForm(profile: Profile) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let name = RwSignal::new(profile.name.clone());
    let title = RwSignal::new(profile.title.clone());
    let language = RwSignal::new(
        profile
            .language
            .map(|l| l.code().to_string())
            .unwrap_or_default(),
    );
    // One row per known network: whether it is used, and the audience as typed.
    let rows: Vec<(Network, RwSignal<bool>, RwSignal<String>)> = Network::ALL
        .into_iter()
        .map(|network| {
            let existing = profile.networks.iter().find(|n| n.network == network);
            (
                network,
                RwSignal::new(existing.is_some()),
                RwSignal::new(existing.map(|n| n.audience.to_string()).unwrap_or_default()),
            )
        })
        .collect();
    let rows = StoredValue::new(rows);
    let action = ServerAction::<UpdateProfile>::new();
    // Taken once: the closures below may run while the page is being left
    // (signing out from it), when the action itself is gone; its signals
    // then answer None through `try_get` instead of panicking.
    let (value, pending) = (action.value(), action.pending());
    let local_error = RwSignal::new(None);
    Effect::new(move |_| {
        if let Some(Ok(saved)) = value.try_get().flatten() {
            session.set(saved.session);
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut networks = Vec::new();
        for (network, used, audience) in rows.get_value() {
            if !used.get_untracked() {
                continue;
            }
            let text = audience.get_untracked().replace([' ', '\u{a0}', ','], "");
            match text.parse::<i64>() {
                Ok(audience) => networks.push(NetworkAudience { network, audience }),
                Err(_) => {
                    local_error.set(Some(crate::base::error::AppError::Invalid(T::ErrAudience)));
                    return;
                }
            }
        }
        local_error.set(None);
        action.dispatch(UpdateProfile {
            update: ProfileUpdate {
                name: name.get_untracked(),
                title: title.get_untracked(),
                language: language.get_untracked(),
                networks,
            },
        });
    };
    let error = Signal::derive(move || {
        local_error
            .get()
            .or_else(|| value.try_get().flatten().and_then(|r| r.err()))
    });
    let saved =
        move || matches!(value.try_get().flatten(), Some(Ok(_))) && local_error.get().is_none();
    let department = profile
        .groups
        .iter()
        .filter(|g| g.kind == GroupKind::Department)
        .map(|g| g.name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let groups = profile.groups.clone();
    let roles = profile.roles.clone();

    view! {
        <form class="stack" id="profile-form" novalidate on:submit=on_submit>
            <p class="muted">{profile.email.clone()}</p>
            <label>
                <span>{move || i18n.t(T::Name)}</span>
                <input type="text" name="name" required maxlength="120" prop:value=name on:input=move |ev| name.set(event_target_value(&ev))/>
            </label>
            <label>
                <span>{move || i18n.t(T::Title)}</span>
                <input type="text" name="title" maxlength="120" prop:value=title on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <label>
                <span>{move || i18n.t(T::LanguageLabel)}</span>
                <select name="language" prop:value=language on:change=move |ev| language.set(event_target_value(&ev))>
                    <option value="" selected=move || language.get().is_empty()>{move || i18n.t(T::LanguageFollowBrowser)}</option>
                    {Lang::ALL.into_iter().map(|l| view! {
                        <option value=l.code() selected=move || language.get() == l.code()>{l.native_name()}</option>
                    }).collect_view()}
                </select>
            </label>
            <dl class="facts">
                <dt>{move || i18n.t(T::Department)}</dt>
                <dd data-testid="department">{department}</dd>
                <dt>{move || i18n.t(T::Roles)}</dt>
                <dd>{move || roles.iter().map(|r| i18n.t(r.label())).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{move || i18n.t(T::Groups)}</dt>
                <dd>{groups.iter().map(|g| g.name.clone()).collect::<Vec<_>>().join(", ")}</dd>
            </dl>
            <fieldset>
                <legend>{move || i18n.t(T::NetworksTitle)}</legend>
                <p class="muted">{move || i18n.t(T::NetworksHelp)}</p>
                {rows.get_value().into_iter().map(|(network, used, audience)| view! {
                    <div class="network-row">
                        <label class="inline">
                            <input type="checkbox" name=format!("use-{}", network.code()) prop:checked=used on:change=move |ev| used.set(event_target_checked(&ev))/>
                            <span>{network.name()}</span>
                        </label>
                        <label class="inline">
                            <span class="sr-only">{move || format!("{} {}", network.name(), i18n.t(T::AudienceSize))}</span>
                            <input type="number" min="0" max="100000000" step="1" inputmode="numeric"
                                name=format!("audience-{}", network.code())
                                placeholder=move || i18n.t(T::AudienceSize)
                                disabled=move || !used.get()
                                prop:value=audience
                                on:input=move |ev| audience.set(event_target_value(&ev))/>
                        </label>
                    </div>
                }).collect_view()}
            </fieldset>
            <ErrorNote error=error/>
            <Show when=saved><p class="ok" role="status">{move || i18n.t(T::Saved)}</p></Show>
            <button type="submit" class="primary" disabled=move || pending.try_get().unwrap_or(false)>
                {move || if pending.try_get().unwrap_or(false) { i18n.t(T::Saving) } else { i18n.t(T::Save) }}
            </button>
        </form>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    // As in the profile form: read through signals taken once, with `try_`.
    let (value, pending) = (action.value(), action.pending());
    let error = Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()));
    let done = move || matches!(value.try_get().flatten(), Some(Ok(())));
    view! {
        <section class="card">
            <h2>{move || i18n.t(T::ChangePasswordTitle)}</h2>
            <ActionForm action=action attr:class="stack" attr:id="password-form">
                <label>
                    <span>{move || i18n.t(T::CurrentPassword)}</span>
                    <input type="password" name="current" autocomplete="current-password" required maxlength="1024"/>
                </label>
                <label>
                    <span>{move || i18n.t(T::NewPassword)}</span>
                    <input type="password" name="new" autocomplete="new-password" required minlength="10" maxlength="256"/>
                </label>
                <ErrorNote error=error/>
                <Show when=done><p class="ok" role="status">{move || i18n.t(T::PasswordChanged)}</p></Show>
                <button type="submit" disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
            </ActionForm>
        </section>
    }
}
