//! The reviewers' kanban board and a card's own page. Cards move by
//! dragging (pointer events, so mouse, pen and touch alike) or from the
//! keyboard with each card's "Move to" list; the server decides every move
//! and the board shows what it decided.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use super::ui::{CommentThread, PostFields, PostForm};
use super::{stage_label, BoardCard, Post, Schedule};
use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::content::stage::{may_move, reviewer_moves, Mover, Stage};
use crate::content::{local_to_ms, ms_to_local, TargetFields, CURATORS};
use crate::people::Group;
use crate::share::channel_name;
use crate::ui::drag::Dragging;
use crate::ui::RequireRole;
use crate::ui::{age, format_date, now_ms, ErrorNote, Outcome};

#[component]
pub fn BoardPage() -> impl IntoView {
    view! {
        <RequireRole roles=CURATORS.to_vec()>
            <Board/>
        </RequireRole>
    }
}

/// A move waiting for the reviewer's comment.
#[derive(Clone)]
struct Asking {
    card: BoardCard,
    to: Stage,
}

#[component]
fn Board() -> impl IntoView {
    let i18n = use_i18n();
    let reload = RwSignal::new(0u32);
    let cards = Resource::new(move || reload.get(), |_| super::review_board());
    let message: RwSignal<Option<Result<T, AppError>>> = RwSignal::new(None);
    let asking: RwSignal<Option<Asking>> = RwSignal::new(None);
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    crate::ui::listen("/events/board", &["board"], move || {
        reload.update(|v| *v += 1)
    });

    let send_move = move |card: BoardCard, to: Stage, comment: Option<String>| {
        leptos::task::spawn_local(async move {
            let answer = super::move_post(card.id, to, card.version, comment).await;
            // The page may have been left meanwhile: its signals are gone.
            message.try_set(Some(answer.map(|_| T::BoardMoved)));
            reload.try_update(|v| *v += 1);
        });
    };
    // Moves the server would refuse still go to it: it is the judge, and
    // its answer is the message people see.
    let request_move = move |card: BoardCard, to: Stage| {
        if card.stage == to {
            return;
        }
        let legal = may_move(card.stage, to, Mover::Reviewer);
        if legal && matches!(to, Stage::ChangesRequested | Stage::Rejected) {
            asking.set(Some(Asking { card, to }));
        } else {
            send_move(card, to, None);
        }
    };

    let dragging = Dragging::new("data-stage", move |card: BoardCard, to: String| {
        if let Some(to) = Stage::parse(&to) {
            request_move(card, to);
        }
    });

    let loading = move || view! { <p>{move || i18n.t(T::Loading)}</p> };
    view! {
        <section class="card wide">
            <h1>{move || i18n.t(T::BoardTitle)}</h1>
            <p class="muted">{move || i18n.t(T::BoardHelp)}</p>
            <div aria-live="polite" data-testid="board-message">
                <Outcome note=message/>
            </div>
            <Show when=move || mounted.get() fallback=loading>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        match cards.await {
                            Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                            Ok(cards) => {
                                let cards = StoredValue::new(cards);
                                view! {
                                    // Phones show a column or so at a time: say there is more.
                                    <p class="board-hint muted">{move || i18n.t(T::BoardSwipeHint)}</p>
                                    // Scrolls sideways: reachable and named for a keyboard.
                                    <div class="board" tabindex="0" role="region" aria-label=move || i18n.t(T::BoardTitle) class:dragging=move || dragging.active()>
                                        {Stage::BOARD.into_iter().map(|stage| {
                                            let in_column = cards.with_value(|all| {
                                                all.iter().filter(|c| c.stage == stage).cloned().collect::<Vec<_>>()
                                            });
                                            let count = in_column.len();
                                            view! {
                                                <section class="column" data-stage=stage.code()
                                                    class:over=move || dragging.is_over(stage.code())
                                                    aria-label=move || i18n.t(stage_label(stage))>
                                                    <h2>{move || i18n.t(stage_label(stage))} " " <span class="count">{count}</span></h2>
                                                    {in_column.into_iter().map(|card| view! {
                                                        <CardView card=card dragging=dragging request_move=request_move/>
                                                    }).collect_view()}
                                                </section>
                                            }
                                        }).collect_view()}
                                    </div>
                                }.into_any()
                            }
                        }
                    })}
                </Transition>
            </Show>
            {move || dragging.ghost(|c| c.title.clone()).map(|(at, title)| view! {
                <div class="drag-ghost" aria-hidden="true"
                    style:left=format!("{}px", at.0 + 8.0) style:top=format!("{}px", at.1 + 8.0)>
                    {title}
                </div>
            })}
            {move || asking.get().map(|a| view! {
                <AskComment asking=a
                    on_cancel=move || asking.set(None)
                    on_send=move |card, to, comment| {
                        asking.set(None);
                        send_move(card, to, Some(comment));
                    }/>
            })}
        </section>
    }
}

