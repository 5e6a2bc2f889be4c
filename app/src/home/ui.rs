use leptos::prelude::*;
use leptos_router::components::A;

use super::{rank_change, Attention, MyDay};
use crate::base::home_note::HomeNote;
use crate::base::i18n::{use_i18n, I18n, T};
use crate::base::session::use_session;
use crate::hub::{colleagues_did, HubCard, ShareDialog};
use crate::points::PointRules;
use crate::ui::{format_thousands, ErrorNote, RequireRole};

#[component]
pub fn Home() -> impl IntoView {
    view! {
        <RequireRole>
            <HomeContent/>
        </RequireRole>
    }
}

#[component]
fn HomeContent() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let version = RwSignal::new(0u32);
    let day = Resource::new(move || version.get(), |_| super::load_home());
    let sharing: RwSignal<Option<(HubCard, PointRules)>> = RwSignal::new(None);
    let name = move || session.me().map(|m| m.name).unwrap_or_default();
    view! {
        <h1 class="page-title">{move || i18n.t(T::HomeWelcome).replace("{name}", &name())}</h1>
        <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match day.await {
                    Ok(day) => view! {
                        <Figures day=day.clone()/>
                        <Suggestion day=day.clone() on_share=move |c| sharing.set(Some(c))/>
                        <ForYou day=day.clone()/>
                        <ForCurators day=day/>
                    }.into_any(),
                    Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                }
            })}
        </Transition>
        {move || sharing.get().map(|(card, rules)| view! {
            <ShareDialog card=card rules=rules
                on_close=move || sharing.set(None)
                on_shared=move || version.update(|v| *v += 1)/>
        })}
    }
}

/// Points, rank and streak: four tiles, two abreast on a phone.
#[component]
fn Figures(day: MyDay) -> impl IntoView {
    let i18n = use_i18n();
    let rank = match day.rank {
        Some(r) => format!("#{r}"),
        None => "–".into(),
    };
    let change = move || rank_line(i18n, day.rank, day.rank_last_week);
    let streak = move || streak_line(i18n, day.streak_weeks, day.shared_this_week);
    view! {
        <section class="card" aria-labelledby="home-figures">
            <h2 id="home-figures" class="sr-only">{move || i18n.t(T::HomeFigures)}</h2>
            <ul class="tiles" data-testid="home-figures">
                <li>
                    <span class="tile-value" data-testid="home-spendable">{format_thousands(day.spendable_points)}</span>
                    <span class="tile-label">{move || i18n.t(T::HomeSpendable)}</span>
                </li>
                <li>
                    <span class="tile-value" data-testid="home-week-points">{format!("+{}", format_thousands(day.week_points))}</span>
                    <span class="tile-label">{move || i18n.t(T::HomeWeekPoints)}</span>
                </li>
                <li>
                    <span class="tile-value" data-testid="home-rank">{rank}</span>
                    <span class="tile-label">{change}</span>
                </li>
                <li>
                    <span class="tile-value" data-testid="home-streak">{day.streak_weeks}</span>
                    <span class="tile-label">{streak}</span>
                </li>
            </ul>
            <p class="more"><A href="/impact">{move || i18n.t(T::HomeGoImpact)}</A>" · "<A href="/leaderboard">{move || i18n.t(T::NavLeaderboard)}</A></p>
        </section>
    }
}

fn rank_line(i18n: I18n, now: Option<u32>, before: Option<u32>) -> String {
    match (now, rank_change(now, before)) {
        (None, _) => i18n.t(T::HomeRankNone).to_string(),
        (Some(_), None) => i18n.t(T::HomeRankNew).to_string(),
        (Some(_), Some(0)) => i18n.t(T::HomeRankSame).to_string(),
        (Some(_), Some(up)) if up > 0 => i18n.t(T::HomeRankUp).replace("{n}", &up.to_string()),
        (Some(_), Some(down)) => i18n.t(T::HomeRankDown).replace("{n}", &(-down).to_string()),
    }
}

fn streak_line(i18n: I18n, weeks: u32, this_week: bool) -> String {
    match (weeks, this_week) {
        (0, _) => i18n.t(T::HomeStreakStart).to_string(),
        (_, false) => i18n.t(T::HomeStreakKeep).to_string(),
        (_, true) => i18n.t(T::HomeStreakWeeks).to_string(),
    }
}

