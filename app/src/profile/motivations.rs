//! *What motivates me* (issue 19): the person orders what moves them and
//! says whether they want to be on the public boards and the TV.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::base::error::AppError;
use crate::base::i18n::{use_i18n, T};
use crate::people::motivation::Motivation;
use crate::ui::ErrorNote;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Motivations {
    /// Most motivating first.
    pub list: Vec<Motivation>,
    /// False when the person asked to be left off the leaderboards and TV.
    pub on_boards: bool,
}

#[server(prefix = "/api", endpoint = "my_motivations")]
pub async fn my_motivations() -> Result<Motivations, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let state = crate::base::state::app_state()?;
    ssr::load(&state.db, me.id).await
}

#[server(prefix = "/api", endpoint = "save_motivations", input = server_fn::codec::Json)]
pub async fn save_motivations(motivations: Motivations) -> Result<Motivations, AppError> {
    let me = crate::base::session::ssr::require_user()?;
    let list = crate::people::motivation::validate(&motivations.list)?;
    let state = crate::base::state::app_state()?;
    let saved = Motivations {
        list,
        on_boards: motivations.on_boards,
    };
    // Leaving the boards (or coming back) shows on open boards and TVs at once.
    ssr::save(&state.db, me.id, &saved).await?.publish(&state);
    Ok(saved)
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::Motivations;
    use crate::base::change::{Changed, Fact};
    use crate::base::db::{now_ms, Db};
    use crate::base::error::{AppError, AppResult};
    use crate::people::motivation::{decode, encode};

    pub async fn load(db: &Db, person_id: i64) -> AppResult<Motivations> {
        let (stored, on_boards): (String, i64) =
            sqlx::query_as("SELECT motivations, on_boards FROM people WHERE id = $1")
                .bind(person_id)
                .fetch_optional(db)
                .await?
                .ok_or(AppError::NotFound)?;
        Ok(Motivations {
            list: decode(&stored),
            on_boards: on_boards == 1,
        })
    }

    pub async fn save(db: &Db, person_id: i64, m: &Motivations) -> AppResult<Changed<()>> {
        let mut tx = db.begin().await?;
        sqlx::query(
            "UPDATE people SET motivations = $1, on_boards = $2, updated_at = $3 WHERE id = $4",
        )
        .bind(encode(&m.list))
        .bind(i64::from(m.on_boards))
        .bind(now_ms())
        .bind(person_id)
        .execute(&mut *tx)
        .await?;
        let changed = Changed::new((), Fact::PersonChanged { person: person_id });
        changed.commit(tx).await
    }
}

/// The chosen motivations in order, each movable up and down by button (so
/// by keyboard too), then the ones not chosen; and the boards choice.
#[component]
pub fn MotivationsForm(saved: Motivations) -> impl IntoView {
    let i18n = use_i18n();
    let list = RwSignal::new(saved.list);
    let on_boards = RwSignal::new(saved.on_boards);
    let action = ServerAction::<SaveMotivations>::new();
    let (value, pending) = (action.value(), action.pending());
    let error = Signal::derive(move || value.try_get().flatten().and_then(|r| r.err()));
    let done = move || matches!(value.try_get().flatten(), Some(Ok(_)));
    let toggle = move |m: Motivation, on: bool| {
        list.update(|l| {
            l.retain(|x| *x != m);
            if on {
                l.push(m);
            }
        })
    };
    let shift = move |m: Motivation, by: isize| {
        list.update(|l| {
            if let Some(at) = l.iter().position(|x| *x == m) {
                let to = at as isize + by;
                if (0..l.len() as isize).contains(&to) {
                    l.swap(at, to as usize);
                }
            }
        })
    };
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        action.dispatch(SaveMotivations {
            motivations: Motivations {
                list: list.get_untracked(),
                on_boards: on_boards.get_untracked(),
            },
        });
    };
    let row = move |m: Motivation| {
        let place = move || list.with(|l| l.iter().position(|x| *x == m));
        let name = move || i18n.t(m.label());
        view! {
            <li data-motivation=m.code() class:chosen=move || place().is_some()>
                <label class="inline">
                    <input type="checkbox" prop:checked=move || place().is_some()
                        on:change=move |ev| toggle(m, event_target_checked(&ev))/>
                    <span>{move || place().map(|p| format!("{}. ", p + 1)).unwrap_or_default()}{name}</span>
                </label>
                <Show when=move || place().is_some()>
                    <span class="order-buttons">
                        <button type="button" class="link" data-move="up"
                            disabled=move || place() == Some(0)
                            aria-label=move || i18n.t(T::MotivationUp).replace("{name}", name())
                            on:click=move |_| shift(m, -1)>"↑"</button>
                        <button type="button" class="link" data-move="down"
                            disabled=move || place().map(|p| p + 1) == Some(list.with(Vec::len))
                            aria-label=move || i18n.t(T::MotivationDown).replace("{name}", name())
                            on:click=move |_| shift(m, 1)>"↓"</button>
                    </span>
                </Show>
            </li>
        }
    };
    // Chosen first, in the person's order; then the rest in the usual order.
    let ordered = move || {
        let chosen = list.get();
        let rest = Motivation::ALL.into_iter().filter(|m| !chosen.contains(m));
        chosen.clone().into_iter().chain(rest).collect::<Vec<_>>()
    };
    view! {
        <form class="stack" id="motivations-form" on:submit=on_submit novalidate>
            <p class="muted">{move || i18n.t(T::MotivationsHelp)}</p>
            <ol class="motivations" data-testid="motivations">
                <For each=ordered key=|m| *m let:m>{row(m)}</For>
            </ol>
            <label class="inline">
                <input type="checkbox" name="on-boards" prop:checked=on_boards
                    on:change=move |ev| on_boards.set(event_target_checked(&ev))/>
                <span>{move || i18n.t(T::MotivationsOnBoards)}</span>
            </label>
            <ErrorNote error=error/>
            <Show when=done><p class="ok" role="status">{move || i18n.t(T::Saved)}</p></Show>
            <button type="submit" class="primary" disabled=move || pending.try_get().unwrap_or(false)>
                {move || i18n.t(T::Save)}
            </button>
        </form>
    }
}