#[component]
fn CardView(
    card: BoardCard,
    dragging: Dragging<BoardCard>,
    request_move: impl Fn(BoardCard, Stage) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = card.id;
    let stage = card.stage;
    let moves = reviewer_moves(stage);
    let stored = StoredValue::new(card.clone());
    let networks = card
        .channels
        .iter()
        .map(|c| channel_name(*c, i18n.lang()))
        .collect::<Vec<_>>()
        .join(", ");
    let flags = card.flags.join(", ");
    let flagged = !card.flags.is_empty();
    let on_down = move |ev: leptos::ev::PointerEvent| dragging.press(&ev, stored.get_value());
    let select_id = format!("move-{id}");
    view! {
        <article class="board-card" data-testid="board-card" data-id=id.to_string()
            class:flagged=flagged
            class:lifted=move || dragging.drag.with(|d| d.as_ref().is_some_and(|d| d.moved && d.card.id == id))
            on:pointerdown=on_down>
            <h3><a href=format!("/review/{id}")>{card.title.clone()}</a></h3>
            <p class="muted">{card.author.clone()} " · " <span title=format_date(card.created_at)>{age(card.created_at, now_ms())}</span></p>
            {(!networks.is_empty()).then(|| view! { <p class="networks">{networks}</p> })}
            {card.publish_at.filter(|_| stage == Stage::Approved).map(|at| view! {
                <p class="muted">{move || i18n.t(T::BoardPublishes)} " " {format_date(at)}</p>
            })}
            {flagged.then(|| view! {
                <p class="flag" data-testid="flag">{move || i18n.t(T::BoardFlagged)} " " {flags.clone()}</p>
            })}
            {(card.comments > 0).then(|| view! {
                <p class="muted">{move || i18n.n(T::BoardComments, &[("count", card.comments)])}</p>
            })}
            {(!moves.is_empty()).then(|| view! {
                <label class="sr-only" for=select_id.clone()>{move || i18n.t(T::BoardMoveTo)}</label>
                <select id=select_id.clone() class="move" data-testid="move-select"
                    on:change=move |ev| {
                        if let Some(to) = Stage::parse(&event_target_value(&ev)) {
                            request_move(stored.get_value(), to);
                        }
                    }>
                    <option value="" selected>{move || i18n.t(T::BoardMoveTo)}</option>
                    {moves.iter().map(|to| {
                        let to = *to;
                        view! { <option value=to.code()>{move || i18n.t(stage_label(to))}</option> }
                    }).collect_view()}
                </select>
            })}
        </article>
    }
}