/// One item worth sharing now, with its Share button on the first screen.
#[component]
fn Suggestion(day: MyDay, on_share: impl Fn((HubCard, PointRules)) + 'static) -> impl IntoView {
    let i18n = use_i18n();
    let rules = day.rules;
    let Some(card) = day.suggestion else {
        return view! {
            <section class="card" data-testid="home-suggestion">
                <h2>{move || i18n.t(T::HomeShareNow)}</h2>
                <p>{move || i18n.t(T::HubEmpty)}</p>
            </section>
        }
        .into_any();
    };
    let stats = colleagues_did(&card, i18n);
    let shared = card.clone();
    view! {
        <section class="card suggestion" data-testid="home-suggestion">
            <h2>{move || i18n.t(T::HomeShareNow)}</h2>
            <div class="suggestion-body">
                {card.image_id.map(|id| view! { <img class="suggestion-image" src=format!("/media/{id}") alt="" width="96" height="96"/> })}
                <div>
                    <h3 data-testid="home-suggestion-title">{card.title.clone()}</h3>
                    <p class="muted">{stats}</p>
                </div>
            </div>
            <div class="actions">
                <button type="button" class="primary" data-testid="home-share"
                    on:click=move |_| on_share((shared.clone(), rules))>
                    {move || i18n.t(T::ShareButton)}
                </button>
                <A href="/hub" attr:class="button">{move || i18n.t(T::HomeGoHub)}</A>
            </div>
        </section>
    }
    .into_any()
}

/// The other features' notes about the person's own progress.
#[component]
fn ForYou(day: MyDay) -> impl IntoView {
    let i18n = use_i18n();
    let mine: Vec<HomeNote> = day.notes.into_iter().filter(|n| !n.work).collect();
    (!mine.is_empty()).then(|| {
        view! {
            <section class="card" data-testid="home-notes">
                <h2>{move || i18n.t(T::HomeForYou)}</h2>
                <ul class="links">{mine.into_iter().map(note).collect_view()}</ul>
            </section>
        }
    })
}

fn note(n: HomeNote) -> impl IntoView {
    let i18n = use_i18n();
    let (href, id) = (n.href.clone(), n.id.clone());
    view! { <li data-note=id><A href=href>{move || n.render(i18n)}</A></li> }
}

/// What waits for a reviewer or an admin: only what there is.
#[component]
fn ForCurators(day: MyDay) -> impl IntoView {
    let i18n = use_i18n();
    let work: Vec<HomeNote> = day.notes.iter().filter(|n| n.work).cloned().collect();
    let has_work = !work.is_empty();
    let work = work.into_iter().map(note).collect_view();
    let review = day.to_review.map(|n| {
        let text = move || i18n.n(T::HomeToReview, &[("n", n)]);
        view! { <li><A href="/review">{text}</A></li> }
    });
    let attention = day.attention.filter(|a| !a.is_empty()).map(attention_items);
    (review.is_some() || attention.is_some() || has_work).then(|| {
        view! {
            <section class="card" data-testid="home-attention">
                <h2>{move || i18n.t(T::HomeNeedsYou)}</h2>
                <ul class="links">{review}{attention}{work}</ul>
            </section>
        }
    })
}

fn attention_items(a: Attention) -> impl IntoView {
    let i18n = use_i18n();
    let line = move |n: i64, text: T, href: &'static str| {
        (n > 0).then(|| {
            let text = move || i18n.n(text, &[("n", n)]);
            view! { <li><A href=href>{text}</A></li> }
        })
    };
    // Not a link: removing the demo is the operator's command, not a page.
    let demo = (a.demo_accounts > 0).then(|| {
        let n = a.demo_accounts;
        let text = move || i18n.n(T::HomeDemoAccounts, &[("n", n)]);
        view! { <li class="warning" data-testid="home-demo-warning">{text}" "<code>"sprida demo remove"</code></li> }
    });
    view! {
        {demo}
        {line(a.waiting_long, T::HomeWaitingLong, "/review")}
        {line(a.invited, T::HomeInvited, "/admin/people")}
        {line(a.expiring, T::HomeExpiring, "/content")}
        {line(a.without_networks, T::HomeWithoutNetworks, "/admin/people")}
    }
}
