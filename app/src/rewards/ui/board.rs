//! `/admin/fulfilment`: every request in its column, moved by its own
//! buttons (keyboard and screen reader alike); waiting ones marked after a
//! week; several approved at once; the list as CSV.

use leptos::prelude::*;

use super::super::rules::{may_move, Mover};
use super::super::{MoveRewardRequests, Request, Status};
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::{format_date, now_ms, ErrorNote, RequireRole};

/// A request that has waited this long in an open column is marked.
const LATE_MS: i64 = 7 * 24 * 3600 * 1000;

#[component]
pub fn FulfilmentPage() -> impl IntoView {
    view! {
        <RequireRole roles=vec![Role::Admin]>
            <Fulfilment/>
        </RequireRole>
    }
}

#[component]
fn Fulfilment() -> impl IntoView {
    let i18n = use_i18n();
    let version = RwSignal::new(0u32);
    let board = Resource::new(move || version.get(), |_| super::super::fulfilment_board());
    crate::ui::listen("/events/live", &["rewards"], move || {
        version.update(|v| *v += 1)
    });
    let moves = ServerAction::<MoveRewardRequests>::new();
    let (value, pending) = (moves.value(), moves.pending());
    Effect::new(move |_| {
        if let Some(Ok(())) = value.try_get().flatten() {
            version.update(|v| *v += 1);
        }
    });
    let chosen = RwSignal::new(Vec::<i64>::new());
    let mover = move |ids: Vec<i64>, to: Status, note: String| {
        moves.dispatch(MoveRewardRequests { ids, to, note });
    };
    view! {
        <section class="card">
            <h1>{move || i18n.t(T::FulfilmentTitle)}</h1>
            <p class="muted">{move || i18n.t(T::FulfilmentHelp)}</p>
            <div class="row">
                <button type="button" class="primary" data-testid="approve-chosen"
                    disabled=move || chosen.with(Vec::is_empty) || pending.try_get().unwrap_or(false)
                    on:click=move |_| { mover(chosen.get_untracked(), Status::Approved, String::new()); chosen.set(Vec::new()); }>
                    {move || i18n.n(T::FulfilmentApproveChosen, &[("count", chosen.with(Vec::len) as i64)])}
                </button>
                <a class="button" href="/admin/rewards/requests.csv" download="reward-requests.csv">{move || i18n.t(T::FulfilmentCsv)}</a>
            </div>
            <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(all) => view! {
                            <div class="board fulfilment" tabindex="0" role="region" aria-label=move || i18n.t(T::FulfilmentTitle)>
                                {Status::BOARD.into_iter().map(|column| {
                                    let cards: Vec<Request> = all.iter().filter(|r| r.status == column).cloned().collect();
                                    let count = cards.len();
                                    view! {
                                        <section class="column" data-status=column.code() aria-label=move || i18n.t(column.label())>
                                            <h2>{move || i18n.t(column.label())}" " <span class="count">{count}</span></h2>
                                            <ul>
                                                {cards.into_iter().map(|r| view! { <RequestCard request=r chosen=chosen on_move=mover/> }).collect_view()}
                                            </ul>
                                        </section>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn RequestCard(
    request: Request,
    chosen: RwSignal<Vec<i64>>,
    on_move: impl Fn(Vec<i64>, Status, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, status) = (request.id, request.status);
    let late = !status.closed() && now_ms() - request.updated_at > LATE_MS;
    let note = RwSignal::new(String::new());
    let targets: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|to| may_move(status, *to, Mover::Admin))
        .collect();
    let note_id = format!("note-{id}");
    view! {
        <li class="board-card request" data-testid="request-card" data-id=id.to_string() class:late=late>
            {(status == Status::Requested).then(|| view! {
                <label class="inline">
                    <input type="checkbox" data-testid="choose-request"
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            chosen.update(|c| { c.retain(|x| *x != id); if on { c.push(id); } });
                        }/>
                    <span class="sr-only">{move || i18n.t(T::FulfilmentChoose)}</span>
                </label>
            })}
            <h3>{request.reward.clone()}</h3>
            <p class="muted">{request.person.clone()} " · " {move || i18n.n(T::RewardsPrice, &[("points", request.points)])}
                " · " <time>{format_date(request.created_at)}</time></p>
            {late.then(|| view! { <p class="badge warning" data-testid="late">{move || i18n.t(T::FulfilmentLate)}</p> })}
            {(!request.answers.is_empty()).then(|| view! {
                <dl class="answers">
                    {request.answers.iter().map(|(q, a)| view! { <dt>{q.clone()}</dt> <dd>{a.clone()}</dd> }).collect_view()}
                </dl>
            })}
            {request.voucher.clone().map(|code| view! { <p>{move || i18n.t(T::FulfilmentCode)}" " <code>{code.clone()}</code></p> })}
            {(!request.note.is_empty()).then(|| view! { <p class="muted">{request.note.clone()}</p> })}
            <details>
                <summary>{move || i18n.t(T::FulfilmentHistory)}</summary>
                <ol class="log">
                    {request.log.iter().map(|l| {
                        let (s, by, at, n) = (l.status, l.by.clone(), l.at, l.note.clone());
                        view! { <li>{move || i18n.t(s.label())}" · "{by}" · "<time>{format_date(at)}</time>{(!n.is_empty()).then(|| format!(" · {n}"))}</li> }
                    }).collect_view()}
                </ol>
            </details>
            {(!targets.is_empty()).then(|| view! {
                <div class="moves">
                    <label for=note_id.clone()>{move || i18n.t(T::FulfilmentNote)}</label>
                    <input id=note_id.clone() maxlength="500" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))/>
                    {targets.iter().map(|to| {
                        let to = *to;
                        view! {
                            <button type="button" data-move=to.code()
                                on:click=move |_| on_move(vec![id], to, note.get_untracked())>
                                {move || i18n.t(T::FulfilmentMoveTo).replace("{status}", i18n.t(to.label()))}
                            </button>
                        }
                    }).collect_view()}
                </div>
            })}
        </li>
    }
}
