//! `/admin/fulfilment`: every request in its column, moved by dragging it
//! (as on the review board) or by its own buttons (keyboard and screen
//! reader alike); waiting ones marked after a week; several approved at
//! once; the list as CSV; the month's budget, with a warning before an
//! approval takes it over.

use leptos::prelude::*;

use super::super::budget::{BudgetSettings, BudgetView, SaveRewardBudget};
use super::super::rules::{may_move, Mover};
use super::super::{MoveRewardRequests, Request, Status};
use crate::base::i18n::{use_i18n, T};
use crate::base::session::Role;
use crate::ui::drag::Dragging;
use crate::ui::{confirm, format_thousands};
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
    let budget = Resource::new(
        move || version.get(),
        |_| super::super::budget::reward_budget(),
    );
    let chosen = RwSignal::new(Vec::<i64>::new());
    // Approvals past the month's budget are confirmed first (a warning,
    // not a refusal); a card dropped on Declined asks for the reason.
    let asking: RwSignal<Option<i64>> = RwSignal::new(None);
    let all_requests: StoredValue<Vec<Request>> = StoredValue::new(Vec::new());
    let mover = move |ids: Vec<i64>, to: Status, note: String| {
        if to == Status::Approved {
            let cost: i64 = all_requests.with_value(|all| {
                all.iter()
                    .filter(|r| ids.contains(&r.id))
                    .filter_map(|r| r.cost)
                    .sum()
            });
            let view = budget
                .get_untracked()
                .and_then(Result::ok)
                .unwrap_or_default();
            if let Some(over) = view.over_by(cost) {
                let text = i18n
                    .t(T::BudgetConfirm)
                    .replace("{over}", &format_thousands(over))
                    .replace("{currency}", &view.budget.currency);
                if !confirm(&text) {
                    return;
                }
            }
        }
        moves.dispatch(MoveRewardRequests { ids, to, note });
    };
    let dragging = Dragging::new("data-status", move |card: Request, to: String| {
        if let Some(to) = Status::parse(&to) {
            if to == Status::Declined {
                asking.set(Some(card.id));
            } else if to != card.status {
                mover(vec![card.id], to, String::new());
            }
        }
    });
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
            <Transition>
                {move || Suspend::new(async move {
                    budget.await.ok().map(|b| view! { <Budget view=b/> })
                })}
            </Transition>
            <p class="muted board-hint">{move || i18n.t(T::FulfilmentDragHint)}</p>
            <Transition fallback=move || view! { <p>{move || i18n.t(T::Loading)}</p> }>
                {move || Suspend::new(async move {
                    match board.await {
                        Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        Ok(all) => {
                            all_requests.set_value(all.clone());
                            view! {
                            <div class="board fulfilment" tabindex="0" role="region" aria-label=move || i18n.t(T::FulfilmentTitle)
                                class:dragging=move || dragging.active()>
                                {Status::BOARD.into_iter().map(|column| {
                                    let cards: Vec<Request> = all.iter().filter(|r| r.status == column).cloned().collect();
                                    let count = cards.len();
                                    view! {
                                        <section class="column" data-status=column.code() aria-label=move || i18n.t(column.label())
                                            class:over=move || dragging.is_over(column.code())>
                                            <h2>{move || i18n.t(column.label())}" " <span class="count">{count}</span></h2>
                                            <ul>
                                                {cards.into_iter().map(|r| view! { <RequestCard request=r chosen=chosen on_move=mover dragging=dragging/> }).collect_view()}
                                            </ul>
                                        </section>
                                    }
                                }).collect_view()}
                            </div>
                        }.into_any()
                        }
                    }
                })}
            </Transition>
            {move || dragging.ghost(|r| r.reward.clone()).map(|(at, title)| view! {
                <div class="drag-ghost" aria-hidden="true"
                    style:left=format!("{}px", at.0 + 8.0) style:top=format!("{}px", at.1 + 8.0)>
                    {title}
                </div>
            })}
            {move || asking.get().map(|id| view! {
                <DeclineReason on_cancel=move || asking.set(None)
                    on_send=move |note| { asking.set(None); mover(vec![id], Status::Declined, note); }/>
            })}
        </section>
    }
}

