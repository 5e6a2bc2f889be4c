//! `/admin/recognition`: the company's values (both languages), the
//! allowances and the cap, pairs that keep thanking each other, and the
//! thanks removed (who, when, why).

use leptos::prelude::*;

use super::super::{KudosOverview, KudosRules, SaveKudosRules, SaveKudosValue, Value, ValueInput};
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::{format_date, ErrorNote, RequireRole};

#[component]
pub fn KudosAdminPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <KudosAdminView/>
        </RequireRole>
    }
}

#[component]
fn KudosAdminView() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| super::super::kudos_admin());
    crate::ui::listen("/events/live", &["kudos"], move || {
        version.update(|v| *v += 1)
    });
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(d) => view! { <Sections data=d on_change=refresh/> }.into_any(),
                    Err(e) => view! { <section class="card"><ErrorNote error=Signal::stored(Some(e))/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Sections(
    data: KudosOverview,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let KudosOverview {
        values,
        rules,
        flagged,
        removed,
    } = data;
    view! {
        <section class="card" aria-labelledby="values-title">
            <h1>{move || i18n.t(T::KudosAdminTitle)}</h1>
            <p class="muted">{move || i18n.t(T::KudosAdminHelp)}</p>
            <h2 id="values-title">{move || i18n.t(T::KudosValuesTitle)}</h2>
            <ul class="values-admin" data-testid="values">
                {values.into_iter().map(|v| view! { <li><ValueEditor current=Some(v) on_done=on_change/></li> }).collect_view()}
            </ul>
            <h3>{move || i18n.t(T::KudosValueNew)}</h3>
            <ValueEditor current=None on_done=on_change/>
        </section>
        <RulesForm rules=rules/>
        <section class="card" aria-labelledby="flagged-title">
            <h2 id="flagged-title">{move || i18n.t(T::KudosFlaggedTitle)}</h2>
            <p class="muted">{move || i18n.t(T::KudosFlaggedHelp)}</p>
            {if flagged.is_empty() {
                view! { <p class="muted">{move || i18n.t(T::KudosFlaggedNone)}</p> }.into_any()
            } else {
                view! {
                    <ul data-testid="flagged">
                        {flagged.into_iter().map(|f| view! {
                            <li data-testid="flagged-pair">{move || i18n.t(T::KudosFlaggedPair)
                                .replace("{a}", &f.a).replace("{b}", &f.b)
                                .replace("{ab}", &f.a_to_b.to_string()).replace("{ba}", &f.b_to_a.to_string())}</li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
        <section class="card" aria-labelledby="removed-title">
            <h2 id="removed-title">{move || i18n.t(T::KudosRemovedTitle)}</h2>
            {if removed.is_empty() {
                view! { <p class="muted">{move || i18n.t(T::KudosRemovedNone)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                        <table class="table" data-testid="removed">
                            <thead><tr>
                                <th>{move || i18n.t(T::KudosColThanks)}</th>
                                <th>{move || i18n.t(T::KudosColRemovedBy)}</th>
                                <th>{move || i18n.t(T::KudosColReason)}</th>
                            </tr></thead>
                            <tbody>
                                {removed.into_iter().map(|r| view! {
                                    <tr data-testid="removed-row">
                                        <td>{move || i18n.t(T::KudosThanked).replace("{giver}", &r.giver).replace("{recipient}", &r.recipient)}
                                            ": " {r.message.clone()} {(r.points > 0).then(|| format!(" (+{})", r.points))}</td>
                                        <td>{r.by.clone()}" · "{format_date(r.at)}</td>
                                        <td>{r.reason.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// One value's names and descriptions (a new one when `current` is None).
#[component]
fn ValueEditor(
    current: Option<Value>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = current.as_ref().map(|v| v.id);
    let prefix = id.map_or_else(|| "new".to_string(), |i| i.to_string());
    let field = |get: fn(&Value) -> &String| {
        RwSignal::new(current.as_ref().map(|v| get(v).clone()).unwrap_or_default())
    };
    let name_en = field(|v| &v.name_en);
    let name_sv = field(|v| &v.name_sv);
    let about_en = field(|v| &v.about_en);
    let about_sv = field(|v| &v.about_sv);
    let active = RwSignal::new(current.as_ref().is_none_or(|v| v.active));
    let save = ServerAction::<SaveKudosValue>::new();
    let (value, pending) = (save.value(), save.pending());
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.try_get().flatten() {
            if id.is_none() {
                for s in [name_en, name_sv, about_en, about_sv] {
                    s.set(String::new());
                }
            }
            on_done();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        save.dispatch(SaveKudosValue {
            id,
            input: ValueInput {
                name_en: name_en.get_untracked(),
                name_sv: name_sv.get_untracked(),
                about_en: about_en.get_untracked(),
                about_sv: about_sv.get_untracked(),
                active: active.get_untracked(),
            },
        });
    };
    let active_id = format!("value-{prefix}-active");
    let active_for = active_id.clone();
    let input = move |suffix: &str, label: T, signal: RwSignal<String>, max: &'static str| {
        let input_id = format!("value-{prefix}-{suffix}");
        let label_for = input_id.clone();
        view! {
            <label for=label_for>{move || i18n.t(label)}</label>
            <input id=input_id maxlength=max data-testid=format!("value-{suffix}")
                prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))/>
        }
    };
    view! {
        <form class="stack value-form" on:submit=submit novalidate data-testid="value-form">
            <div class="grid-2">
                <div class="stack">{input("name-en", T::KudosValueNameEn, name_en, "60")}</div>
                <div class="stack">{input("name-sv", T::KudosValueNameSv, name_sv, "60")}</div>
                <div class="stack">{input("about-en", T::KudosValueAboutEn, about_en, "300")}</div>
                <div class="stack">{input("about-sv", T::KudosValueAboutSv, about_sv, "300")}</div>
            </div>
            <label class="check" for=active_for>
                <input id=active_id type="checkbox" prop:checked=active on:change=move |ev| active.set(event_target_checked(&ev))/>
                {move || i18n.t(T::KudosValueActive)}
            </label>
            <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
            <button type="submit" class="primary" data-testid="value-save"
                disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(if id.is_some() { T::Save } else { T::KudosValueAdd })}</button>
        </form>
    }
}

#[component]
fn RulesForm(rules: KudosRules) -> impl IntoView {
    let i18n = use_i18n();
    let allowance = RwSignal::new(rules.allowance.to_string());
    let manager = RwSignal::new(rules.manager_allowance.to_string());
    let cap = RwSignal::new(rules.cap.to_string());
    let save = ServerAction::<SaveKudosRules>::new();
    let (value, pending) = (save.value(), save.pending());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Anything unreadable is sent as -1, which the server refuses.
        let n = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(-1);
        save.dispatch(SaveKudosRules {
            rules: KudosRules {
                allowance: n(allowance),
                manager_allowance: n(manager),
                cap: n(cap),
            },
        });
    };
    let field = move |id: &'static str, label: T, signal: RwSignal<String>| {
        view! {
            <div class="stack">
                <label for=id>{move || i18n.t(label)}</label>
                <input id=id type="number" min="0" inputmode="numeric" data-testid=id
                    prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="rules-title">
            <h2 id="rules-title">{move || i18n.t(T::KudosRulesTitle)}</h2>
            <form class="stack" on:submit=submit novalidate>
                <div class="grid-2">
                    {field("kudos-allowance", T::KudosRuleAllowance, allowance)}
                    {field("kudos-manager-allowance", T::KudosRuleManager, manager)}
                    {field("kudos-cap", T::KudosRuleCap, cap)}
                </div>
                <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
                {move || value.try_get().flatten().and_then(|r| r.ok()).map(|_| view! {
                    <p class="success" role="status">{move || i18n.t(T::Saved)}</p>
                })}
                <button type="submit" class="primary" data-testid="kudos-rules-save"
                    disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
            </form>
        </section>
    }
}
