use leptos::prelude::*;

use super::{PointRules, SavePointRules};
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::ErrorNote;
use crate::ui::RequireRole;

#[component]
pub fn PointRulesPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <PointRulesForm/>
        </RequireRole>
    }
}

#[component]
fn PointRulesForm() -> impl IntoView {
    let i18n = use_i18n();
    let rules = Resource::new(|| (), |_| super::get_point_rules());
    let save = ServerAction::<SavePointRules>::new();
    let save_value = save.value();
    let save_pending = save.pending();
    view! {
        <section class="card narrow">
            <h1>{move || i18n.t(T::RulesTitle)}</h1>
            <p class="muted">{move || i18n.t(T::RulesHelp)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let current = match rules.await {
                        Ok(r) => r,
                        Err(e) => return view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    };
                    let fields = [
                        (T::RulesPerShare, current.per_share, "per_share"),
                        (T::RulesPerClick, current.per_qualified_click, "per_qualified_click"),
                        (T::RulesBonus, current.personalised_bonus, "personalised_bonus"),
                        (T::RulesCap, current.daily_click_cap_per_share, "daily_click_cap_per_share"),
                        (T::RulesApprovedPost, current.per_approved_post, "per_approved_post"),
                    ];
                    let values = fields.map(|(_, v, _)| RwSignal::new(v.to_string()));
                    let bad_number = RwSignal::new(false);
                    let submit = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        let n = values.map(|v| v.get_untracked().trim().parse::<i64>().ok());
                        match n {
                            [Some(a), Some(b), Some(c), Some(d), Some(e)] => {
                                bad_number.set(false);
                                save.dispatch(SavePointRules {
                                    rules: PointRules {
                                        per_share: a,
                                        per_qualified_click: b,
                                        personalised_bonus: c,
                                        daily_click_cap_per_share: d,
                                        per_approved_post: e,
                                    },
                                });
                            }
                            _ => bad_number.set(true),
                        }
                    };
                    view! {
                        <form on:submit=submit novalidate>
                            {fields.into_iter().zip(values).map(|((label, _, id), value)| view! {
                                <label for=id>{move || i18n.t(label)}</label>
                                <input id=id type="number" min="0" max=super::MAX_RULE.to_string() inputmode="numeric"
                                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
                            }).collect_view()}
                            <Show when=move || bad_number.get()>
                                <p class="error" role="alert">{move || i18n.t(T::ErrPointRule)}</p>
                            </Show>
                            <ErrorNote error=Signal::derive(move || save_value.try_get().flatten().and_then(|r| r.err()))/>
                            <Show when=move || matches!(save_value.try_get().flatten(), Some(Ok(_))) && !bad_number.get()>
                                <p class="success" role="status">{move || i18n.t(T::Saved)}</p>
                            </Show>
                            <button type="submit" class="primary" disabled=move || save_pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
                        </form>
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