/// Asks what the author should change (required) or why the post is
/// rejected (optional) before the move goes out.
#[component]
fn AskComment(
    asking: Asking,
    on_cancel: impl Fn() + Copy + Send + Sync + 'static,
    on_send: impl Fn(BoardCard, Stage, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let text = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let required = asking.to == Stage::ChangesRequested;
    let card = StoredValue::new(asking.card);
    let to = asking.to;
    let prompt = if required {
        T::BoardAskChanges
    } else {
        T::BoardAskReject
    };
    view! {
        <div class="modal-backdrop">
            <div class="modal card" role="dialog" aria-modal="true" aria-labelledby="ask-title">
                <h2 id="ask-title">{move || i18n.t(prompt)}</h2>
                <p class="muted">{card.with_value(|c| c.title.clone())}</p>
                <form novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    let comment = text.get_untracked();
                    if required && comment.trim().is_empty() {
                        missing.set(true);
                    } else {
                        on_send(card.get_value(), to, comment);
                    }
                }>
                    <label for="ask-comment" class="sr-only">{move || i18n.t(prompt)}</label>
                    <textarea id="ask-comment" rows="4" prop:value=text autofocus
                        on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                    <Show when=move || missing.get()>
                        <p class="error" role="alert">{move || i18n.t(T::ErrCommentRequired)}</p>
                    </Show>
                    <div class="actions">
                        <button type="submit" class="primary" data-testid="ask-send">{move || i18n.t(stage_label(to))}</button>
                        <button type="button" on:click=move |_| on_cancel()>{move || i18n.t(T::Cancel)}</button>
                    </div>
                </form>
            </div>
        </div>
    }
}

#[component]
pub fn ReviewPage() -> impl IntoView {
    view! {
        <RequireRole roles=CURATORS.to_vec()>
            <ReviewLoader/>
        </RequireRole>
    }
}

#[component]
fn ReviewLoader() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let reload = RwSignal::new(0u32);
    let post = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move { super::get_post(id.ok_or(AppError::NotFound)?).await },
    );
    let groups = Resource::new(|| (), |_| crate::people::list_groups());
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    let note: RwSignal<Option<Result<T, AppError>>> = RwSignal::new(None);
    let loading = move || view! { <p>{move || i18n.t(T::Loading)}</p> };
    view! {
        <section class="card wide">
            <p><a href="/review">{move || i18n.t(T::BoardBack)}</a></p>
            <div aria-live="polite" data-testid="review-message">
                <Outcome note=note/>
            </div>
            <Show when=move || mounted.get() fallback=loading>
                <Transition fallback=loading>
                    {move || Suspend::new(async move {
                        let loaded = async { Ok::<_, AppError>((post.await?, groups.await?)) };
                        match loaded.await {
                            Ok((post, groups)) => view! { <Review post=post groups=groups reload=reload note=note/> }.into_any(),
                            Err(e) => view! { <ErrorNote error=Signal::stored(Some(e))/> }.into_any(),
                        }
                    })}
                </Transition>
            </Show>
        </section>
    }
}

