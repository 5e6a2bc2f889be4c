use leptos::prelude::*;

use crate::base::i18n::{use_i18n, T};
use crate::ui::RequireRole;
use crate::ui::{format_date, ErrorNote};

#[component]
pub fn NotificationsPage() -> impl IntoView {
    view! {
        <RequireRole>
            <Notifications/>
        </RequireRole>
    }
}

#[component]
fn Notifications() -> impl IntoView {
    let i18n = use_i18n();
    let list = Resource::new(|| (), |_| super::my_notifications());
    // Opening the page is reading them; the list keeps showing which were new.
    let seen = Action::new_local(|_: &()| super::mark_notifications_seen());
    Effect::new(move |_| {
        if let Some(Ok(notices)) = list.get() {
            if notices.iter().any(|n| !n.seen) {
                seen.dispatch_local(());
            }
        }
    });
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::NoticesTitle)}</h1>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(list) if list.is_empty() => view! { <p>{move || i18n.t(T::NoticesNone)}</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="notices">
                                {list.into_iter().map(|n| {
                                    let (title, who) = (n.title.clone(), n.who.clone());
                                    view! {
                                        <li class:unseen=!n.seen data-testid="notice" data-kind=n.kind.code()>
                                            {(!n.seen).then(|| view! { <span class="badge new">{move || i18n.t(T::HubNew)}</span> " " })}
                                            {move || i18n.t(n.kind.label()).replace("{title}", &title).replace("{who}", &who)}
                                            " · " <time>{format_date(n.at)}</time>
                                            {n.link.map(|href| view! { " · " <a href=href>{move || i18n.t(T::NoticeOpen)}</a> })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
