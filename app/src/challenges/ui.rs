//! `/challenges`: every challenge with its live standings (the running
//! ones first), and for organisers a form to create, change or remove one.

use leptos::prelude::*;

use super::{
    Challenge, ChallengeInput, Challenges, DeleteChallenge, Metric, Phase, Placing, SaveChallenge,
};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::content::{local_to_ms, ms_to_local};
use crate::ui::{confirm, format_date, format_thousands, ErrorNote, RequireRole};

#[component]
pub fn ChallengesPage() -> impl IntoView {
    view! {
        <RequireRole>
            <ChallengesView/>
        </RequireRole>
    }
}

#[component]
fn ChallengesView() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let data = Resource::new(move || version.get(), |_| super::list_challenges());
    crate::ui::listen(
        "/events/live",
        &["challenges", "points", "kudos"],
        move || version.update(|v| *v += 1),
    );
    // None: no form; Some(None): a new challenge; Some(Some(c)): editing c.
    let editing: RwSignal<Option<Option<Challenge>>> = RwSignal::new(None);
    let done = move || {
        editing.set(None);
        version.update(|v| *v += 1);
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::ChallengesTitle)}</h1>
            <p class="muted">{move || i18n.t(T::ChallengesHelp)}</p>
        </section>
        <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(all) => view! { <List all=all editing=editing on_done=done/> }.into_any(),
                    Err(e) => view! { <section class="card"><ErrorNote error=Signal::stored(Some(e))/></section> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn List(
    all: Challenges,
    editing: RwSignal<Option<Option<Challenge>>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let rewards = StoredValue::new(all.rewards.clone());
    let empty = all.list.is_empty();
    view! {
        {all.may_organise.then(|| view! {
            <Show when=move || editing.with(Option::is_none)>
                <p><button type="button" class="primary" data-testid="new-challenge"
                    on:click=move |_| editing.set(Some(None))>{move || i18n.t(T::ChallengeNew)}</button></p>
            </Show>
        })}
        {move || editing.get().map(|current| view! {
            <ChallengeForm current=current rewards=rewards.get_value() on_done=on_done/>
        })}
        {empty.then(|| view! { <section class="card"><p class="muted">{move || i18n.t(T::ChallengesNone)}</p></section> })}
        {all.list.into_iter().map(|c| view! { <ChallengeCard challenge=c editing=editing on_done=on_done/> }).collect_view()}
    }
}

#[component]
fn ChallengeCard(
    challenge: Challenge,
    editing: RwSignal<Option<Option<Challenge>>>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let c = challenge.input.clone();
    let (id, phase, paid) = (challenge.id, challenge.phase, challenge.paid);
    let stored = StoredValue::new(challenge.clone());
    let remove = ServerAction::<DeleteChallenge>::new();
    let removed = remove.value();
    Effect::new(move |_| {
        if let Some(Ok(())) = removed.try_get().flatten() {
            on_done();
        }
    });
    let metric = c.metric;
    let (minimum, winners, prize_points) = (c.minimum, c.winners, c.prize_points);
    view! {
        <section class="card challenge" id=format!("c{id}") data-testid="challenge" data-phase=format!("{phase:?}")>
            <h2>{c.title.clone()}" " <span class="badge" data-testid="challenge-phase">{move || i18n.t(if paid { T::ChallengePaid } else { phase.label() })}</span></h2>
            {(!c.description.is_empty()).then(|| view! { <p>{c.description.clone()}</p> })}
            <p class="muted">
                {move || i18n.t(metric.label())}
                {(!c.tag.is_empty()).then(|| format!(" · #{}", c.tag))}
                " · " {move || i18n.t(if c.team { T::ChallengeTeams } else { T::ChallengePeople })}
                " · " {format_date(c.starts_at)}" – "{format_date(c.ends_at)}
            </p>
            <p data-testid="challenge-prize">
                {move || i18n.n(T::ChallengeRules, &[("minimum", minimum), ("winners", winners)])}
                {(prize_points > 0).then(|| view! { " " {move || i18n.n(T::ChallengePrizePoints, &[("points", prize_points)])} })}
                {challenge.prize_reward.clone().map(|r| view! { " " {move || i18n.t(T::ChallengePrizeReward).replace("{name}", &r)} })}
            </p>
            {match phase {
                Phase::Upcoming => view! { <p class="muted">{move || i18n.t(T::ChallengeNotStarted)}</p> }.into_any(),
                _ => view! { <Standings list=challenge.standings.clone() winners=paid.then_some(winners)/> }.into_any(),
            }}
            {challenge.editable.then(|| view! {
                <div class="row">
                    <button type="button" on:click=move |_| editing.set(Some(Some(stored.get_value())))>{move || i18n.t(T::Edit)}</button>
                    <button type="button" class="danger" on:click=move |_| {
                        if confirm(i18n.t(T::ChallengeDeleteConfirm)) { remove.dispatch(DeleteChallenge { id }); }
                    }>{move || i18n.t(T::Delete)}</button>
                </div>
                <ErrorNote error=Signal::derive(move || removed.try_get().flatten().and_then(|r| r.err()))/>
            })}
        </section>
    }
}

#[component]
fn Standings(list: Vec<Placing>, winners: Option<i64>) -> impl IntoView {
    let i18n = use_i18n();
    if list.is_empty() {
        return view! { <p class="muted">{move || i18n.t(T::ChallengeNoScores)}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="standings">
                <caption class="sr-only">{move || i18n.t(T::ChallengeStandings)}</caption>
                <thead><tr>
                    <th scope="col">{move || i18n.t(T::ChallengePlace)}</th>
                    <th scope="col">{move || i18n.t(T::ChallengeWho)}</th>
                    <th scope="col">{move || i18n.t(T::ChallengeScore)}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|p| {
                        let name = if p.name.is_empty() { None } else { Some(p.name.clone()) };
                        let won = winners.is_some_and(|n| p.qualified && i64::from(p.rank) <= n);
                        view! {
                            <tr data-testid="placing" class:mine=p.mine>
                                <td>{if p.tied { format!("={}", p.rank) } else { p.rank.to_string() }}</td>
                                <td>{match name { Some(n) => n.into_any(), None => view! { <span class="muted">{move || i18n.t(T::ChallengeHidden)}</span> }.into_any() }}
                                    {(!p.qualified).then(|| view! { " " <span class="muted">{move || i18n.t(T::ChallengeBelowMinimum)}</span> })}
                                    {won.then(|| view! { " " <span class="badge award" data-testid="winner">{move || i18n.t(T::ChallengeWinner)}</span> })}</td>
                                <td data-testid="placing-score">{format_thousands(p.score)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ChallengeForm(
    current: Option<Challenge>,
    rewards: Vec<(i64, String)>,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = current.as_ref().map(|c| c.id);
    let start = current.map(|c| c.input);
    let text =
        |f: fn(&ChallengeInput) -> String| RwSignal::new(start.as_ref().map(f).unwrap_or_default());
    let title = text(|c| c.title.clone());
    let description = text(|c| c.description.clone());
    let tag = text(|c| c.tag.clone());
    let starts = RwSignal::new(ms_to_local(start.as_ref().map(|c| c.starts_at)));
    let ends = RwSignal::new(ms_to_local(start.as_ref().map(|c| c.ends_at)));
    let minimum = RwSignal::new(start.as_ref().map_or(1, |c| c.minimum).to_string());
    let winners = RwSignal::new(start.as_ref().map_or(1, |c| c.winners).to_string());
    let prize = RwSignal::new(start.as_ref().map_or(100, |c| c.prize_points).to_string());
    let reward = RwSignal::new(start.as_ref().and_then(|c| c.prize_reward));
    let team = RwSignal::new(start.as_ref().is_some_and(|c| c.team));
    let metric = RwSignal::new(start.as_ref().map_or(Metric::Clicks, |c| c.metric));
    let local_error = RwSignal::new(None::<AppError>);
    let save = ServerAction::<SaveChallenge>::new();
    let (value, pending) = (save.value(), save.pending());
    Effect::new(move |_| {
        if let Some(Ok(_)) = value.try_get().flatten() {
            on_done();
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let number = |s: RwSignal<String>| s.get_untracked().trim().parse::<i64>().unwrap_or(-1);
        let dates = (
            local_to_ms(&starts.get_untracked()),
            local_to_ms(&ends.get_untracked()),
        );
        let (starts_at, ends_at) = match dates {
            (Ok(Some(s)), Ok(Some(e))) => (s, e),
            (Err(e), _) | (_, Err(e)) => return local_error.set(Some(e)),
            _ => return local_error.set(Some(AppError::Invalid(T::ErrChallengeDates))),
        };
        local_error.set(None);
        save.dispatch(SaveChallenge {
            id,
            input: ChallengeInput {
                title: title.get_untracked(),
                description: description.get_untracked(),
                team: team.get_untracked(),
                metric: metric.get_untracked(),
                tag: tag.get_untracked(),
                starts_at,
                ends_at,
                minimum: number(minimum),
                winners: number(winners),
                prize_points: number(prize),
                prize_reward: reward.get_untracked(),
            },
        });
    };
    let field = move |id: &'static str, label: T, signal: RwSignal<String>, kind: &'static str| {
        view! {
            <div class="stack">
                <label for=id>{move || i18n.t(label)}</label>
                <input id=id type=kind data-testid=id prop:value=signal on:input=move |ev| signal.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="challenge-form-title">
            <h2 id="challenge-form-title">{move || i18n.t(if id.is_some() { T::ChallengeEdit } else { T::ChallengeNew })}</h2>
            <form class="stack" on:submit=submit novalidate data-testid="challenge-form">
                {field("challenge-title", T::ChallengeName, title, "text")}
                <label for="challenge-description">{move || i18n.t(T::ChallengeDescription)}</label>
                <textarea id="challenge-description" rows="2" maxlength="1000"
                    prop:value=description on:input=move |ev| description.set(event_target_value(&ev))></textarea>
                <div class="grid-2">
                    <div class="stack">
                        <label for="challenge-metric">{move || i18n.t(T::ChallengeMetric)}</label>
                        <select id="challenge-metric" data-testid="challenge-metric"
                            on:change=move |ev| if let Some(m) = Metric::parse(&event_target_value(&ev)) { metric.set(m) }>
                            {Metric::ALL.into_iter().map(|m| view! {
                                <option value=m.code() selected=move || metric.get() == m>{move || i18n.t(m.label())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    {field("challenge-tag", T::ChallengeTag, tag, "text")}
                    {field("challenge-starts", T::ChallengeStarts, starts, "datetime-local")}
                    {field("challenge-ends", T::ChallengeEnds, ends, "datetime-local")}
                    {field("challenge-minimum", T::ChallengeMinimum, minimum, "number")}
                    {field("challenge-winners", T::ChallengeWinners, winners, "number")}
                    {field("challenge-prize", T::ChallengePrize, prize, "number")}
                    <div class="stack">
                        <label for="challenge-reward">{move || i18n.t(T::ChallengeReward)}</label>
                        <select id="challenge-reward" data-testid="challenge-reward"
                            on:change=move |ev| reward.set(event_target_value(&ev).parse().ok())>
                            <option value="">{move || i18n.t(T::ChallengeNoReward)}</option>
                            {rewards.into_iter().map(|(rid, name)| view! {
                                <option value=rid.to_string() selected=move || reward.get() == Some(rid)>{name}</option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <label class="check" for="challenge-team">
                    <input id="challenge-team" type="checkbox" data-testid="challenge-team"
                        prop:checked=team on:change=move |ev| team.set(event_target_checked(&ev))/>
                    {move || i18n.t(T::ChallengeTeamsCompete)}
                </label>
                <ErrorNote error=Signal::derive(move || local_error.get().or_else(|| value.try_get().flatten().and_then(|r| r.err())))/>
                <div class="row">
                    <button type="submit" class="primary" data-testid="challenge-save"
                        disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
                    <button type="button" on:click=move |_| on_done()>{move || i18n.t(T::Cancel)}</button>
                </div>
            </form>
        </section>
    }
}
