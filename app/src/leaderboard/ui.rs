use std::collections::HashMap;

use leptos::prelude::*;

use super::{Leaderboard, Period, Ranked, Standing};
use crate::base::i18n::{use_i18n, T};
use crate::people::GroupKind;
use crate::ui::RequireRole;
use crate::ui::{format_thousands, ErrorNote};

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    view! {
        <RequireRole>
            <Board/>
        </RequireRole>
    }
}

fn ranked_code(r: Ranked) -> &'static str {
    match r {
        Ranked::People => "people",
        Ranked::Groups(k) => k.code(),
    }
}

fn ranked_label(r: Ranked) -> T {
    match r {
        Ranked::People => T::BoardPeople,
        Ranked::Groups(GroupKind::Team) => T::BoardTeams,
        Ranked::Groups(GroupKind::Department) => T::BoardDepartments,
        Ranked::Groups(GroupKind::Office) => T::BoardOffices,
    }
}

const RANKED: [Ranked; 4] = [
    Ranked::People,
    Ranked::Groups(GroupKind::Team),
    Ranked::Groups(GroupKind::Department),
    Ranked::Groups(GroupKind::Office),
];

/// How a row moved since the board was last drawn, for a calm animation.
#[derive(Clone, Copy, PartialEq)]
enum Change {
    Same,
    Up,
    Down,
    More,
}

#[component]
fn Board() -> impl IntoView {
    let i18n = use_i18n();
    let ranked = RwSignal::new(Ranked::People);
    let period = RwSignal::new(Period::Week);
    let group: RwSignal<Option<i64>> = RwSignal::new(None);
    let tick = RwSignal::new(0u32);
    // Marks the board busy for screen readers (and tests) while a new
    // period or scope loads behind the one still shown.
    let pending = RwSignal::new(false);
    let board = Resource::new(
        move || (ranked.get(), period.get(), group.get(), tick.get()),
        |(r, p, g, _)| super::load_leaderboard(r, p, if r == Ranked::People { g } else { None }),
    );
    crate::ui::listen("/events/live", &["points", "people"], move || {
        tick.update(|t| *t += 1)
    });
    // What each row showed last time, per board, to mark what changed.
    let previous: StoredValue<HashMap<i64, (u32, i64)>> = StoredValue::new(HashMap::new());
    let shown_for = StoredValue::new((Ranked::People, Period::Week, None::<i64>));

    let changes = move |lb: &Leaderboard| -> HashMap<i64, Change> {
        let key = (
            ranked.get_untracked(),
            period.get_untracked(),
            group.get_untracked(),
        );
        let same_board = shown_for.get_value() == key;
        shown_for.set_value(key);
        let rows: Vec<&Standing> = lb.top.iter().chain(lb.me.iter()).collect();
        let mut out = HashMap::new();
        previous.update_value(|prev| {
            for s in &rows {
                let change = match prev.get(&s.id) {
                    Some((rank, points)) if same_board => {
                        if s.rank < *rank {
                            Change::Up
                        } else if s.rank > *rank {
                            Change::Down
                        } else if s.points > *points {
                            Change::More
                        } else {
                            Change::Same
                        }
                    }
                    _ => Change::Same,
                };
                out.insert(s.id, change);
            }
            *prev = rows.iter().map(|s| (s.id, (s.rank, s.points))).collect();
        });
        out
    };

    view! {
        <section class="card" aria-busy=move || pending.get().to_string()>
            <h1>{move || i18n.t(T::LeaderboardTitle)}</h1>
            <p class="muted">{move || i18n.t(T::LeaderboardIntro)}</p>
            <div class="board-controls">
                <div class="segmented" role="group" aria-label=move || i18n.t(T::LeaderboardWho)>
                    {RANKED.into_iter().map(|r| view! {
                        <button type="button" class="chip" data-ranked=ranked_code(r)
                            aria-pressed=move || (ranked.get() == r).to_string()
                            on:click=move |_| ranked.set(r)>{move || i18n.t(ranked_label(r))}</button>
                    }).collect_view()}
                </div>
                <div class="segmented" role="group" aria-label=move || i18n.t(T::LeaderboardPeriod)>
                    {Period::ALL.into_iter().map(|p| view! {
                        <button type="button" class="chip" data-period=p.code()
                            aria-pressed=move || (period.get() == p).to_string()
                            on:click=move |_| period.set(p)>{move || i18n.t(p.label())}</button>
                    }).collect_view()}
                </div>
            </div>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> } set_pending=pending.write_only()>
                {move || Suspend::new(async move {
                    match board.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(lb) => {
                            let changed = changes(&lb);
                            let groups = lb.my_groups.clone();
                            let people = ranked.get_untracked() == Ranked::People;
                            let empty = lb.top.is_empty();
                            // Which board these rows are, so a reader can tell
                            // the new period's rows from the previous ones.
                            let shown = format!("{}-{}", ranked_code(ranked.get_untracked()), period.get_untracked().code());
                            view! {
                                {(people && !groups.is_empty()).then(|| view! {
                                    <label class="scope">
                                        {move || i18n.t(T::LeaderboardScope)} " "
                                        <select data-testid="scope" on:change=move |ev| {
                                            group.set(event_target_value(&ev).parse::<i64>().ok());
                                        }>
                                            <option value="" selected=group.get_untracked().is_none()>{move || i18n.t(T::LeaderboardCompany)}</option>
                                            {groups.iter().map(|g| {
                                                let id = g.id;
                                                view! { <option value=id.to_string() selected=group.get_untracked() == Some(id)>{g.name.clone()}</option> }
                                            }).collect_view()}
                                        </select>
                                    </label>
                                })}
                                {empty.then(|| view! { <p data-testid="board-empty">{move || i18n.t(T::LeaderboardEmpty)}</p> })}
                                <ol class="ranking" data-testid="ranking" data-shown=shown>
                                    {lb.top.iter().map(|s| view! { <Row s=s.clone() change=changed.get(&s.id).copied().unwrap_or(Change::Same)/> }).collect_view()}
                                </ol>
                                {lb.me.clone().map(|s| {
                                    let change = changed.get(&s.id).copied().unwrap_or(Change::Same);
                                    view! {
                                        <p class="gap" aria-hidden="true">"⋯"</p>
                                        <ol class="ranking" data-testid="my-rank"><Row s=s change=change/></ol>
                                    }
                                })}
                                {(!empty && lb.me.is_none() && !lb.top.iter().any(|s| s.mine)).then(|| view! {
                                    <p class="muted" data-testid="no-rank">{move || i18n.t(T::LeaderboardNoPoints)}</p>
                                })}
                            }.into_any()
                        }
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn Row(s: Standing, change: Change) -> impl IntoView {
    let i18n = use_i18n();
    let rank = if s.tied {
        format!("={}", s.rank)
    } else {
        s.rank.to_string()
    };
    let arrow = match change {
        Change::Up => "▲",
        Change::Down => "▼",
        _ => "",
    };
    view! {
        <li class="rank-row" class:mine=s.mine class:up=change == Change::Up
            class:down=change == Change::Down class:more=change == Change::More
            data-testid="rank-row" data-id=s.id.to_string()>
            <span class="rank" title=move || if s.tied { i18n.t(T::LeaderboardTied).to_string() } else { String::new() }>{rank}</span>
            <span class="name">{s.name.clone()} {s.mine.then(|| view! { " " <span class="badge">{move || i18n.t(T::LeaderboardYou)}</span> })}</span>
            <span class="move" aria-hidden="true">{arrow}</span>
            <span class="points" data-testid="rank-points">{format_thousands(s.points)}</span>
        </li>
    }
}
