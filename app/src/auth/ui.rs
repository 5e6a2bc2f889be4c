use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};

use super::{AcceptInvite, SignIn};
use crate::base::i18n::{use_i18n, T};
use crate::base::session::use_session;
use crate::ui::{ErrorNote, LanguageSwitch};

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let action = ServerAction::<SignIn>::new();
    let action_value = action.value();
    let action_pending = action.pending();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(info)) = action_value.try_get().flatten() {
            session.set(info);
            navigate("/", Default::default());
        }
    });
    let error = move || action_value.try_get().flatten().and_then(|r| r.err());
    let signed_in =
        move || session.me().is_some() && action_value.try_with(|v| v.is_none()).unwrap_or(false);

    view! {
        <Show when=signed_in fallback=move || view! {
            <section class="card narrow">
                <h1>{move || i18n.t(T::SignInTitle)}</h1>
                <p class="muted">{move || i18n.t(T::Tagline)}</p>
                <ActionForm action=action attr:class="stack" attr:id="sign-in-form">
                    <label>
                        <span>{move || i18n.t(T::Email)}</span>
                        <input type="email" name="email" autocomplete="username" required maxlength="320"/>
                    </label>
                    <label>
                        <span>{move || i18n.t(T::Password)}</span>
                        <input type="password" name="password" autocomplete="current-password" required maxlength="1024"/>
                    </label>
                    <ErrorNote error=Signal::derive(error)/>
                    <button type="submit" class="primary" disabled=move || action_pending.try_get().unwrap_or(false)>
                        {move || if action_pending.try_get().unwrap_or(false) { i18n.t(T::SigningIn) } else { i18n.t(T::SignInButton) }}
                    </button>
                </ActionForm>
                <LanguageSwitch/>
            </section>
        }>
            <Redirect path="/"/>
        </Show>
    }
}

#[component]
pub fn InvitePage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token").unwrap_or_default());
    let info = Resource::new(token, super::get_invite);
    let action = ServerAction::<AcceptInvite>::new();
    let action_value = action.value();
    let action_pending = action.pending();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(info)) = action_value.try_get().flatten() {
            session.set(info);
            navigate("/profile", Default::default());
        }
    });
    let error = move || action_value.try_get().flatten().and_then(|r| r.err());

    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(T::InviteTitle)}</h1>
            <Suspense fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(invite) => {
                            let greeting = move || {
                                i18n.t(T::InviteChoosePassword)
                                    .replace("{name}", &invite.name)
                                    .replace("{email}", &invite.email)
                            };
                            view! {
                                <p>{greeting}</p>
                                <ActionForm action=action attr:class="stack">
                                    <input type="hidden" name="token" prop:value=token/>
                                    <label>
                                        <span>{move || i18n.t(T::NewPassword)}</span>
                                        <input type="password" name="password" autocomplete="new-password" required minlength="10" maxlength="256"/>
                                    </label>
                                    <ErrorNote error=Signal::derive(error)/>
                                    <button type="submit" class="primary" disabled=move || action_pending.try_get().unwrap_or(false)>
                                        {move || i18n.t(T::InviteActivate)}
                                    </button>
                                </ActionForm>
                            }
                            .into_any()
                        }
                        Err(_) => view! { <p class="error" role="alert">{move || i18n.t(T::InviteInvalid)}</p> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