/// The month's budget: where it stands, a warning when what waits would
/// take it over, and the amount and currency to change.
#[component]
fn Budget(view: BudgetView) -> impl IntoView {
    let i18n = use_i18n();
    let amount = RwSignal::new(
        view.budget
            .monthly
            .map(|m| m.to_string())
            .unwrap_or_default(),
    );
    let currency = RwSignal::new(view.budget.currency.clone());
    let save = ServerAction::<SaveRewardBudget>::new();
    let (value, pending) = (save.value(), save.pending());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = amount.get_untracked().trim().replace([' ', '\u{a0}'], "");
        // Unreadable amounts go as -1, which the server refuses with why.
        let monthly = (!text.is_empty()).then(|| text.parse::<i64>().unwrap_or(-1));
        save.dispatch(SaveRewardBudget {
            budget: BudgetSettings {
                monthly,
                currency: currency.get_untracked(),
            },
        });
    };
    let status = match view.budget.monthly {
        None => i18n.t(T::BudgetNone).to_string(),
        Some(monthly) => i18n
            .t(T::BudgetSpent)
            .replace("{spent}", &format_thousands(view.spent))
            .replace("{monthly}", &format_thousands(monthly))
            .replace("{currency}", &view.budget.currency)
            .replace("{waiting}", &format_thousands(view.waiting)),
    };
    let over_waiting = view.over_by(view.waiting).filter(|_| view.waiting > 0);
    let code = view.budget.currency.clone();
    view! {
        <details class="budget" data-testid="budget" open=over_waiting.is_some()>
            <summary>{move || i18n.t(T::BudgetTitle)}": " <span data-testid="budget-status">{status.clone()}</span></summary>
            {over_waiting.map(|over| view! {
                <p class="warning" role="status" data-testid="budget-warning">{move || i18n.t(T::BudgetOverWaiting)
                    .replace("{over}", &format_thousands(over)).replace("{currency}", &code)}</p>
            })}
            <form class="row" on:submit=submit novalidate>
                <div class="stack">
                    <label for="budget-amount">{move || i18n.t(T::BudgetAmount)}</label>
                    <input id="budget-amount" inputmode="numeric" data-testid="budget-amount"
                        prop:value=amount on:input=move |ev| amount.set(event_target_value(&ev))/>
                </div>
                <div class="stack">
                    <label for="budget-currency">{move || i18n.t(T::BudgetCurrency)}</label>
                    <input id="budget-currency" maxlength="3" size="4" data-testid="budget-currency"
                        prop:value=currency on:input=move |ev| currency.set(event_target_value(&ev))/>
                </div>
                <button type="submit" disabled=move || pending.try_get().unwrap_or(false)>{move || i18n.t(T::Save)}</button>
            </form>
            <ErrorNote error=Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()))/>
        </details>
    }
}

/// Asks the reason for a decline made by dragging (the person reads it).
#[component]
fn DeclineReason(
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
    on_send: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    view! {
        <div class="modal-backdrop">
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="decline-title"
                on:keydown=move |ev| if ev.key() == "Escape" { on_cancel() }>
                <h2 id="decline-title">{move || i18n.t(T::FulfilmentDeclineWhy)}</h2>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    let note = text.get_untracked();
                    if note.trim().is_empty() { missing.set(true) } else { on_send(note) }
                }>
                    <label for="decline-note" class="sr-only">{move || i18n.t(T::FulfilmentDeclineWhy)}</label>
                    <textarea id="decline-note" rows="3" maxlength="500" data-testid="decline-note" autofocus
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <Show when=move || missing.get()>
                        <p class="error" role="alert">{move || i18n.t(T::ErrDeclineReason)}</p>
                    </Show>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="decline-send">{move || i18n.t(Status::Declined.label())}</button>
                        <button type="button" on:click=move |_| on_cancel()>{move || i18n.t(T::Cancel)}</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

#[component]
fn RequestCard(
    request: Request,
    chosen: RwSignal<Vec<i64>>,
    on_move: impl Fn(Vec<i64>, Status, String) + Copy + Send + Sync + 'static,
    dragging: Dragging<Request>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (id, status) = (request.id, request.status);
    let stored = StoredValue::new(request.clone());
    let late = !status.closed() && now_ms() - request.updated_at > LATE_MS;
    let note = RwSignal::new(String::new());
    let targets: Vec<Status> = Status::ALL
        .into_iter()
        .filter(|to| may_move(status, *to, Mover::Admin))
        .collect();
    let note_id = format!("note-{id}");
    view! {
        <li class="board-card request" data-testid="request-card" data-id=id.to_string() class:late=late
            class:lifted=move || dragging.drag.with(|d| d.as_ref().is_some_and(|d| d.moved && d.card.id == id))
            on:pointerdown=move |ev| dragging.press(&ev, stored.get_value())>
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