#[component]
fn Review(
    post: Post,
    groups: Vec<Group>,
    reload: RwSignal<u32>,
    note: RwSignal<Option<Result<T, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let form = PostForm::new(&post.input);
    let targets = RwSignal::new(post.schedule.target_groups.clone());
    let publish = RwSignal::new(ms_to_local(post.schedule.publish_at));
    let expires = RwSignal::new(ms_to_local(post.schedule.expires_at));
    let (id, version, stage) = (post.id, post.version, post.stage);
    let comment = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    // The newest version this page knows of, its own changes included, so
    // only someone else's change raises the "changed meanwhile" notice.
    let known = StoredValue::new(version);
    let changed_elsewhere = RwSignal::new(false);
    crate::ui::listen("/events/board", &["board"], move || {
        leptos::task::spawn_local(async move {
            // An answer can arrive after a move or save has redrawn the
            // page (or it was left): this card's values are then disposed,
            // and the redrawn card asks for itself.
            if let Ok(latest) = super::get_post(id).await {
                let (Some(known), Some(busy)) = (known.try_get_value(), busy.try_get_untracked())
                else {
                    return;
                };
                if latest.version > known && !busy {
                    changed_elsewhere.try_set(true);
                }
            }
        });
    });
    // Called when the server answers, by which time the page may have been
    // left or redrawn: every signal is touched with `try_`.
    let finish = move |result: Result<super::Saved, AppError>, ok: T| {
        busy.try_set(false);
        match result {
            Ok(saved) => {
                known.try_set_value(saved.version);
                note.try_set(Some(Ok(ok)));
                reload.try_update(|v| *v += 1);
            }
            // As the message says, the page then shows the latest version.
            Err(e @ AppError::Conflict(T::ErrStale)) => {
                note.try_set(Some(Err(e)));
                reload.try_update(|v| *v += 1);
            }
            Err(e) => {
                note.try_set(Some(Err(e)));
            }
        }
    };
    let do_move = move |to: Stage| {
        busy.set(true);
        let text = comment.get_untracked();
        let text = (!text.trim().is_empty()).then_some(text);
        leptos::task::spawn_local(async move {
            finish(super::move_post(id, to, version, text).await, T::BoardMoved);
        });
    };
    let save = move |_| {
        let schedule = match (
            local_to_ms(&publish.get_untracked()),
            local_to_ms(&expires.get_untracked()),
        ) {
            (Ok(publish_at), Ok(expires_at)) => Schedule {
                target_groups: targets.get_untracked(),
                publish_at,
                expires_at,
            },
            (Err(e), _) | (_, Err(e)) => {
                note.set(Some(Err(e)));
                return;
            }
        };
        busy.set(true);
        let input = form.input_untracked();
        leptos::task::spawn_local(async move {
            finish(
                super::review_save(id, version, input, schedule).await,
                T::Saved,
            );
        });
    };
    let flags = post.flags.join(", ");
    view! {
        <div class="row-between">
            <h1>{post.input.title.clone()}</h1>
            <span class=format!("badge stage-{}", stage.code()) data-testid="post-stage">{move || i18n.t(stage_label(stage))}</span>
        </div>
        <p class="muted">{move || i18n.t(T::BoardBy)} " " {post.author.clone()} " · " {format_date(post.created_at)}</p>
        {(!post.flags.is_empty()).then(|| view! { <p class="flag" data-testid="flag">{move || i18n.t(T::BoardFlagged)} " " {flags.clone()}</p> })}
        <Show when=move || changed_elsewhere.get()>
            <p class="notice" role="status" data-testid="changed-elsewhere">
                {move || i18n.t(T::ReviewChangedElsewhere)} " "
                <button type="button" on:click=move |_| {
                    note.set(None);
                    reload.update(|v| *v += 1);
                }>{move || i18n.t(T::ReviewShowLatest)}</button>
            </p>
        </Show>
        <div class="review-grid">
            <div>
                <div class="moves">
                    <label for="move-comment">{move || i18n.t(T::BoardCommentLabel)}</label>
                    <textarea id="move-comment" rows="3" prop:value=comment
                        on:input=move |ev| comment.set(event_target_value(&ev))></textarea>
                    <div class="actions">
                        {reviewer_moves(stage).into_iter().map(|to| view! {
                            <button type="button" data-move=to.code() disabled=move || busy.get()
                                on:click=move |_| do_move(to)>
                                {move || i18n.t(T::BoardMoveTo)} ": " {move || i18n.t(stage_label(to))}
                            </button>
                        }).collect_view()}
                    </div>
                </div>
                <CommentThread id=id comments=post.comments.clone() as_author=false/>
            </div>
            <form novalidate on:submit=move |ev| ev.prevent_default()>
                <h2>{move || i18n.t(T::BoardEdit)}</h2>
                <PostFields form=form disabled=Signal::stored(false)/>
                <TargetFields groups=groups selected=targets publish=publish expires=expires/>
                <div class="actions">
                    <button type="button" class="primary" data-testid="review-save" disabled=move || busy.get() on:click=save>
                        {move || i18n.t(T::Save)}
                    </button>
                </div>
            </form>
        </div>
    }
}
