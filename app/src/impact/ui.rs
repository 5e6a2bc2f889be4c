use leptos::prelude::*;

use super::ActivityKind;
use crate::base::i18n::{use_i18n, T};
use crate::share::channel_name;
use crate::ui::RequireRole;
use crate::ui::{format_date, format_thousands, ErrorNote};

#[component]
pub fn ImpactPage() -> impl IntoView {
    view! {
        <RequireRole>
            <ImpactView/>
        </RequireRole>
    }
}

#[component]
fn ImpactView() -> impl IntoView {
    let i18n = use_i18n();
    let impact = Resource::new(|| (), |_| super::my_impact());
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::ImpactTitle)}</h1>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    let imp = match impact.await {
                        Ok(imp) => imp,
                        Err(e) => return view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                    };
                    let figure = |label: T, value: i64, id: &'static str| view! {
                        <div class="figure">
                            <span class="value" data-testid=id>{format_thousands(value)}</span>
                            <span class="label">{move || i18n.t(label)}</span>
                        </div>
                    };
                    let max_points = imp.weeks.iter().map(|w| w.points).max().unwrap_or(0).max(1);
                    let has_channels = !imp.by_channel.is_empty();
                    let has_latest = !imp.latest.is_empty();
                    view! {
                        <div class="figures">
                            {figure(T::ImpactShares, imp.shares, "impact-shares")}
                            {figure(T::ImpactClicks, imp.qualified_clicks, "impact-clicks")}
                            {figure(T::ImpactReach, imp.potential_reach, "impact-reach")}
                            {figure(T::ImpactSpendable, imp.spendable_points, "impact-spendable")}
                            {figure(T::ImpactLifetime, imp.lifetime_points, "impact-lifetime")}
                        </div>
                        <p class="muted">{move || i18n.n(T::ImpactRawClicks, &[("raw", imp.raw_clicks)])}</p>
                        {imp.next_reward.clone().map(|n| {
                            let href = n.href.clone();
                            view! { <p data-testid="impact-next-reward"><a href=href>{move || n.render(i18n)}</a></p> }
                        })}
                        <h2>{move || i18n.t(T::ImpactByNetwork)}</h2>
                        {if has_channels {
                            view! {
                                <table class="table" data-testid="impact-networks">
                                    <thead><tr>
                                        <th>{move || i18n.t(T::ImpactNetwork)}</th>
                                        <th class="num">{move || i18n.t(T::ImpactShares)}</th>
                                        <th class="num">{move || i18n.t(T::ImpactClicks)}</th>
                                        <th class="num">{move || i18n.t(T::ImpactReach)}</th>
                                        <th class="num">{move || i18n.t(T::ImpactPoints)}</th>
                                    </tr></thead>
                                    <tbody>
                                        {imp.by_channel.into_iter().map(|c| view! {
                                            <tr data-channel=c.channel.code()>
                                                <td>{move || channel_name(c.channel, i18n.lang())}</td>
                                                <td class="num">{c.shares}</td>
                                                <td class="num">{c.clicks}</td>
                                                <td class="num">{format_thousands(c.reach)}</td>
                                                <td class="num">{c.points}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            }.into_any()
                        } else {
                            view! { <p>{move || i18n.t(T::ImpactNothingYet)} " " <a href="/hub">{move || i18n.t(T::NavHub)}</a></p> }.into_any()
                        }}
                        <h2>{move || i18n.t(T::ImpactOverTime)}</h2>
                        <table class="table weeks" data-testid="impact-weeks">
                            <thead><tr>
                                <th>{move || i18n.t(T::ImpactWeekOf)}</th>
                                <th class="num">{move || i18n.t(T::ImpactShares)}</th>
                                <th class="num">{move || i18n.t(T::ImpactClicks)}</th>
                                <th>{move || i18n.t(T::ImpactPoints)}</th>
                            </tr></thead>
                            <tbody>
                                {imp.weeks.into_iter().rev().map(|w| {
                                    view! {
                                        <tr>
                                            <td>{format_date(w.week_start)}</td>
                                            <td class="num">{w.shares}</td>
                                            <td class="num">{w.clicks}</td>
                                            <td><progress max=max_points value=w.points></progress> {w.points}</td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                        <h2>{move || i18n.t(T::ImpactLatest)}</h2>
                        {if has_latest {
                            view! {
                                <ul class="activity" data-testid="impact-latest">
                                    {imp.latest.into_iter().map(|a| {
                                        let what = match a.kind {
                                            ActivityKind::Share => T::ActivityShare,
                                            ActivityKind::Bonus => T::ActivityBonus,
                                            ActivityKind::Click => T::ActivityClick,
                                            ActivityKind::Creator => T::ActivityCreator,
                                            ActivityKind::Other => T::ActivityOther,
                                        };
                                        let channel = a.channel;
                                        view! {
                                            <li>
                                                <time>{format_date(a.at)}</time> " "
                                                <strong>{format!("{:+}", a.points)}</strong> " "
                                                {move || i18n.t(what)} " "
                                                {a.title.clone()}
                                                {move || channel.map(|c| format!(" ({})", channel_name(c, i18n.lang())))}
                                            </li>
                                        }
                                    }).collect_view()}
                                </ul>
                            }.into_any()
                        } else {
                            view! { <p>{move || i18n.t(T::ImpactNothingYet)}</p> }.into_any()
                        }}
                    }.into_any()
                })}
            </Transition>
        </section>
    }
}
